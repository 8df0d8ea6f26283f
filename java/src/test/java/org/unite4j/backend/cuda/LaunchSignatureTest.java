package org.unite4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jcuda.driver.CUstream;
import org.junit.jupiter.api.Test;

/**
 * Without a GPU: every launch {@link CudaKernels} makes passes exactly the parameters (count and
 * width, in order) that the kernel's {@code .entry} in the built PTX declares, with the grid the
 * launch arithmetic promises. Catches a wrong argument order or type before any GPU run.
 */
class LaunchSignatureTest {
    record Launch(String kernel, LaunchConfig cfg, Object[] args) {}

    static final class Recorder implements KernelLauncher {
        final List<Launch> launches = new ArrayList<>();
        final DeviceMemoryPool pool = new DeviceMemoryPool(null);
        long next = 0x7000_0000_0000L;

        @Override
        public void launch(String kernel, LaunchConfig cfg, CUstream stream, Object... args) {
            launches.add(new Launch(kernel, cfg, args));
        }

        @Override
        public DeviceBuffer upload(int[] a) {
            return buffer(4L * a.length);
        }

        DeviceBuffer buffer(long bytes) {
            long cap = DeviceMemoryPool.sizeClass(bytes);
            DeviceBuffer b = new DeviceBuffer(pool, next, bytes, cap);
            next += cap;
            return b;
        }

        DeviceBuffer floats(long n) {
            return buffer(4 * n);
        }

        @Override
        public DeviceBuffer allocateFloats(long n) {
            return floats(n);
        }
    }

    /** kernel -> PTX parameter types (".u64", ".u32", ".f32", ...). */
    static Map<String, List<String>> ptxParams(String ptx) {
        Map<String, List<String>> out = new HashMap<>();
        Matcher m = Pattern.compile("\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)").matcher(ptx);
        while (m.find()) {
            List<String> types = new ArrayList<>();
            Matcher p = Pattern.compile("\\.param\\s+(\\.\\w+)").matcher(m.group(2));
            while (p.find()) types.add(p.group(1));
            out.put(m.group(1), types);
        }
        return out;
    }

    static int width(String ptxType) {
        return Integer.parseInt(ptxType.replaceAll("[^0-9]", "")) / 8;
    }

    static String javaType(Object a) {
        if (a instanceof DeviceBuffer || a instanceof CudaBackend.Ptr || a instanceof Long) return "8-byte integer/pointer";
        if (a instanceof Integer) return "4-byte integer";
        if (a instanceof Float) return "4-byte float";
        return "unsupported " + a;
    }

    static boolean matches(Object a, String t) {
        if (a instanceof DeviceBuffer || a instanceof CudaBackend.Ptr || a instanceof Long) return width(t) == 8 && !t.startsWith(".f");
        if (a instanceof Integer) return width(t) == 4 && !t.startsWith(".f");
        if (a instanceof Float) return t.equals(".f32");
        return false;
    }

