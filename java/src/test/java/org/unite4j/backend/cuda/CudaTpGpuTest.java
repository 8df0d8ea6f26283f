package org.unite4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.*;
import static org.unite4j.backend.cuda.GpuTestSupport.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GPU checks that need no CPU reference (skipped without a GPU): the backward kernels are the exact
 * adjoints of the forward one, <gradE, de> = <g, fwd(de, h, w)> (and for h and w; the forward is
 * linear in each input); every output element is written (outputs poisoned with NaN first); reruns
 * are bitwise identical; elementwise kernels, segment sum and the memory pool behave.
 */
class CudaTpGpuTest {
    // blocks (l, parity): l up to 4 on every side, an extra 1e output (parity rule) and C = 40 (two tiles, one partial)
    static final int[][] EDGE = {{0, 1}, {1, -1}, {2, 1}, {3, -1}}, NODE = {{0, 1}, {1, -1}, {2, 1}, {4, 1}},
            OUT = {{0, 1}, {1, -1}, {2, 1}, {3, -1}, {4, 1}, {1, 1}};
    static final int C = 40;

    record Run(float[] out, float[] gE, float[] gH, float[] gW) {}

    /** Every schedule preset (BLOCK, ROW, MIXED, STAGED, ...): each kernel variant runs in some preset. */
    static java.util.List<CudaKernels.TpSchedule> schedules() {
        return CudaKernels.TpSchedule.presets();
    }

    static CudaTpPlan plan() {
        CudaTpPlan p0 = TpPlanLayoutTest.allPaths(C, EDGE, NODE, OUT);
        int n = p0.numPaths();
        int[] pe = new int[n], pn = new int[n], po = new int[n];
        float[] s = new float[n];
        for (int p = 0; p < n; p++) {
            pe[p] = p0.pathEdge(p); pn[p] = p0.pathNode(p); po[p] = p0.pathOut(p);
            s[p] = p % 3 == 1 ? -1f : p % 3 == 2 ? 0.5f : 1f; // per-path factors are applied
        }
        return CudaTpPlan.of(C, TpPlanLayoutTest.ls(EDGE), TpPlanLayoutTest.ls(NODE), TpPlanLayoutTest.ls(OUT), pe, pn, po, s);
    }

    static Run run(CudaKernels K, CudaTpPlan plan, CudaGraph g, float[] e, float[] h, float[] w, float[] go) {
        CudaBackend b = K.backend();
        int n = g.numNodes(), m = g.numEdges();
        try (DeviceBuffer de = b.upload(e); DeviceBuffer dh = b.upload(h); DeviceBuffer dw = b.upload(w); DeviceBuffer dg = b.upload(go);
             DeviceBuffer out = b.allocateFloats((long) n * plan.outDim() * C).fill(Float.NaN);
             DeviceBuffer gE = b.allocateFloats((long) m * plan.edgeDim() * C).fill(Float.NaN);
             DeviceBuffer gH = b.allocateFloats((long) n * plan.nodeDim() * C).fill(Float.NaN);
             DeviceBuffer gW = b.allocateFloats((long) m * plan.numPaths() * C).fill(Float.NaN)) {
            K.tpForward(plan, g, de, dh, dw, out);
            K.tpBackward(plan, g, de, dh, dw, dg, gE, gH, gW);
            b.synchronize();
            return new Run(out.downloadFloats(), gE.downloadFloats(), gH.downloadFloats(), gW.downloadFloats());
        }
    }

