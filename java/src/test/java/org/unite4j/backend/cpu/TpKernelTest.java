package org.unite4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.unite4j.backend.CsrGraph;

/**
 * The fused TP kernels on a synthetic plan (random sparse "CG" tables, so no irreps are needed):
 * agreement with a naive per-edge reference, adjoint identities for the backward, float32 vs
 * float64, and bitwise identity between 1 and 2 threads.
 */
class TpKernelTest {

    /** Blocks of dims {1,3,5} for edge, {1,3} for node, {1,3,5} for out; 4 random paths. */
    static TpPlan randomPlan(Random r, int c) {
        int[] eDim = {1, 3, 5}, hDim = {1, 3}, oDim = {1, 3, 5};
        int[][] paths = {{0, 0, 0}, {1, 1, 0}, {2, 1, 1}, {1, 0, 1}, {2, 1, 2}};
        int np = paths.length;
        int[] eOff = new int[np], hOff = new int[np], oOff = new int[np], cs = new int[np + 1];
        java.util.List<int[]> ent = new java.util.ArrayList<>();
        java.util.List<Double> val = new java.util.ArrayList<>();
        for (int p = 0; p < np; p++) {
            eOff[p] = c * off(eDim, paths[p][0]);
            hOff[p] = c * off(hDim, paths[p][1]);
            oOff[p] = c * off(oDim, paths[p][2]);
            for (int m3 = 0; m3 < oDim[paths[p][2]]; m3++) {
                for (int m1 = 0; m1 < eDim[paths[p][0]]; m1++) {
                    for (int m2 = 0; m2 < hDim[paths[p][1]]; m2++) {
                        if (r.nextDouble() < 0.4) {
                            ent.add(new int[]{m1 * c, m2 * c, m3 * c});
                            val.add(r.nextGaussian());
                        }
                    }
                }
            }
            cs[p + 1] = ent.size();
        }
        int n = ent.size();
        int[] i1 = new int[n], i2 = new int[n], i3 = new int[n];
        double[] v = new double[n];
        for (int j = 0; j < n; j++) {
            i1[j] = ent.get(j)[0];
            i2[j] = ent.get(j)[1];
            i3[j] = ent.get(j)[2];
            v[j] = val.get(j);
        }
        return new TpPlan(c, 9 * c, 4 * c, 9 * c, np, eOff, hOff, oOff, cs, i1, i2, i3, v);
    }

    private static int off(int[] dims, int block) {
        int o = 0;
        for (int i = 0; i < block; i++) {
            o += dims[i];
        }
        return o;
    }

    static CsrGraph randomGraph(Random r, int nodes, int edges) {
        int[] recv = new int[edges], send = new int[edges];
        for (int k = 0; k < edges; k++) {
            recv[k] = r.nextInt(nodes);
            send[k] = r.nextInt(nodes);
        }
        return CsrGraph.fromEdges(nodes, recv, send);
    }

