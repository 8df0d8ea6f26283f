package org.unite4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.unite4j.autograd.F;
import org.unite4j.autograd.Tensor;
import org.unite4j.backend.Backends;
import org.unite4j.backend.DType;
import org.unite4j.irreps.Irreps;
import org.unite4j.irreps.TensorProductDescriptor;
import org.unite4j.nn.selftest.EquivariantChecks;
import org.unite4j.irreps.Rotations;

/** The layer classes: formulas written out independently, running statistics, float32 agreement. */
class NnLayersTest {
    static final Irreps X = Irreps.parse("2x0e+3x1o+1x2e");

    static Tensor randn(Random r, int... shape) {
        return Tensor.randn(r, 1.0, Backends.cpu(), DType.FLOAT64, shape);
    }

    @Test
    void modulesNameTheirParametersAndRunOnReplacedOnes() {
        Random r = new Random(4);
        var cpu = Backends.cpu();
        Mlp mlp = new Mlp(new int[]{3, 5, 2}, r, cpu, DType.FLOAT64);
        assertEquals(java.util.List.of("0.weight", "0.bias", "1.weight", "1.bias"), java.util.List.copyOf(mlp.namedParameters().keySet()));
        assertEquals(java.util.List.copyOf(mlp.namedParameters().values()), mlp.parameters());
        Tensor x = Tensor.randn(r, 1.0, cpu, DType.FLOAT64, 4, 3);
        // the own parameters give the plain forward, bit for bit
        assertArrayEquals(mlp.forward(x).toDoubles(), mlp.forward(x, mlp.own()).toDoubles(), 0.0);
        // a replaced first-layer weight is what the forward uses (and the module's own stays untouched)
        Tensor w0 = Tensor.randn(r, 1.0, cpu, DType.FLOAT64, 3, 5);
        double[] before = mlp.namedParameters().get("0.weight").toDoubles();
        Tensor got = mlp.forward(x, n -> n.equals("0.weight") ? w0 : mlp.namedParameters().get(n));
        Tensor ref = F.add(F.matmul(F.silu(F.add(F.matmul(x, w0), mlp.namedParameters().get("0.bias"))),
                mlp.namedParameters().get("1.weight")), mlp.namedParameters().get("1.bias"));
        assertArrayEquals(ref.toDoubles(), got.toDoubles(), 0.0);
        assertArrayEquals(before, mlp.namedParameters().get("0.weight").toDoubles(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> mlp.own().get("2.weight"));
        IrrepLinear lin = new IrrepLinear(Irreps.parse("2x0e+1x1o"), Irreps.parse("3x0e+2x1o"), true, r, cpu, DType.FLOAT64);
        assertEquals(java.util.List.of("weight", "bias"), java.util.List.copyOf(lin.namedParameters().keySet()));
    }

    @Test
    void irrepLinearMixesChannelsPerIrrepAndBiasesOnlyScalars() {
        Irreps out = Irreps.parse("3x0e+2x1o+1x1e");
        IrrepLinear lin = new IrrepLinear(X, out, true, new Random(1), Backends.cpu(), DType.FLOAT64);
        Tensor bias = lin.bias();
        assertEquals(3, bias.size());
        // give the bias non-zero values through an optimizer-like in-place update
        bias.backend().adamStep(bias.storage(), Tensor.of(new double[]{1, -1, 1}, 3).storage(),
                bias.backend().allocate(DType.FLOAT64, 3), bias.backend().allocate(DType.FLOAT64, 3),
                0.5, 0.9, 0.999, 1e-8, 0, true, 1);
        double[] b = bias.toDoubles();
        Random r = new Random(2);
        Tensor x = randn(r, 2, X.dim());
        double[] y = lin.forward(x).toDoubles();
        double[] xv = x.toDoubles(), w = lin.weight().toDoubles();
        // instruction order: out 0e <- in 0e (3x2 weights at 0), out 1o <- in 1o (2x3 weights at 6)
        for (int row = 0; row < 2; row++) {
            int xb = row * X.dim(), yb = row * out.dim();
            for (int co = 0; co < 3; co++) {
                double s = b[co];
                for (int ci = 0; ci < 2; ci++) {
                    s += w[co * 2 + ci] * xv[xb + ci];
                }
                assertEquals(s, y[yb + co], 1e-14);
            }
            for (int m = 0; m < 3; m++) {
                for (int co = 0; co < 2; co++) {
                    double s = 0;
                    for (int ci = 0; ci < 3; ci++) {
                        s += w[6 + co * 3 + ci] * xv[xb + 2 + m * 3 + ci];
                    }
                    assertEquals(s, y[yb + 3 + m * 2 + co], 1e-14);
                }
            }
            for (int q = 9; q < 12; q++) {
                assertEquals(0.0, y[yb + q], "1e has no input block, so it stays zero (no bias)");
            }
        }
    }

    @Test
    void selfTensorProductMatchesDescriptorReferencePerNode() {
        Irreps h = Irreps.parse("2x0e+2x1o+2x2e");
        Irreps out = Irreps.parse("2x0e+2x1o+2x1e+2x2e");
        SelfTensorProduct stp = new SelfTensorProduct(h, out, new Random(3), Backends.cpu(), DType.FLOAT64);
        TensorProductDescriptor d = TensorProductDescriptor.allPaths(h, h, out);
        Random r = new Random(4);
        Tensor x = randn(r, 3, h.dim());
        double[] y = stp.forward(x).toDoubles();
        double[] xv = x.toDoubles(), w = stp.weight().toDoubles();
        for (int n = 0; n < 3; n++) {
            double[] row = java.util.Arrays.copyOfRange(xv, n * h.dim(), (n + 1) * h.dim());
            double[] ref = new double[out.dim()];
            d.forwardOne(row, row, w, ref);
            assertArrayEquals(ref, java.util.Arrays.copyOfRange(y, n * out.dim(), (n + 1) * out.dim()), 1e-13);
        }
    }

    @Test
    void evNormKeepsRunningStatisticsAndUsesThemInInference() {
        EvNorm ev = new EvNorm(X, false, Backends.cpu(), DType.FLOAT64);
        Random r = new Random(5);
        Tensor h = randn(r, 8, X.dim());
        EvNorm.Output train = ev.forward(h);
        double[] n = IrrepOps.norm(X, h, EvNorm.EPS_NORM).toDoubles();
        int nc = 6;
        double[] mean = new double[nc], var = new double[nc];
        for (int c = 0; c < nc; c++) {
            for (int row = 0; row < 8; row++) {
                mean[c] += n[row * nc + c] / 8;
            }
            for (int row = 0; row < 8; row++) {
                var[c] += Math.pow(n[row * nc + c] - mean[c], 2) / 8;
            }
            assertEquals(0.1 * mean[c], ev.runningMean()[c], 1e-14);
            assertEquals(0.9 + 0.1 * var[c], ev.runningVar()[c], 1e-14);
            // batch statistics: xbar has zero mean over the batch
            double s = 0;
            for (int row = 0; row < 8; row++) {
                s += train.xbar().toDoubles()[row * nc + c];
            }
            assertEquals(0.0, s, 1e-12);
        }
        ev.setTraining(false);
        Tensor oneRow = F.slice(h, 0, 3, 1);
        double[] alone = ev.forward(oneRow).xbar().toDoubles();
        double[] inBatch = ev.forward(h).xbar().toDoubles();
        for (int c = 0; c < nc; c++) {
            assertEquals((n[3 * nc + c] - 0.1 * mean[c]) / Math.sqrt(0.9 + 0.1 * var[c] + EvNorm.EPS_VAR), alone[c], 1e-13);
            assertEquals(inBatch[3 * nc + c], alone[c], 0.0);
        }
        ev.setTraining(true);
        assertThrows(IllegalArgumentException.class, () -> ev.forward(oneRow));
        // hhat = h / (n + |beta| + 1e-2), beta = 0.5
        double[] hh = train.hhat().toDoubles(), hv = h.toDoubles();
        assertEquals(hv[X.dim() + 2] / (n[nc + 2] + 0.5 + 1e-2), hh[X.dim() + 2], 1e-14);
    }

    @Test
    void parameterFreeEvNormAndGateFollowTheirFormulas() {
        Random r = new Random(6);
        Tensor h = randn(r, 2, X.dim());
        EvNorm.Output o = new EvNorm(X, true, Backends.cpu(), DType.FLOAT64).forward(h);
        double[] hv = h.toDoubles();
        double s = 0;
        for (int m = 0; m < 5; m++) {
            s += hv[11 + m] * hv[11 + m];
        }
        // the 2e block is the last channel (index 5) of row 0
        assertEquals(Math.sqrt(s + 1) - 1, o.xbar().toDoubles()[5], 1e-14);
        assertEquals(hv[11 + 2] / Math.sqrt(s + 1), o.hhat().toDoubles()[11 + 2], 1e-14);
        Tensor xi = randn(r, 2, 6);
        double[] g = IrrepOps.gate(X, o.hhat(), xi).toDoubles(), xv = xi.toDoubles(), hh = o.hhat().toDoubles();
        assertEquals(xv[0], g[0], 0.0);
        assertEquals(xv[1], g[1], 0.0);
        assertEquals(hh[2 + 4] * xv[2 + 1], g[2 + 4], 1e-15); // 1o block, m=1, channel 1
    }

    @Test
    void layersAreEquivariantAndFloat32AgreesWithFloat64() {
        Random r = new Random(7);
        Irreps out = Irreps.parse("2x0e+2x1o+2x2e");
        IrrepLinear lin = new IrrepLinear(X, out, true, new Random(8), Backends.cpu(), DType.FLOAT64);
        Tensor x = randn(r, 5, X.dim());
        double[][] q = Rotations.scale(-1, Rotations.random(r));
        double[] a = lin.forward(EquivariantChecks.rotate(X, q, x)).toDoubles();
        double[] b = EquivariantChecks.rotate(out, q, lin.forward(x)).toDoubles();
        assertArrayEquals(b, a, 1e-12);
        IrrepLinear lin32 = new IrrepLinear(X, out, true, new Random(8), Backends.cpu(), DType.FLOAT32);
        double[] y32 = lin32.forward(x.to(DType.FLOAT32)).toDoubles();
        double[] y64 = lin.forward(x).toDoubles();
        for (int i = 0; i < y64.length; i++) {
            assertTrue(Math.abs(y32[i] - y64[i]) < 1e-5 * (1 + Math.abs(y64[i])), "element " + i);
        }
    }
}