    @Test
    void everyLaunchMatchesItsPtxSignatureAndGrid() {
        assumeTrue(CudaBackend.kernelsBuilt(), "kernels not built here: skipped");
        Map<String, List<String>> sig = ptxParams(new String(CudaBackend.resource(CudaBackend.PTX_RESOURCE), StandardCharsets.US_ASCII));
        Recorder R = new Recorder();
        CudaKernels K = new CudaKernels(R, CudaKernels.TpSchedule.BLOCK);
        CudaKernels KR = new CudaKernels(R, CudaKernels.TpSchedule.ROW);
        CudaKernels KS = new CudaKernels(R, CudaKernels.TpSchedule.STAGED);
        CudaTpPlan plan = CudaTpPlan.forDescriptor(CudaTpBenchmark.descriptor());
        int n = 10, m = 37, C = plan.channels();
        int[] rowPtr = new int[n + 1];
        for (int a = 0; a < n; a++) rowPtr[a + 1] = Math.min(m, rowPtr[a] + 4);
        rowPtr[n] = m;
        int[] sender = new int[m];
        int[][] t = CudaGraph.hostArrays(rowPtr, sender);
        DeviceBuffer e = R.floats((long) m * plan.edgeDim() * C), h = R.floats((long) n * plan.nodeDim() * C),
                w = R.floats((long) m * plan.numPaths() * C), out = R.floats((long) n * plan.outDim() * C), go = R.floats((long) n * plan.outDim() * C),
                gE = R.floats((long) m * plan.edgeDim() * C), gH = R.floats((long) n * plan.nodeDim() * C), gW = R.floats((long) m * plan.numPaths() * C);
        DeviceBuffer rp = R.upload(rowPtr), sd = R.upload(sender), rc = R.upload(t[0]), trp = R.upload(t[1]), te = R.upload(t[2]);

        for (CudaKernels k : new CudaKernels[] {K, KR, KS}) {
            k.tpForwardRaw(plan, n, rp.address(), sd.address(), e.address(), h.address(), w.address(), out.address(), 0L);
            k.tpBackwardRaw(plan, n, m, rp.address(), sd.address(), rc.address(), trp.address(), te.address(), e.address(), h.address(), w.address(),
                    go.address(), gE.address(), gH.address(), gW.address(), 0L);
        }
        K.segmentSum(R.upload(new int[] {0, 3, 10}), 2, 7, R.floats(70), R.floats(14));
        K.segmentSumBackward(R.upload(new int[10]), 10, 7, R.floats(14), R.floats(70));
        DeviceBuffer x = R.floats(1000), y = R.floats(1000), z = R.floats(1000), v = R.floats(1000);
        K.fill(x, 1000, 1f);
        K.fillUniform(x, 1000, 7, -1f, 1f);
        K.axpy(1000, 2f, x, y);
        K.add(1000, x, y, z);
        K.mul(1000, x, y, z);
        K.scale(1000, 3f, x, y);
        K.adamw(1000, x, y, z, v, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 1);

        // the Backend SPI ("cuda" compute backend) on recorded launches
        CudaComputeBackend B = new CudaComputeBackend(R);
        java.util.function.IntFunction<CudaStorage> st = sz -> new CudaStorage(R.floats(sz), sz, B);
        CudaStorage s6 = st.apply(6), s6b = st.apply(6), s6c = st.apply(6), s2 = st.apply(2);
        B.unary(org.unite4j.backend.UnaryOp.SILU, 0, s6, s6b);
        B.unaryBackward(org.unite4j.backend.UnaryOp.POW, 3, s6, s6b, s6c);
        B.binary(org.unite4j.backend.BinaryOp.MUL, s6, new int[] {2, 3}, st.apply(3), new int[] {3}, s6c, new int[] {2, 3});
        B.reduceSum(s6, new int[] {2, 3}, new boolean[] {false, true}, s2);
        B.matmul(s6, s6b, st.apply(4), 2, 3, 2, false, true);
        B.copyBlocks(s6, 3, 0, s6b, 3, 0, 2, 3);
        B.indexSelect(s6, 3, new int[] {1, 0, 1}, st.apply(9));
        B.csrGatherSum(new int[] {0, 1, 2}, null, s6, 3, s6c);
        B.csrGatherSum(new int[] {0, 2}, new int[] {1, 0}, s6, 3, st.apply(3));
        org.unite4j.backend.BlockLayout bl = new org.unite4j.backend.BlockLayout(new int[] {2, 1}, new int[] {1, 3});
        CudaStorage xl = st.apply(2 * bl.width()), cl = st.apply(2 * bl.channels());
        B.irrepDot(bl, 2, xl, xl, cl);
        B.irrepScale(bl, 2, xl, cl, 2, st.apply(2 * bl.width()));
        org.unite4j.backend.LinearPlan lp = org.unite4j.backend.LinearPlan.between(bl, bl, new Object[] {"0e", "1o"}, new Object[] {"0e", "1o"});
        CudaStorage wl = st.apply(lp.numWeights());
        B.irrepLinear(lp, 2, xl, wl, st.apply(2 * bl.width()));
        B.irrepLinearBackward(lp, 2, xl, wl, st.apply(2 * bl.width()), st.apply(2 * bl.width()), st.apply(lp.numWeights()));
        org.unite4j.backend.CompiledTp tpp = B.compile(CudaTpBenchmark.descriptor());
        org.unite4j.backend.CsrGraph cg = new org.unite4j.backend.CsrGraph(n, rowPtr, sender);
        CudaStorage se = st.apply(m * plan.edgeDim() * C), sh = st.apply(n * plan.nodeDim() * C), sw = st.apply(m * plan.numPaths() * C),
                so = st.apply(n * plan.outDim() * C);
        tpp.forward(cg, se, sh, sw, so);
        tpp.backward(cg, se, sh, sw, so, st.apply(m * plan.edgeDim() * C), st.apply(n * plan.nodeDim() * C), st.apply(m * plan.numPaths() * C));
        B.adamStep(s6, s6b, s6c, st.apply(6), 1e-3, 0.9, 0.999, 1e-8, 0.01, false, 2);
        // long sums, split into runs whose partial sums u4j_sum_parts adds
        int launchesBefore = R.launches.size();
        B.reduceSum(st.apply(3 * 5000), new int[] {5000, 3}, new boolean[] {true, false}, st.apply(3));
        B.matmul(st.apply(2 * 5000), st.apply(5000 * 3), st.apply(6), 2, 5000, 3, true, false);
        B.irrepLinearBackward(lp, 5000, st.apply(5000 * bl.width()), wl, st.apply(5000 * bl.width()), null, st.apply(lp.numWeights()));
        assertEquals(List.of("u4j_reduce_sum", "u4j_sum_parts", "u4j_matmul", "u4j_sum_parts", "u4j_irrep_linear_bwd_w", "u4j_sum_parts"),
                R.launches.subList(launchesBefore, R.launches.size()).stream().map(Launch::kernel).toList());

        Set<String> launched = new TreeSet<>();
        for (Launch L : R.launches) {
            launched.add(L.kernel());
            List<String> types = sig.get(L.kernel());
            assertNotNull(types, "no .entry " + L.kernel() + " in the PTX");
            assertEquals(types.size(), L.args().length, L.kernel() + ": argument count");
            for (int i = 0; i < types.size(); i++)
                assertTrue(matches(L.args()[i], types.get(i)),
                        L.kernel() + " parameter " + i + ": PTX " + types.get(i) + ", Java passes " + javaType(L.args()[i]));
        }
        assertEquals(new TreeSet<>(CudaKernels.KERNEL_NAMES), launched, "the test launches every kernel");

        Map<String, Long> warps = Map.of("u4j_tp_fwd", LaunchConfig.tpWarps(n, plan.numOutBlocks(), C),
                "u4j_tp_bwd_edge", LaunchConfig.tpWarps(m, plan.numEdgeBlocks(), C),
                "u4j_tp_bwd_node", LaunchConfig.tpWarps(n, plan.numNodeBlocks(), C),
                "u4j_tp_fwd_row", LaunchConfig.tpWarps(n, 1, C), "u4j_tp_bwd_edge_row", LaunchConfig.tpWarps(m, 1, C),
                "u4j_tp_bwd_node_row", LaunchConfig.tpWarps(n, 1, C),
                // staged: one warp per receiver (fwd, per-edge backward) or sender (node backward)
                "u4j_tp_fwd_stg", LaunchConfig.tpWarps(n, 1, C), "u4j_tp_bwd_edge_stg", LaunchConfig.tpWarps(n, 1, C),
                "u4j_tp_bwd_node_stg", LaunchConfig.tpWarps(n, 1, C));
        // 0e+1o+2e, 11 paths: slices of 9+9+11+9, 9+2*9+9+11 and 9+9+11+9 floats per channel, 4 warps per block
        int E = plan.edgeDim(), H = plan.nodeDim(), O = plan.outDim(), P = plan.numPaths();
        Map<String, Integer> shared = Map.of("u4j_tp_fwd_row", 4 * plan.outDim() * 32 * 4, "u4j_tp_bwd_edge_row", 4 * plan.edgeDim() * 32 * 4,
                "u4j_tp_bwd_node_row", 4 * plan.nodeDim() * 32 * 4, "u4j_tp_fwd_stg", 4 * (E + H + P + O) * 32 * 4,
                "u4j_tp_bwd_edge_stg", 4 * (O + 2 * E + H + P) * 32 * 4, "u4j_tp_bwd_node_stg", 4 * (E + O + P + H) * 32 * 4);
        for (Launch L : R.launches) {
            Long wp = warps.get(L.kernel());
            if (wp != null) {
                assertEquals(128, L.cfg().blockX(), L.kernel() + " block");
                assertEquals((wp * 32 + 127) / 128, L.cfg().gridX(), L.kernel() + " grid");
                assertEquals(shared.getOrDefault(L.kernel(), 0), L.cfg().sharedBytes(), L.kernel() + " shared memory");
            } else {
                assertEquals(0, L.cfg().sharedBytes());
            }
        }
    }

