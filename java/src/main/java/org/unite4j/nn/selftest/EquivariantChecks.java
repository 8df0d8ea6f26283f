package org.unite4j.nn.selftest;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.unite4j.autograd.F;
import org.unite4j.autograd.Tensor;
import org.unite4j.backend.BlockLayout;
import org.unite4j.backend.CsrGraph;
import org.unite4j.backend.LinearPlan;
import org.unite4j.irreps.Irreps;
import org.unite4j.irreps.TensorProductDescriptor;
import org.unite4j.irreps.WignerD;
import org.unite4j.nn.EvNorm;
import org.unite4j.nn.IrrepLinear;
import org.unite4j.nn.IrrepOps;
import org.unite4j.nn.SelfTensorProduct;

/**
 * Checks of the equivariant ops. Each input is an "ir_mul" feature of known irreps (rotated by
 * the block-diagonal Wigner D of Q, parity included) or invariant (left alone); the output's
 * irreps say how it must transform.
 */
public final class EquivariantChecks {
    private EquivariantChecks() {
    }

    /** Rows of x rotated by D(Q) of {@code irreps} (null irreps: invariant, unchanged). */
    public static Tensor rotate(Irreps irreps, double[][] q, Tensor x) {
        if (irreps == null) {
            return x;
        }
        double[] v = x.toDoubles();
        double[] o = new double[v.length];
        int d = irreps.dim();
        double[] row = new double[d], res = new double[d];
        for (int r = 0; r < v.length / d; r++) {
            System.arraycopy(v, r * d, row, 0, d);
            WignerD.rotateIrMul(irreps, q, row, res);
            System.arraycopy(res, 0, o, r * d, d);
        }
        return Tensor.of(x.backend(), x.dtype(), o, x.shape());
    }

    /** Transformation by a list of input irreps (null = invariant) and the output irreps. */
    static OpCheck.Equivariance by(Irreps[] ins, Irreps out) {
        return new OpCheck.Equivariance() {
            @Override
            public Tensor[] transformInputs(double[][] q, Tensor[] inputs) {
                Tensor[] t = new Tensor[inputs.length];
                for (int i = 0; i < inputs.length; i++) {
                    t[i] = rotate(ins[i], q, inputs[i]);
                }
                return t;
            }

            @Override
            public Tensor transformOutput(double[][] q, Tensor output) {
                return rotate(out, q, output);
            }
        };
    }

    private static OpCheck eq(String name, Function<Random, Tensor[]> in, Function<Tensor[], Tensor> fn,
                              Irreps[] ins, Irreps out) {
        return new OpCheck(name, in, fn, by(ins, out));
    }

    /** "K x 0e" followed by irreps: the layout of concat(invariants, features). */
    static Irreps withScalars(int k, Irreps irreps) {
        return Irreps.parse(k + "x0e+" + irreps);
    }

