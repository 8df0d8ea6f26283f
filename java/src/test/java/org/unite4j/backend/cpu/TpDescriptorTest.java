package org.unite4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.unite4j.backend.CsrGraph;
import org.unite4j.irreps.Irreps;
import org.unite4j.irreps.TensorProductDescriptor;
import org.unite4j.irreps.WignerD;
import org.unite4j.irreps.Rotations;

/**
 * The fused kernels on real CG tables: agreement with the descriptor's own per-pair reference
 * ({@link TensorProductDescriptor#forwardOne}), O(3) equivariance of the array kernel, float32
 * agreement and 1-vs-2-thread bit identity, on the benchmark irreps (C = 4 here).
 */
class TpDescriptorTest {
    static final int C = 4;
    static final Irreps IR = Irreps.parse(C + "x0e+" + C + "x1o+" + C + "x2e");
    static final TensorProductDescriptor D = TensorProductDescriptor.allPaths(IR, IR, IR);

    static double[] reference(TensorProductDescriptor d, CsrGraph g, double[] e, double[] h, double[] w) {
        int c = d.channels(), ew = d.edgeDim() * c, hw = d.nodeDim() * c, ow = d.outDim() * c, ww = d.numPaths() * c;
        double[] out = new double[g.numNodes() * ow];
        int[] recv = g.receiver();
        for (int k = 0; k < g.numEdges(); k++) {
            double[] msg = new double[ow];
            d.forwardOne(java.util.Arrays.copyOfRange(e, k * ew, (k + 1) * ew),
                    java.util.Arrays.copyOfRange(h, g.sender()[k] * hw, (g.sender()[k] + 1) * hw),
                    java.util.Arrays.copyOfRange(w, k * ww, (k + 1) * ww), msg);
            for (int i = 0; i < ow; i++) {
                out[recv[k] * ow + i] += msg[i];
            }
        }
        return out;
    }

