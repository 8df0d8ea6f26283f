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
 *       (receiver, out block, 32 channels), no atomics, bitwise deterministic;</li>
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
            "u4j_segment_sum", "u4j_segment_sum_bwd",
            "u4j_fill", "u4j_fill_uniform", "u4j_axpy", "u4j_mul", "u4j_add", "u4j_scale", "u4j_adamw",
            // behind the Backend SPI (CudaComputeBackend)
            "u4j_unary", "u4j_unary_bwd", "u4j_binary", "u4j_reduce_sum", "u4j_matmul", "u4j_copy_blocks", "u4j_index_select",
            "u4j_csr_gather_sum", "u4j_irrep_dot", "u4j_irrep_scale", "u4j_irrep_linear", "u4j_irrep_linear_bwd_x",
            "u4j_irrep_linear_bwd_w", "u4j_adam_step");

    /**
     * Two schedules of the same tensor-product math. BLOCK: one warp per (row, irrep block, 32
     * channels), the block's outputs in registers. ROW: one warp per (row, 32 channels) over all
     * blocks, edges outer and paths inner, outputs in a shared-memory slice (falls back to BLOCK when
     * a row needs more than 48 KiB per 128-thread block). The default is BLOCK, or the system property
     * {@code unite.cuda.tp=row|block}.
     */
    public enum TpSchedule { BLOCK, ROW }

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
        String s = System.getProperty("unite.cuda.tp", "block");
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "block" -> TpSchedule.BLOCK;
            case "row" -> TpSchedule.ROW;
            default -> throw new IllegalArgumentException("unite.cuda.tp must be 'block' or 'row', not '" + s + "'");
        };
    }

    public TpSchedule schedule() {
        return schedule;
    }

    /** Whether the ROW schedule fits a row of {@code dim} floats per channel in shared memory. */
    static boolean rowFits(int dim) {
        return (long) (LaunchConfig.TP_BLOCK / LaunchConfig.WARP) * dim * LaunchConfig.WARP * 4 <= LaunchConfig.MAX_DEFAULT_SHARED;
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

    // ---- tensor product: the array-level signatures of CpuKernels, on device buffers --------------

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

    /** {@code CpuKernels.tpForward(d, g, e, h, w, out)} on device buffers (float32, default stream). */
    public void tpForward(TensorProductDescriptor d, CsrGraph g, DeviceBuffer e, DeviceBuffer h, DeviceBuffer w, DeviceBuffer out) {
        tpForward(CudaTpPlan.forDescriptor(d), graph(g), e, h, w, out);
    }

    /** {@code CpuKernels.tpBackward(d, g, e, h, w, gradOut, gradE, gradH, gradW)} on device buffers (outputs overwritten). */
    public void tpBackward(TensorProductDescriptor d, CsrGraph g, DeviceBuffer e, DeviceBuffer h, DeviceBuffer w, DeviceBuffer gradOut,
                           DeviceBuffer gradE, DeviceBuffer gradH, DeviceBuffer gradW) {
        tpBackward(CudaTpPlan.forDescriptor(d), graph(g), e, h, w, gradOut, gradE, gradH, gradW);
    }

    /** {@code CpuKernels.segmentSum(segPtr, width, x, out)} on device buffers (segPtr uploaded per call). */
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
        boolean row = schedule == TpSchedule.ROW && rowFits(plan.outDim());
        LaunchConfig cfg = row ? LaunchConfig.forRowWarps(LaunchConfig.tpWarps(numNodes, 1, C), plan.outDim())
                : LaunchConfig.forWarps(LaunchConfig.tpWarps(numNodes, plan.numOutBlocks(), C));
        backend.launch(row ? "u4j_tp_fwd_row" : "u4j_tp_fwd", cfg, Jcu.stream(stream), plan.device(backend), C, plan.edgeDim(),
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
        tpBackwardRaw(plan, g.numNodes(), g.numEdges(), g.sender().address(), g.receiver().address(), g.tRowPtr().address(),
                g.tEdge().address(), e.address(), h.address(), w.address(), gradOut.address(), gradE.address(), gradH.address(),
                gradW.address(), 0L);
    }

    /** Backward on raw device pointers (receiver[numEdges], transposed CSR tRowPtr/tEdge as in {@link CudaGraph}). */
    public void tpBackwardRaw(CudaTpPlan plan, int numNodes, int numEdges, long sender, long receiver, long tRowPtr, long tEdge,
                              long e, long h, long w, long gradOut, long gradE, long gradH, long gradW, long stream) {
        tpBackwardEdgeRaw(plan, numEdges, sender, receiver, e, h, w, gradOut, gradE, gradW, stream);
        tpBackwardNodeRaw(plan, numNodes, receiver, tRowPtr, tEdge, e, w, gradOut, gradH, stream);
    }

    /** The per-edge half of the backward: gradE and gradW. */
    public void tpBackwardEdgeRaw(CudaTpPlan plan, int numEdges, long sender, long receiver, long e, long h, long w, long gradOut,
                                  long gradE, long gradW, long stream) {
        int C = plan.channels();
        CUstream s = Jcu.stream(stream);
        boolean row = schedule == TpSchedule.ROW && rowFits(plan.edgeDim());
        LaunchConfig cfg = row ? LaunchConfig.forRowWarps(LaunchConfig.tpWarps(numEdges, 1, C), plan.edgeDim())
                : LaunchConfig.forWarps(LaunchConfig.tpWarps(numEdges, plan.numEdgeBlocks(), C));
        backend.launch(row ? "u4j_tp_bwd_edge_row" : "u4j_tp_bwd_edge", cfg, s, plan.device(backend), C, plan.edgeDim(), plan.nodeDim(), plan.outDim(), plan.numPaths(), numEdges,
                p(sender), p(receiver), p(e), p(h), p(w), p(gradOut), p(gradE), p(gradW));
    }

    /** The gather half of the backward: gradH over the transposed CSR. */
    public void tpBackwardNodeRaw(CudaTpPlan plan, int numNodes, long receiver, long tRowPtr, long tEdge, long e, long w,
                                  long gradOut, long gradH, long stream) {
        int C = plan.channels();
        boolean row = schedule == TpSchedule.ROW && rowFits(plan.nodeDim());
        LaunchConfig cfg = row ? LaunchConfig.forRowWarps(LaunchConfig.tpWarps(numNodes, 1, C), plan.nodeDim())
                : LaunchConfig.forWarps(LaunchConfig.tpWarps(numNodes, plan.numNodeBlocks(), C));
        backend.launch(row ? "u4j_tp_bwd_node_row" : "u4j_tp_bwd_node", cfg, Jcu.stream(stream), plan.device(backend), C, plan.edgeDim(), plan.nodeDim(), plan.outDim(), plan.numPaths(),
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
