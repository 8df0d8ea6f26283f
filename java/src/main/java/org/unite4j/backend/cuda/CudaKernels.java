package org.unite4j.backend.cuda;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import jcuda.driver.CUstream;
import org.unite4j.backend.CsrGraph;
import org.unite4j.irreps.TensorProductDescriptor;

/**
 * The unite4j kernels on device buffers (float32), same math as the CPU reference
 * {@code org.unite4j.backend.cpu.CpuKernels}:
 * <ul>
 *   <li>{@link #tpForward}: out[a,o,M,c] = sum_{k: recv a} sum_{p: iOut(p)=o} s_p w[k,p,c]
 *       sum_{(m1,m2,M)} CG_p e[k,iEdge(p),m1,c] h[sender k,iNode(p),m2,c]; one warp per
 *       (receiver, out block, 32 channels) or per receiver ({@link TpSchedule}), no atomics, bitwise deterministic;</li>
 *   <li>{@link #tpBackward}: gradE, gradW per edge; gradH by a gather over the transposed CSR;
 *       all outputs overwritten;</li>
 *   <li>{@link #segmentSum}: out[s,j] = sum_{r=segPtr[s]}^{segPtr[s+1]-1} x[r,j];</li>
 *   <li>elementwise: fill, uniform random fill, axpy, add, mul, scale, AdamW step.</li>
 * </ul>
 * Each has a raw-pointer variant ({@code ...Raw}: device addresses as longs and a CUstream handle,
 * 0 = default stream) for buffers owned by another framework. Launches are asynchronous on the
 * stream; call {@link CudaBackend#synchronize()} (or the stream's) before reading results on the host.
 */
public final class CudaKernels {
    /** Every kernel entry point the Java side launches (checked against the PTX by the tests). */
    public static final List<String> KERNEL_NAMES = List.of(
            "u4j_tp_fwd", "u4j_tp_bwd_edge", "u4j_tp_bwd_node", "u4j_tp_fwd_row", "u4j_tp_bwd_edge_row", "u4j_tp_bwd_node_row",
            "u4j_tp_fwd_stg", "u4j_tp_bwd_edge_stg", "u4j_tp_bwd_node_stg",
            "u4j_segment_sum", "u4j_segment_sum_bwd",
            "u4j_fill", "u4j_fill_uniform", "u4j_axpy", "u4j_mul", "u4j_add", "u4j_scale", "u4j_adamw",
            // behind the Backend SPI (CudaComputeBackend)
            "u4j_unary", "u4j_unary_bwd", "u4j_binary", "u4j_reduce_sum", "u4j_matmul", "u4j_copy_blocks", "u4j_index_select",
            "u4j_csr_gather_sum", "u4j_irrep_dot", "u4j_irrep_scale", "u4j_irrep_linear", "u4j_irrep_linear_bwd_x",
            "u4j_irrep_linear_bwd_w", "u4j_sum_parts", "u4j_adam_step");

    /** How one tensor-product kernel (forward, per-edge backward or per-node backward) walks the graph. */
    public enum Kind {
        /** One warp per (row, irrep block, 32 channels); the block's outputs in registers; operands re-read per path. */
        BLOCK,
        /** One warp per (row, 32 channels) over all blocks; outputs in a shared-memory slice; operands re-read per path. */
        ROW,
        /**
         * One warp per (receiver or sender row, 32 channels); per edge every input row is loaded once into the warp's
         * shared-memory slice (up to 36 loads in flight per lane), the paths read it there. Bitwise equal to ROW.
         */
        STAGED;

        String suffix() {
            return switch (this) { case BLOCK -> ""; case ROW -> "_row"; case STAGED -> "_stg"; };
        }
    }