    static double[] randn(Random r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian();
        }
        return a;
    }

    /** Materializes every edge's TP, then scatters: the obvious, slow reference. */
    static double[] naive(TpPlan pl, CsrGraph g, double[] e, double[] h, double[] w) {
        int c = pl.channels();
        double[] out = new double[g.numNodes() * pl.outWidth()];
        int[] recv = g.receiver();
        for (int k = 0; k < g.numEdges(); k++) {
            double[] msg = new double[pl.outWidth()];
            for (int p = 0; p < pl.numPaths(); p++) {
                for (int j = pl.cgStart()[p]; j < pl.cgStart()[p + 1]; j++) {
                    for (int ch = 0; ch < c; ch++) {
                        msg[pl.oOff()[p] + pl.i3()[j] + ch] += pl.value()[j] * w[k * pl.weightWidth() + p * c + ch]
                                * e[k * pl.edgeWidth() + pl.eOff()[p] + pl.i1()[j] + ch]
                                * h[g.sender()[k] * pl.nodeWidth() + pl.hOff()[p] + pl.i2()[j] + ch];
                    }
                }
            }
            for (int i = 0; i < msg.length; i++) {
                out[recv[k] * pl.outWidth() + i] += msg[i];
            }
        }
        return out;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void forwardMatchesNaiveAndBackwardIsTheAdjoint() {
        Random r = new Random(7);
        int c = 3;
        TpPlan pl = randomPlan(r, c);
        CsrGraph g = randomGraph(r, 6, 17);
        double[] e = randn(r, 17 * pl.edgeWidth()), h = randn(r, 6 * pl.nodeWidth()),
                w = randn(r, 17 * pl.weightWidth());
        double[] out = new double[6 * pl.outWidth()];
        java.util.Arrays.fill(out, Double.NaN); // poisoned: must be overwritten
        CpuTp.of(pl).forward(g, e, h, w, out);
        assertArrayEquals(naive(pl, g, e, h, w), out, 1e-12);
        // out is linear in each of e, h, w: <g, out> = <gradE, e> = <gradH, h> = <gradW, w>.
        double[] go = randn(r, out.length);
        double[] ge = new double[e.length], gh = new double[h.length], gw = new double[w.length];
        java.util.Arrays.fill(gh, Double.NaN);
        CpuTp.of(pl).backward(g, e, h, w, go, ge, gh, gw);
        double ref = dot(go, out);
        assertEquals(ref, dot(ge, e), 1e-10 * Math.abs(ref) + 1e-12);
        assertEquals(ref, dot(gh, h), 1e-10 * Math.abs(ref) + 1e-12);
        assertEquals(ref, dot(gw, w), 1e-10 * Math.abs(ref) + 1e-12);
    }

    @Test
    void bitwiseIdenticalForOneAndTwoThreadsAndFloat32Agrees() {
        Random r = new Random(11);
        int c = 8;
        TpPlan pl = randomPlan(r, c);
        CsrGraph g = randomGraph(r, 200, 1500);
        double[] e = randn(r, g.numEdges() * pl.edgeWidth()), h = randn(r, 200 * pl.nodeWidth()),
                w = randn(r, g.numEdges() * pl.weightWidth()), go = randn(r, 200 * pl.outWidth());
        int saved = Parallel.threads();
        double[][] res = new double[2][];
        double[][] grads = new double[2][];
        try {
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                double[] out = new double[200 * pl.outWidth()];
                CpuTp.of(pl).forward(g, e, h, w, out);
                double[] ge = new double[e.length], gh = new double[h.length], gw = new double[w.length];
                CpuTp.of(pl).backward(g, e, h, w, go, ge, gh, gw);
                res[t - 1] = out;
                double[] all = new double[ge.length + gh.length + gw.length];
                System.arraycopy(ge, 0, all, 0, ge.length);
                System.arraycopy(gh, 0, all, ge.length, gh.length);
                System.arraycopy(gw, 0, all, ge.length + gh.length, gw.length);
                grads[t - 1] = all;
            }
        } finally {
            Parallel.setThreads(saved);
        }
        for (int i = 0; i < res[0].length; i++) {
            assertEquals(Double.doubleToRawLongBits(res[0][i]), Double.doubleToRawLongBits(res[1][i]));
        }
        for (int i = 0; i < grads[0].length; i++) {
            assertEquals(Double.doubleToRawLongBits(grads[0][i]), Double.doubleToRawLongBits(grads[1][i]));
        }
        float[] ef = f(e), hf = f(h), wf = f(w), of = new float[res[0].length];
        CpuTp.of(pl).forward(g, ef, hf, wf, of);
        double scale = 0;
        for (double v : res[0]) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < of.length; i++) {
            assertTrue(Math.abs(of[i] - res[0][i]) < 1e-4 * scale, "float32 element " + i);
        }
        float[] ghf = new float[h.length];
        CpuTp.of(pl).backward(g, ef, hf, wf, f(go), null, ghf, null);
        double[] gh = new double[h.length];
        CpuTp.of(pl).backward(g, e, h, w, go, null, gh, null);
        double gs = 0;
        for (double v : gh) {
            gs = Math.max(gs, Math.abs(v));
        }
        for (int i = 0; i < gh.length; i++) {
            assertTrue(Math.abs(ghf[i] - gh[i]) < 1e-4 * gs, "float32 gradH element " + i);
        }
    }

    /**
     * The SIMD kernels (Vector API) must give the scalar reference kernels' bits exactly, for
     * channel counts below, equal to and between multiples of the vector width (so both the
     * vector body and the scalar leftover channels run), float32 and float64, forward and every
     * backward output, with poisoned outputs that must be overwritten.
     */
    @Test
    void simdKernelsGiveTheScalarReferenceBits() {
        org.junit.jupiter.api.Assumptions.assumeTrue(CpuKernels.vectorAvailable(),
                "needs --add-modules jdk.incubator.vector (set in the surefire argLine)");
        boolean saved = CpuKernels.vectorKernels();
        try {
            for (int c : new int[]{3, 8, 16, 20, 37}) {
                Random r = new Random(100 + c);
                TpPlan pl = randomPlan(r, c);
                CsrGraph g = randomGraph(r, 30, 140);
                int n = g.numNodes(), ne = g.numEdges();
                double[] e = randn(r, ne * pl.edgeWidth()), h = randn(r, n * pl.nodeWidth()),
                        w = randn(r, ne * pl.weightWidth()), go = randn(r, n * pl.outWidth());
                double[][][] d = new double[2][][];
                float[][][] f = new float[2][][];
                for (int simd = 0; simd < 2; simd++) {
                    CpuKernels.setVectorKernels(simd == 1);
                    double[][] o = {new double[n * pl.outWidth()], new double[e.length], new double[h.length],
                            new double[w.length], new double[e.length], new double[w.length]};
                    float[][] of = {new float[n * pl.outWidth()], new float[e.length], new float[h.length],
                            new float[w.length], new float[e.length], new float[w.length]};
                    for (int i = 0; i < o.length; i++) {
                        java.util.Arrays.fill(o[i], Double.NaN);
                        java.util.Arrays.fill(of[i], Float.NaN);
                    }
                    CpuTp.of(pl).forward(g, e, h, w, o[0]);
                    CpuTp.of(pl).backward(g, e, h, w, go, o[1], o[2], o[3]);
                    CpuTp.of(pl).backward(g, e, h, w, go, o[4], null, null);
                    CpuTp.of(pl).backward(g, e, h, w, go, null, null, o[5]);
                    CpuTp.of(pl).forward(g, f(e), f(h), f(w), of[0]);
                    CpuTp.of(pl).backward(g, f(e), f(h), f(w), f(go), of[1], of[2], of[3]);
                    CpuTp.of(pl).backward(g, f(e), f(h), f(w), f(go), of[4], null, null);
                    CpuTp.of(pl).backward(g, f(e), f(h), f(w), f(go), null, null, of[5]);
                    d[simd] = o;
                    f[simd] = of;
                }
                for (int i = 0; i < d[0].length; i++) {
                    for (int x = 0; x < d[0][i].length; x++) {
                        assertTrue(!Double.isNaN(d[1][i][x]), "C=" + c + " output " + i + " not written at " + x);
                        assertEquals(Double.doubleToRawLongBits(d[0][i][x]), Double.doubleToRawLongBits(d[1][i][x]),
                                "float64 C=" + c + " output " + i + " element " + x);
                        assertEquals(Float.floatToRawIntBits(f[0][i][x]), Float.floatToRawIntBits(f[1][i][x]),
                                "float32 C=" + c + " output " + i + " element " + x);
                    }
                }
            }
        } finally {
            CpuKernels.setVectorKernels(saved);
        }
    }

    @Test
    void wrongSizesAreRejected() {
        Random r = new Random(3);
        TpPlan pl = randomPlan(r, 2);
        CsrGraph g = randomGraph(r, 4, 5);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> CpuTp.of(pl).forward(g,
                new double[5 * pl.edgeWidth() - 1], new double[4 * pl.nodeWidth()], new double[5 * pl.weightWidth()],
                new double[4 * pl.outWidth()]));
        assertTrue(ex.getMessage().contains("e has"), ex.getMessage());
    }

    static float[] f(double[] a) {
        float[] o = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = (float) a[i];
        }
        return o;
    }
}