    @ParameterizedTest
    @MethodSource("schedules")
    void backwardIsTheAdjointOfForwardAndEveryOutputIsWritten(CudaKernels.TpSchedule schedule) {
        CudaBackend b = requireGpu();
        CudaKernels K = new CudaKernels(b, schedule);
        SplittableRandom r = new SplittableRandom(2024);
        int[][] csr = randomCsr(r, 57, 9);
        try (CudaTpPlan plan = plan(); CudaGraph g = CudaGraph.upload(b, csr[0], csr[1])) {
            int n = g.numNodes(), m = g.numEdges();
            float[] e = random(r, (long) m * plan.edgeDim() * C), h = random(r, (long) n * plan.nodeDim() * C),
                    w = random(r, (long) m * plan.numPaths() * C), go = random(r, (long) n * plan.outDim() * C);
            Run base = run(K, plan, g, e, h, w, go);
            assertAllFinite(base.out, "out"); assertAllFinite(base.gE, "gradE"); assertAllFinite(base.gH, "gradH"); assertAllFinite(base.gW, "gradW");
            float[] de = random(r, e.length), dh = random(r, h.length), dw = random(r, w.length);
            float[] fe = run(K, plan, g, de, h, w, go).out, fh = run(K, plan, g, e, dh, w, go).out, fw = run(K, plan, g, e, h, dw, go).out;
            double[][] pairs = {{dot(base.gE, de), dot(go, fe), norm(go) * norm(fe)}, {dot(base.gH, dh), dot(go, fh), norm(go) * norm(fh)},
                    {dot(base.gW, dw), dot(go, fw), norm(go) * norm(fw)}};
            String[] names = {"e", "h", "w"};
            for (int i = 0; i < 3; i++) {
                double rel = Math.abs(pairs[i][0] - pairs[i][1]) / pairs[i][2];
                System.out.printf("[cuda] " + schedule + " adjoint %s: <grad,d> = %.7g, <g,fwd(d)> = %.7g, rel %.2e%n", names[i], pairs[i][0], pairs[i][1], rel);
                assertTrue(rel < 1e-5, "adjoint identity for " + names[i] + ": rel " + rel);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("schedules")
    void rerunsAreBitwiseIdentical(CudaKernels.TpSchedule schedule) {
        CudaBackend b = requireGpu();
        CudaKernels K = new CudaKernels(b, schedule);
        SplittableRandom r = new SplittableRandom(77);
        int[][] csr = randomCsr(r, 300, 40);
        try (CudaTpPlan plan = plan(); CudaGraph g = CudaGraph.upload(b, csr[0], csr[1])) {
            int n = g.numNodes(), m = g.numEdges();
            float[] e = random(r, (long) m * plan.edgeDim() * C), h = random(r, (long) n * plan.nodeDim() * C),
                    w = random(r, (long) m * plan.numPaths() * C), go = random(r, (long) n * plan.outDim() * C);
            Run a = run(K, plan, g, e, h, w, go);
            Run other = run(new CudaKernels(b, schedule.equals(CudaKernels.TpSchedule.BLOCK) ? CudaKernels.TpSchedule.ROW : CudaKernels.TpSchedule.BLOCK),
                    plan, g, e, h, w, go);
            float[][][] pairs = {{a.out, other.out}, {a.gE, other.gE}, {a.gH, other.gH}, {a.gW, other.gW}};
            for (float[][] pr : pairs) {
                double maxDiff = 0, maxAbs = 0;
                for (int i = 0; i < pr[0].length; i++) { maxDiff = Math.max(maxDiff, Math.abs(pr[0][i] - pr[1][i])); maxAbs = Math.max(maxAbs, Math.abs(pr[0][i])); }
                assertTrue(maxDiff <= 1e-5 * maxAbs, schedule + " agrees with another schedule: " + maxDiff + " vs " + maxAbs);
            }
            if (schedule.equals(CudaKernels.TpSchedule.STAGED)) { // same order as ROW: bitwise equal
                Run row = run(new CudaKernels(b, CudaKernels.TpSchedule.ROW), plan, g, e, h, w, go);
                assertTrue(bitwiseEqual(a.out, row.out) && bitwiseEqual(a.gE, row.gE) && bitwiseEqual(a.gH, row.gH) && bitwiseEqual(a.gW, row.gW),
                        "STAGED is bitwise equal to ROW");
            }
            for (int rep = 0; rep < 3; rep++) {
                Run c = run(K, plan, g, e, h, w, go);
                assertTrue(bitwiseEqual(a.out, c.out), "forward differs on rerun " + rep);
                assertTrue(bitwiseEqual(a.gE, c.gE), "gradE differs on rerun " + rep);
                assertTrue(bitwiseEqual(a.gH, c.gH), "gradH differs on rerun " + rep);
                assertTrue(bitwiseEqual(a.gW, c.gW), "gradW differs on rerun " + rep);
            }
        }
    }

    @Test
    void segmentSumElementwiseAndAdamW() {
        CudaBackend b = requireGpu();
        CudaKernels K = new CudaKernels(b);
        SplittableRandom r = new SplittableRandom(5);
        int[] seg = {0, 3, 3, 10, 23};
        int width = 37;
        float[] x = random(r, 23L * width);
        try (DeviceBuffer ds = b.upload(seg); DeviceBuffer dx = b.upload(x); DeviceBuffer out = b.allocateFloats(4L * width).fill(Float.NaN)) {
            K.segmentSum(ds, 4, width, dx, out);
            float[] o = out.downloadFloats();
            for (int s = 0; s < 4; s++)
                for (int j = 0; j < width; j++) {
                    double ref = 0;
                    for (int q = seg[s]; q < seg[s + 1]; q++) ref += x[q * width + j];
                    assertEquals(ref, o[s * width + j], 1e-5 * (1 + Math.abs(ref)), "segment " + s + " col " + j);
                }
        }
        int n = 1000;
        float[] p = random(r, n), gr = random(r, n), m = random(r, n), v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextDouble();
        try (DeviceBuffer dp = b.upload(p); DeviceBuffer dg = b.upload(gr); DeviceBuffer dm = b.upload(m); DeviceBuffer dv = b.upload(v);
             DeviceBuffer y = b.upload(m)) {
            K.adamw(n, dp, dg, dm, dv, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.01f, 3);
            K.axpy(n, 2f, dg, y);
            float[] p2 = dp.downloadFloats(), y2 = y.downloadFloats();
            for (int i = 0; i < n; i++) {
                double mi = 0.9 * m[i] + 0.1 * gr[i], vi = 0.999 * v[i] + 0.001 * gr[i] * gr[i];
                double ref = p[i] - 1e-2 * ((mi / (1 - Math.pow(0.9, 3))) / (Math.sqrt(vi / (1 - Math.pow(0.999, 3))) + 1e-8) + 0.01 * p[i]);
                assertEquals(ref, p2[i], 1e-5 * (1 + Math.abs(ref)), "adamw " + i);
                assertEquals(m[i] + 2.0 * gr[i], y2[i], 1e-6, "axpy " + i);
            }
        }
    }

    @Test
    void poolReusesClosedBlocksAndRejectsBadSizes() {
        CudaBackend b = requireGpu();
        long addr;
        try (DeviceBuffer a = b.allocate(12345)) {
            addr = a.address();
        }
        try (DeviceBuffer a = b.allocate(12000)) {
            assertEquals(addr, a.address(), "same size class is served from the cache");
            assertThrows(IllegalArgumentException.class, () -> a.upload(new float[4000]));
        }
        DeviceBuffer c = b.allocate(16);
        c.close();
        assertThrows(IllegalStateException.class, c::address);
    }
}