    /**
     * Which kernel runs each of the three tensor-product launches (same math, fixed summation order
     * in each; every choice deterministic). Presets: {@link #BLOCK}, {@link #ROW}, {@link #MIXED}
     * (BLOCK forward and node gather, ROW per-edge: the fastest pair of the first H100 run),
     * {@link #STAGED}, {@link #STAGED_EDGE}, {@link #STAGED_NODE}, and {@link #TUNED} (the default:
     * BLOCK forward, STAGED per-edge backward, BLOCK node gather; each the fastest of its launch in
     * the second H100 run, benchmarks/results/GPU_RUNS.md). System property
     * {@code unite.cuda.tp}: a preset name, or three kinds {@code fwd,edge,node} such as
     * {@code staged,row,block}. A ROW/STAGED kernel whose shared-memory slice does not fit 48 KiB per
     * block falls back to BLOCK.
     */
    public record TpSchedule(String name, Kind fwd, Kind edge, Kind node) {
        public static final TpSchedule BLOCK = new TpSchedule("block", Kind.BLOCK, Kind.BLOCK, Kind.BLOCK);
        public static final TpSchedule ROW = new TpSchedule("row", Kind.ROW, Kind.ROW, Kind.ROW);
        public static final TpSchedule MIXED = new TpSchedule("mixed", Kind.BLOCK, Kind.ROW, Kind.BLOCK);
        public static final TpSchedule STAGED = new TpSchedule("staged", Kind.STAGED, Kind.STAGED, Kind.STAGED);
        public static final TpSchedule STAGED_EDGE = new TpSchedule("staged_edge", Kind.STAGED, Kind.STAGED, Kind.BLOCK);
        public static final TpSchedule STAGED_NODE = new TpSchedule("staged_node", Kind.BLOCK, Kind.ROW, Kind.STAGED);
        public static final TpSchedule TUNED = new TpSchedule("tuned", Kind.BLOCK, Kind.STAGED, Kind.BLOCK);
        /** The default where {@code unite.cuda.tp} is not set. */
        public static final TpSchedule DEFAULT = TUNED;

        public TpSchedule {
            java.util.Objects.requireNonNull(fwd); java.util.Objects.requireNonNull(edge); java.util.Objects.requireNonNull(node);
        }

        /** Every preset (the GPU tests run each; the benchmark times each). */
        public static List<TpSchedule> presets() {
            return List.of(BLOCK, ROW, MIXED, STAGED, STAGED_EDGE, STAGED_NODE, TUNED);
        }

        /** A preset name or "fwd,edge,node" kinds (case-insensitive). */
        public static TpSchedule parse(String s) {
            String t = s.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_');
            for (TpSchedule p : presets()) if (p.name.equals(t)) return p;
            String[] k = t.split(",");
            if (k.length == 3) {
                try {
                    Kind[] v = new Kind[3];
                    for (int i = 0; i < 3; i++) v[i] = Kind.valueOf(k[i].trim().toUpperCase(java.util.Locale.ROOT));
                    return new TpSchedule(t, v[0], v[1], v[2]);
                } catch (IllegalArgumentException ex) {
                    // fall through to the message below
                }
            }
            throw new IllegalArgumentException("unite.cuda.tp must be one of " + presets().stream().map(TpSchedule::name).toList()
                    + " or three of block|row|staged as fwd,edge,node; not '" + s + "'");
        }

        @Override
        public String toString() {
            return name + "(" + fwd + "," + edge + "," + node + ")";
        }
    }

    private final CudaBackend owner;
    private final KernelLauncher backend;
    private final TpSchedule schedule;

    public CudaKernels(CudaBackend backend) {
        this(backend, defaultSchedule());
    }

    public CudaKernels(CudaBackend backend, TpSchedule schedule) {
        this.owner = backend;
        this.backend = backend;
        this.schedule = schedule;
    }

    /** Kernels that launch through {@code launcher} (tests record the launches). */
    CudaKernels(KernelLauncher launcher, TpSchedule schedule) {
        this.owner = launcher instanceof CudaBackend b ? b : null;
        this.backend = launcher;
        this.schedule = schedule;
    }

    static TpSchedule defaultSchedule() {
        String s = System.getProperty("unite.cuda.tp");
        return s == null ? TpSchedule.DEFAULT : TpSchedule.parse(s);
    }

    public TpSchedule schedule() {
        return schedule;
    }