    public static List<OpCheck> all() {
        List<OpCheck> c = new ArrayList<>();
        Irreps x = Irreps.parse("2x0e+2x1o+1x2e+2x1e+1x0o");
        BlockLayout lx = BlockLayout.of(x);
        int nc = lx.channels();
        int rows = 4;

        c.add(eq("irrep.squaredNorm", r -> new Tensor[]{OpChecks.randn(r, rows, x.dim())},
                t -> IrrepOps.squaredNorm(x, t[0]), new Irreps[]{x}, null));
        c.add(eq("irrep.norm", r -> new Tensor[]{OpChecks.randn(r, rows, x.dim())},
                t -> IrrepOps.norm(x, t[0], EvNorm.EPS_NORM), new Irreps[]{x}, null));
        c.add(eq("irrep.dot", r -> new Tensor[]{OpChecks.randn(r, rows, x.dim()), OpChecks.randn(r, rows, x.dim())},
                t -> F.irrepDot(lx, t[0], t[1]), new Irreps[]{x, x}, null));
        c.add(eq("irrep.scale", r -> new Tensor[]{OpChecks.randn(r, rows, x.dim()), OpChecks.randn(r, rows, nc)},
                t -> F.irrepScale(lx, t[0], t[1]), new Irreps[]{x, null}, x));
        c.add(eq("irrep.scale.broadcast", r -> new Tensor[]{OpChecks.randn(r, rows, x.dim()), OpChecks.randn(r, nc)},
                t -> F.irrepScale(lx, t[0], t[1]), new Irreps[]{x, null}, x));

        Irreps lo = Irreps.parse("3x0e+2x1o+2x2e+1x0o");
        LinearPlan plan = IrrepLinear.plan(x, lo);
        IrrepLinear withBias = new IrrepLinear(x, lo, true, new Random(1), org.unite4j.backend.Backends.cpu(),
                org.unite4j.backend.DType.FLOAT64);
        int[] bi = withBias.biasIndex();
        c.add(eq("irrep.linear", r -> new Tensor[]{OpChecks.randn(r, rows, x.dim()),
                        OpChecks.randn(r, plan.numWeights())},
                t -> IrrepLinear.apply(plan, t[0], t[1], null, null), new Irreps[]{x, null}, lo));
        c.add(eq("irrep.linear.bias", r -> new Tensor[]{OpChecks.randn(r, rows, x.dim()),
                        OpChecks.randn(r, plan.numWeights()), OpChecks.randn(r, 3)},
                t -> IrrepLinear.apply(plan, t[0], t[1], t[2], bi), new Irreps[]{x, null, null}, lo));

        // Fused convolution: all allowed paths, parity-odd outputs included.
        int ch = 2;
        Irreps e = Irreps.parse(ch + "x0e+" + ch + "x1o+" + ch + "x2e");
        Irreps h = Irreps.parse(ch + "x0e+" + ch + "x1o+" + ch + "x1e");
        Irreps o = Irreps.parse(ch + "x0e+" + ch + "x1o+" + ch + "x1e+" + ch + "x2e+" + ch + "x2o");
        TensorProductDescriptor d = TensorProductDescriptor.allPaths(e, h, o);
        CsrGraph g = CsrGraph.fromEdges(4, new int[]{0, 2, 1, 0, 3, 2, 0}, new int[]{1, 1, 3, 2, 0, 2, 3});
        c.add(eq("tensorProduct", r -> new Tensor[]{OpChecks.randn(r, g.numEdges(), e.dim()),
                        OpChecks.randn(r, g.numNodes(), h.dim()), OpChecks.randn(r, g.numEdges(), d.weightWidth())},
                t -> F.tensorProduct(d, g, t[0], t[1], t[2]), new Irreps[]{e, h, null}, o));

        Irreps hs = Irreps.parse(ch + "x0e+" + ch + "x1o+" + ch + "x2e");
        Irreps os = Irreps.parse(ch + "x0e+" + ch + "x1o+" + ch + "x1e+" + ch + "x2e+" + ch + "x3o");
        TensorProductDescriptor self = TensorProductDescriptor.allPaths(hs, hs, os);
        CsrGraph id = SelfTensorProduct.identityGraph(rows);
        c.add(eq("selfTensorProduct", r -> new Tensor[]{OpChecks.randn(r, rows, hs.dim()),
                        OpChecks.randn(r, self.weightWidth())},
                t -> SelfTensorProduct.apply(self, id, t[0], t[1]), new Irreps[]{hs, null}, os));

        Irreps withX = withScalars(nc, x);
        double[] mean = new double[nc], var = new double[nc];
        for (int i = 0; i < nc; i++) {
            mean[i] = 0.3 + 0.1 * i;
            var[i] = 0.5 + 0.2 * i;
        }
        // the norms are smoothed by EPS_NORM at 0 (curvature ~ 1 / EPS_NORM there): inputs away from
        // 0, so that central differences of the second derivatives stay accurate
        c.add(eq("evnorm.batch", r -> new Tensor[]{OpChecks.away(r, 0.2, 1.5, false, 6, x.dim()), OpChecks.away(r, 0.2, 1, false, nc)},
                t -> cat(EvNorm.batchStats(x, t[0], t[1])), new Irreps[]{x, null}, withX));
        c.add(eq("evnorm.running", r -> new Tensor[]{OpChecks.away(r, 0.2, 1.5, false, rows, x.dim()),
                        OpChecks.away(r, 0.2, 1, false, nc)},
                t -> cat(EvNorm.runningStats(x, t[0], t[1], mean, var)), new Irreps[]{x, null}, withX));
        c.add(eq("evnorm.parameterFree", r -> new Tensor[]{OpChecks.randn(r, rows, x.dim())},
                t -> cat(EvNorm.parameterFree(lx, t[0])), new Irreps[]{x}, withX));
        c.add(eq("gate", r -> new Tensor[]{OpChecks.randn(r, rows, x.dim()), OpChecks.randn(r, rows, nc)},
                t -> IrrepOps.gate(x, t[0], t[1]), new Irreps[]{x, null}, x));
        int[] seg = {0, 1, 4};
        c.add(eq("segmentSum.irreps", r -> new Tensor[]{OpChecks.randn(r, rows, x.dim())},
                t -> F.segmentSum(t[0], seg), new Irreps[]{x}, x));
        return c;
    }

    private static Tensor cat(EvNorm.Output out) {
        return F.concat(1, out.xbar(), out.hhat());
    }
}