    @Test
    void deviceCopiesArePerDevice() {
        Recorder r1 = new Recorder(), r2 = new Recorder();
        r2.next = 0x1000_0000_0000L;
        CudaTpPlan plan = CudaTpPlan.forDescriptor(CudaTpBenchmark.descriptor());
        DeviceBuffer a = plan.device(r1), b = plan.device(r2);
        assertNotEquals(a.address(), b.address(), "a cached plan is uploaded once per device, never shared across devices");
        assertSame(a, plan.device(r1));
        org.unite4j.backend.CsrGraph g = new org.unite4j.backend.CsrGraph(2, new int[] {0, 1, 2}, new int[] {1, 0});
        CudaGraph g1 = new CudaKernels(r1, CudaKernels.TpSchedule.BLOCK).graph(g), g2 = new CudaKernels(r2, CudaKernels.TpSchedule.BLOCK).graph(g);
        assertNotSame(g1, g2);
        assertSame(g1, new CudaKernels(r1, CudaKernels.TpSchedule.ROW).graph(new org.unite4j.backend.CsrGraph(2, new int[] {0, 1, 2}, new int[] {1, 0})));
    }

    @Test
    void undersizedBuffersAreRejectedBeforeLaunch() {
        Recorder R = new Recorder();
        CudaKernels K = new CudaKernels(R, CudaKernels.TpSchedule.BLOCK);
        DeviceBuffer small = R.floats(10);
        var ex = assertThrows(IllegalArgumentException.class, () -> K.axpy(11, 1f, small, R.floats(11)));
        assertTrue(ex.getMessage().contains("axpy x"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> K.adamw(10, small, small, small, small, 1f, 0.9f, 0.99f, 1e-8f, 0f, 0));
        assertTrue(R.launches.isEmpty());
    }
}