    /** Whether the ROW schedule fits a row of {@code dim} floats per channel in shared memory. */
    static boolean rowFits(int dim) {
        return (long) (LaunchConfig.TP_BLOCK / LaunchConfig.WARP) * dim * LaunchConfig.WARP * 4 <= LaunchConfig.MAX_DEFAULT_SHARED;
    }

    /** Shared floats per channel of one warp of the STAGED kernels (as u4j_*_stg_floats in the .cu). */
    static int stagedFloatsFwd(CudaTpPlan p) {
        return p.edgeDim() + p.nodeDim() + p.numPaths() + p.outDim();
    }

    static int stagedFloatsEdge(CudaTpPlan p) {
        return p.outDim() + 2 * p.edgeDim() + p.nodeDim() + p.numPaths();
    }

    static int stagedFloatsNode(CudaTpPlan p) {
        return p.edgeDim() + p.outDim() + p.numPaths() + p.nodeDim();
    }

    /** The kind that actually runs: ROW/STAGED fall back to BLOCK when their slice does not fit. */
    static Kind effective(Kind k, int rowDim, int stagedFloats) {
        return switch (k) {
            case BLOCK -> Kind.BLOCK;
            case ROW -> rowFits(rowDim) ? Kind.ROW : Kind.BLOCK;
            case STAGED -> LaunchConfig.stagedWarpsPerBlock(stagedFloats) > 0 ? Kind.STAGED : Kind.BLOCK;
        };
    }

    /** Kernels on {@link CudaBackend#get()} with the default schedule. */
    public static CudaKernels get() {
        return new CudaKernels(CudaBackend.get());
    }

    public CudaBackend backend() {
        return owner;
    }

    private static CudaBackend.Ptr p(long address) {
        return new CudaBackend.Ptr(address);
    }

    private static void need(DeviceBuffer b, long floats, String what) {
        if (b.length4() < floats)
            throw new IllegalArgumentException(what + ": device buffer holds " + b.length4() + " elements, needs " + floats);
    }

    // ---- tensor product: the array-level signatures of CpuTp, on device buffers --------------------

    /** Device copies of graphs, per device (launcher), kept while the graph object is reachable. */
    private static final Map<KernelLauncher, Map<CsrGraph, CudaGraph>> GRAPHS = new WeakHashMap<>();

    /** The device copy of {@code g} (uploaded once per graph and device, cached while g is reachable). */
    public CudaGraph graph(CsrGraph g) {
        Map<CsrGraph, CudaGraph> cache;
        synchronized (GRAPHS) {
            cache = GRAPHS.computeIfAbsent(backend, k -> Collections.synchronizedMap(new WeakHashMap<>()));
        }
        CudaGraph cg = cache.get(g);
        if (cg == null || cg.isClosed()) {
            cg = CudaGraph.upload(backend, g.rowPtr(), g.sender(), g.tRowPtr(), g.tEdge());
            cache.put(g, cg);
        }
        return cg;
    }

    /** {@code CpuTp.of(d).forward(g, e, h, w, out)} on device buffers (float32, default stream). */
    public void tpForward(TensorProductDescriptor d, CsrGraph g, DeviceBuffer e, DeviceBuffer h, DeviceBuffer w, DeviceBuffer out) {
        tpForward(CudaTpPlan.forDescriptor(d), graph(g), e, h, w, out);
    }

    /** {@code CpuTp.of(d).backward(g, e, h, w, gradOut, gradE, gradH, gradW)} on device buffers (outputs overwritten). */
    public void tpBackward(TensorProductDescriptor d, CsrGraph g, DeviceBuffer e, DeviceBuffer h, DeviceBuffer w, DeviceBuffer gradOut,
                           DeviceBuffer gradE, DeviceBuffer gradH, DeviceBuffer gradW) {
        tpBackward(CudaTpPlan.forDescriptor(d), graph(g), e, h, w, gradOut, gradE, gradH, gradW);
    }