    static double[] rotateRows(Irreps ir, double[][] q, double[] x) {
        int d = ir.dim();
        double[] o = new double[x.length], row = new double[d], res = new double[d];
        for (int r = 0; r < x.length / d; r++) {
            System.arraycopy(x, r * d, row, 0, d);
            WignerD.rotateIrMul(ir, q, row, res);
            System.arraycopy(res, 0, o, r * d, d);
        }
        return o;
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Test
    void loweringCommutesWithTranspositionAndBackendCachesOnePlan() {
        TpPlan a = TpPlan.of(D.transposed()), b = TpPlan.of(D).transposed();
        assertEquals(a.nodeWidth(), b.nodeWidth());
        assertEquals(a.outWidth(), b.outWidth());
        assertArrayEquals(a.hOff(), b.hOff());
        assertArrayEquals(a.oOff(), b.oOff());
        assertArrayEquals(a.i2(), b.i2());
        assertArrayEquals(a.i3(), b.i3());
        assertArrayEquals(a.value(), b.value());
        assertSame(CpuTp.of(D).lowered(), ((CpuTp) new CpuBackend().compile(D)).lowered(), "one cache for the CPU backend");
        // the cache must not keep a descriptor alive: its values hold none
        java.lang.ref.WeakReference<TensorProductDescriptor> ref = compiledAndDropped();
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        assertEquals(null, ref.get(), "a cached descriptor that nothing else references is collected");
        assertEquals(D, new CpuBackend().compile(D).descriptor());
    }

    private static java.lang.ref.WeakReference<TensorProductDescriptor> compiledAndDropped() {
        TensorProductDescriptor d = TensorProductDescriptor.allPaths("3x0e+3x1o", "3x0e+3x1o", "3x0e+3x1o");
        CpuTp.of(d);
        return new java.lang.ref.WeakReference<>(d);
    }

    @Test
    void nodeGradientIsTheTransposedProductOverTheTransposedGraph() {
        // gradH by the backward kernel = the forward kernel of D.transposed() on the reversed edges
        Random r = new Random(13);
        int n = 7, m = 23;
        int[] recv = new int[m], send = new int[m];
        for (int k = 0; k < m; k++) {
            recv[k] = r.nextInt(n);
            send[k] = r.nextInt(n);
        }
        CsrGraph g = CsrGraph.fromEdges(n, recv, send);
        double[] e = TpKernelTest.randn(r, m * D.edgeWidth()), h = TpKernelTest.randn(r, n * D.nodeWidth()),
                w = TpKernelTest.randn(r, m * D.weightWidth()), go = TpKernelTest.randn(r, n * D.outWidth());
        double[] gh = new double[h.length];
        CpuTp.of(D).backward(g, e, h, w, go, null, gh, null);
        // the reversed graph, its edges in the order of g's transposed CSR, with e and w permuted to match
        int[] tEdge = g.tEdge();
        int[] rRecv = new int[m], rSend = new int[m];
        double[] re = new double[e.length], rw = new double[w.length];
        for (int t = 0; t < m; t++) {
            int k = tEdge[t];
            rRecv[t] = g.sender()[k];
            rSend[t] = g.receiver()[k];
            System.arraycopy(e, k * D.edgeWidth(), re, t * D.edgeWidth(), D.edgeWidth());
            System.arraycopy(w, k * D.weightWidth(), rw, t * D.weightWidth(), D.weightWidth());
        }
        double[] viaForward = new double[h.length];
        CpuTp.of(D.transposed()).forward(CsrGraph.fromEdges(n, rRecv, rSend), re, go, rw, viaForward);
        assertArrayEquals(gh, viaForward, 0.0, "same sums in the same order: the same bits");
    }

    @Test
    void matchesDescriptorReferenceAndIsEquivariant() {
        Random r = new Random(21);
        CsrGraph g = TpKernelTest.randomGraph(r, 7, 25);
        int c = D.channels();
        double[] e = TpKernelTest.randn(r, g.numEdges() * D.edgeDim() * c);
        double[] h = TpKernelTest.randn(r, g.numNodes() * D.nodeDim() * c);
        double[] w = TpKernelTest.randn(r, g.numEdges() * D.numPaths() * c);
        double[] out = new double[g.numNodes() * D.outDim() * c];
        CpuTp.of(D).forward(g, e, h, w, out);
        double[] ref = reference(D, g, e, h, w);
        double scale = maxAbs(ref);
        for (int i = 0; i < out.length; i++) {
            assertEquals(ref[i], out[i], 1e-13 * scale);
        }
        for (int trial = 0; trial < 2; trial++) {
            double[][] q = Rotations.random(r);
            if (trial == 1) {
                q = Rotations.scale(-1, q);
            }
            double[] outQ = new double[out.length];
            CpuTp.of(D).forward(g, rotateRows(IR, q, e), rotateRows(IR, q, h), w, outQ);
            double[] expect = rotateRows(IR, q, out);
            for (int i = 0; i < out.length; i++) {
                assertEquals(expect[i], outQ[i], 1e-12 * scale, "trial " + trial + " element " + i);
            }
        }
    }

    @Test
    void float32AndThreadCountsAgree() {
        Random r = new Random(5);
        CsrGraph g = TpKernelTest.randomGraph(r, 300, 2400);
        int c = D.channels();
        double[] e = TpKernelTest.randn(r, g.numEdges() * D.edgeDim() * c);
        double[] h = TpKernelTest.randn(r, g.numNodes() * D.nodeDim() * c);
        double[] w = TpKernelTest.randn(r, g.numEdges() * D.numPaths() * c);
        double[] go = TpKernelTest.randn(r, g.numNodes() * D.outDim() * c);
        int saved = Parallel.threads();
        float[][] outs = new float[2][];
        float[][] gh = new float[2][];
        float[][] gw = new float[2][];
        try {
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                outs[t - 1] = new float[go.length];
                CpuTp.of(D).forward(g, TpKernelTest.f(e), TpKernelTest.f(h), TpKernelTest.f(w), outs[t - 1]);
                gh[t - 1] = new float[h.length];
                gw[t - 1] = new float[w.length];
                CpuTp.of(D).backward(g, TpKernelTest.f(e), TpKernelTest.f(h), TpKernelTest.f(w), TpKernelTest.f(go),
                        null, gh[t - 1], gw[t - 1]);
            }
        } finally {
            Parallel.setThreads(saved);
        }
        for (int i = 0; i < outs[0].length; i++) {
            assertEquals(Float.floatToRawIntBits(outs[0][i]), Float.floatToRawIntBits(outs[1][i]));
        }
        for (int i = 0; i < gh[0].length; i++) {
            assertEquals(Float.floatToRawIntBits(gh[0][i]), Float.floatToRawIntBits(gh[1][i]));
        }
        for (int i = 0; i < gw[0].length; i++) {
            assertEquals(Float.floatToRawIntBits(gw[0][i]), Float.floatToRawIntBits(gw[1][i]));
        }
        double[] out = new double[go.length];
        CpuTp.of(D).forward(g, e, h, w, out);
        double scale = maxAbs(out);
        for (int i = 0; i < out.length; i++) {
            assertTrue(Math.abs(outs[0][i] - out[i]) < 1e-5 * scale, "float32 vs float64 at " + i);
        }
    }
}