    /** {@code org.unite4j.backend.cpu.CpuReduce.segmentSum(segPtr, width, x, out)} on device buffers (segPtr uploaded per call). */
    public void segmentSum(int[] segPtr, int width, DeviceBuffer x, DeviceBuffer out) {
        if (segPtr.length < 1) throw new IllegalArgumentException("segPtr needs numSegments+1 >= 1 entries");
        for (int s = 0; s + 1 < segPtr.length; s++)
            if (segPtr[s + 1] < segPtr[s]) throw new IllegalArgumentException("segPtr decreases at segment " + s);
        need(x, (long) segPtr[segPtr.length - 1] * width, "segmentSum x");
        try (DeviceBuffer sp = backend.upload(segPtr)) {
            segmentSum(sp, segPtr.length - 1, width, x, out); // pool reuse is ordered after it on the default stream
        }
    }

    // ---- tensor product on plans and device graphs ---------------------------------------------

    /** Forward fused gather-TP-reduce on device buffers (default stream). */
    public void tpForward(CudaTpPlan plan, CudaGraph g, DeviceBuffer e, DeviceBuffer h, DeviceBuffer w, DeviceBuffer out) {
        long C = plan.channels();
        need(e, (long) g.numEdges() * plan.edgeDim() * C, "tpForward e");
        need(h, (long) g.numNodes() * plan.nodeDim() * C, "tpForward h");
        need(w, (long) g.numEdges() * plan.numPaths() * C, "tpForward w");
        need(out, (long) g.numNodes() * plan.outDim() * C, "tpForward out");
        tpForwardRaw(plan, g.numNodes(), g.rowPtr().address(), g.sender().address(), e.address(), h.address(), w.address(),
                out.address(), 0L);
    }

    /**
     * Forward on raw device pointers: rowPtr, sender int32; e, h, w, out float32 in the ir_mul layout
     * of {@link CudaTpPlan}; {@code stream} a CUstream handle (0 = default).
     */
    public void tpForwardRaw(CudaTpPlan plan, int numNodes, long rowPtr, long sender, long e, long h, long w, long out, long stream) {
        int C = plan.channels();
        Kind k = effective(schedule.fwd(), plan.outDim(), stagedFloatsFwd(plan));
        LaunchConfig cfg = switch (k) {
            case ROW -> LaunchConfig.forRowWarps(LaunchConfig.tpWarps(numNodes, 1, C), plan.outDim());
            case STAGED -> LaunchConfig.forStagedWarps(LaunchConfig.tpWarps(numNodes, 1, C), stagedFloatsFwd(plan));
            case BLOCK -> LaunchConfig.forWarps(LaunchConfig.tpWarps(numNodes, plan.numOutBlocks(), C));
        };
        backend.launch("u4j_tp_fwd" + k.suffix(), cfg, Jcu.stream(stream), plan.device(backend), C, plan.edgeDim(),
                plan.nodeDim(), plan.outDim(), plan.numPaths(), numNodes, p(rowPtr), p(sender), p(e), p(h), p(w), p(out));
    }

    /** Backward: gradE, gradH, gradW (overwritten) from gradOut. */
    public void tpBackward(CudaTpPlan plan, CudaGraph g, DeviceBuffer e, DeviceBuffer h, DeviceBuffer w, DeviceBuffer gradOut,
                           DeviceBuffer gradE, DeviceBuffer gradH, DeviceBuffer gradW) {
        long C = plan.channels();
        need(e, (long) g.numEdges() * plan.edgeDim() * C, "tpBackward e");
        need(h, (long) g.numNodes() * plan.nodeDim() * C, "tpBackward h");
        need(w, (long) g.numEdges() * plan.numPaths() * C, "tpBackward w");
        need(gradOut, (long) g.numNodes() * plan.outDim() * C, "tpBackward gradOut");
        need(gradE, (long) g.numEdges() * plan.edgeDim() * C, "tpBackward gradE");
        need(gradH, (long) g.numNodes() * plan.nodeDim() * C, "tpBackward gradH");
        need(gradW, (long) g.numEdges() * plan.numPaths() * C, "tpBackward gradW");
        tpBackwardRaw(plan, g.numNodes(), g.numEdges(), g.rowPtr().address(), g.sender().address(), g.receiver().address(),
                g.tRowPtr().address(), g.tEdge().address(), e.address(), h.address(), w.address(), gradOut.address(), gradE.address(),
                gradH.address(), gradW.address(), 0L);
    }

    /**
     * Backward on raw device pointers: the receiver-sorted CSR (rowPtr[numNodes+1], sender[numEdges]),
     * receiver[numEdges] and the transposed CSR tRowPtr/tEdge as in {@link CudaGraph}.
     */
    public void tpBackwardRaw(CudaTpPlan plan, int numNodes, int numEdges, long rowPtr, long sender, long receiver, long tRowPtr,
                              long tEdge, long e, long h, long w, long gradOut, long gradE, long gradH, long gradW, long stream) {
        tpBackwardEdgeRaw(plan, numNodes, numEdges, rowPtr, sender, receiver, e, h, w, gradOut, gradE, gradW, stream);
        tpBackwardNodeRaw(plan, numNodes, receiver, tRowPtr, tEdge, e, w, gradOut, gradH, stream);
    }

    /** The per-edge half of the backward: gradE and gradW. */
    public void tpBackwardEdgeRaw(CudaTpPlan plan, int numNodes, int numEdges, long rowPtr, long sender, long receiver, long e, long h,
                                  long w, long gradOut, long gradE, long gradW, long stream) {
        int C = plan.channels();
        CUstream s = Jcu.stream(stream);
        Kind k = effective(schedule.edge(), plan.edgeDim(), stagedFloatsEdge(plan));
        if (k == Kind.STAGED) {
            backend.launch("u4j_tp_bwd_edge_stg", LaunchConfig.forStagedWarps(LaunchConfig.tpWarps(numNodes, 1, C), stagedFloatsEdge(plan)),
                    s, plan.device(backend), C, plan.edgeDim(), plan.nodeDim(), plan.outDim(), plan.numPaths(), numNodes,
                    p(rowPtr), p(sender), p(e), p(h), p(w), p(gradOut), p(gradE), p(gradW));
            return;
        }
        LaunchConfig cfg = k == Kind.ROW ? LaunchConfig.forRowWarps(LaunchConfig.tpWarps(numEdges, 1, C), plan.edgeDim())
                : LaunchConfig.forWarps(LaunchConfig.tpWarps(numEdges, plan.numEdgeBlocks(), C));
        backend.launch("u4j_tp_bwd_edge" + k.suffix(), cfg, s, plan.device(backend), C, plan.edgeDim(), plan.nodeDim(), plan.outDim(), plan.numPaths(), numEdges,
                p(sender), p(receiver), p(e), p(h), p(w), p(gradOut), p(gradE), p(gradW));
    }

    /** The gather half of the backward: gradH over the transposed CSR. */
    public void tpBackwardNodeRaw(CudaTpPlan plan, int numNodes, long receiver, long tRowPtr, long tEdge, long e, long w,
                                  long gradOut, long gradH, long stream) {
        int C = plan.channels();
        Kind k = effective(schedule.node(), plan.nodeDim(), stagedFloatsNode(plan));
        LaunchConfig cfg = switch (k) {
            case ROW -> LaunchConfig.forRowWarps(LaunchConfig.tpWarps(numNodes, 1, C), plan.nodeDim());
            case STAGED -> LaunchConfig.forStagedWarps(LaunchConfig.tpWarps(numNodes, 1, C), stagedFloatsNode(plan));
            case BLOCK -> LaunchConfig.forWarps(LaunchConfig.tpWarps(numNodes, plan.numNodeBlocks(), C));
        };
        backend.launch("u4j_tp_bwd_node" + k.suffix(), cfg, Jcu.stream(stream), plan.device(backend), C, plan.edgeDim(), plan.nodeDim(), plan.outDim(), plan.numPaths(),
                numNodes, p(receiver), p(tRowPtr), p(tEdge), p(e), p(w), p(gradOut), p(gradH));
    }

    // ---- pooling ---------------------------------------------------------------------------------

    /** out[s, j] = sum of rows segPtr[s]..segPtr[s+1]-1 of x (width floats per row). */
    public void segmentSum(DeviceBuffer segPtr, int numSeg, int width, DeviceBuffer x, DeviceBuffer out) {
        need(segPtr, numSeg + 1L, "segmentSum segPtr");
        need(out, (long) numSeg * width, "segmentSum out");
        segmentSumRaw(segPtr.address(), numSeg, width, x.address(), out.address(), 0L);
    }

    public void segmentSumRaw(long segPtr, int numSeg, int width, long x, long out, long stream) {
        backend.launch("u4j_segment_sum", LaunchConfig.forElements((long) numSeg * width), Jcu.stream(stream),
                p(segPtr), numSeg, width, p(x), p(out));
    }

    /** Backward of segment sum: gradX[r, j] = gradOut[rowSeg[r], j]. */
    public void segmentSumBackward(DeviceBuffer rowSeg, int numRows, int width, DeviceBuffer gradOut, DeviceBuffer gradX) {
        need(rowSeg, numRows, "segmentSumBackward rowSeg");
        need(gradX, (long) numRows * width, "segmentSumBackward gradX");
        backend.launch("u4j_segment_sum_bwd", LaunchConfig.forElements((long) numRows * width), null,
                rowSeg, numRows, width, gradOut, gradX);
    }

    // ---- elementwise -------------------------------------------------------------------------------

    public void fill(DeviceBuffer x, long n, float v) {
        need(x, n, "fill");
        backend.launch("u4j_fill", LaunchConfig.forElements(n), null, x, n, v);
    }

    /** x[i] = lo + (hi-lo) u_i with u_i a hash of (seed, i) in [0,1): reproducible device-side random data. */
    public void fillUniform(DeviceBuffer x, long n, int seed, float lo, float hi) {
        need(x, n, "fillUniform");
        backend.launch("u4j_fill_uniform", LaunchConfig.forElements(n), null, x, n, seed, lo, hi);
    }

    /** y = a x + y. */
    public void axpy(long n, float a, DeviceBuffer x, DeviceBuffer y) {
        need(x, n, "axpy x"); need(y, n, "axpy y");
        backend.launch("u4j_axpy", LaunchConfig.forElements(n), null, n, a, x, y);
    }

    /** z = x + y. */
    public void add(long n, DeviceBuffer x, DeviceBuffer y, DeviceBuffer z) {
        need(x, n, "add x"); need(y, n, "add y"); need(z, n, "add z");
        backend.launch("u4j_add", LaunchConfig.forElements(n), null, n, x, y, z);
    }

    /** z = x * y elementwise. */
    public void mul(long n, DeviceBuffer x, DeviceBuffer y, DeviceBuffer z) {
        need(x, n, "mul x"); need(y, n, "mul y"); need(z, n, "mul z");
        backend.launch("u4j_mul", LaunchConfig.forElements(n), null, n, x, y, z);
    }

    /** y = s x. */
    public void scale(long n, float s, DeviceBuffer x, DeviceBuffer y) {
        need(x, n, "scale x"); need(y, n, "scale y");
        backend.launch("u4j_scale", LaunchConfig.forElements(n), null, n, s, x, y);
    }

    /**
     * AdamW step t (1-based): m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
     * p -= lr ((m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps) + wd p).
     */
    public void adamw(long n, DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, float lr, float b1, float b2,
                      float eps, float wd, int step) {
        if (step < 1) throw new IllegalArgumentException("AdamW step must be >= 1: " + step);
        need(param, n, "adamw param"); need(grad, n, "adamw grad"); need(m, n, "adamw m"); need(v, n, "adamw v");
        float bc1 = (float) (1 - Math.pow(b1, step)), bc2 = (float) (1 - Math.pow(b2, step));
        backend.launch("u4j_adamw", LaunchConfig.forElements(n), null, n, param, grad, m, v, lr, b1, b2, eps, wd, bc1, bc2);
    }
}
