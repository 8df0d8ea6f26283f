package org.unite4j.backend.cuda;

import java.lang.ref.Reference;
import org.unite4j.backend.Backend;
import org.unite4j.backend.BinaryOp;
import org.unite4j.backend.BlockLayout;
import org.unite4j.backend.CompiledTp;
import org.unite4j.backend.CsrGraph;
import org.unite4j.backend.DType;
import org.unite4j.backend.LinearPlan;
import org.unite4j.backend.Storage;
import org.unite4j.backend.UnaryOp;
import org.unite4j.irreps.TensorProductDescriptor;

/**
 * The "cuda" compute backend of the {@link Backend} SPI: float32 storages in device memory and
 * every autograd kernel on the GPU (unite4j_kernels.cu), with the same math and summation order as
 * the CPU reference, so results are deterministic. Float64 is not supported ({@link #supports}).
 * The fused tensor product runs the {@link CudaKernels} kernels; index arrays (CSR pointers, gather
 * indices, layouts) are uploaded per call, graphs once per {@link CsrGraph}.
 */
public final class CudaComputeBackend implements Backend {
    private volatile KernelLauncher launcher;
    private volatile CudaKernels kernels;

    public CudaComputeBackend() {}

    /** For tests: kernels launched through {@code launcher} (no device). */
    CudaComputeBackend(KernelLauncher launcher) {
        this.launcher = launcher;
        this.kernels = new CudaKernels(launcher, CudaKernels.defaultSchedule());
    }

    private KernelLauncher L() {
        KernelLauncher l = launcher;
        if (l == null) {
            synchronized (this) {
                if (launcher == null) {
                    CudaBackend b = CudaBackend.get();
                    kernels = new CudaKernels(b);
                    launcher = b;
                }
                l = launcher;
            }
        }
        return l;
    }

    private CudaKernels K() {
        L();
        return kernels;
    }

    private CudaBackend device() {
        if (!(L() instanceof CudaBackend b)) throw new IllegalStateException("no CUDA device behind this backend");
        return b;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public boolean isAvailable() {
        return CudaBackend.isAvailable();
    }

    @Override
    public boolean supports(DType dtype) {
        return dtype == DType.FLOAT32;
    }

    private static DeviceBuffer buf(Storage s) {
        if (!(s instanceof CudaStorage c)) throw new IllegalArgumentException("not a cuda storage: " + s);
        return c.buffer();
    }

    private static void f32(DType d) {
        if (d != DType.FLOAT32) throw new IllegalArgumentException("the cuda backend stores float32 only, not " + d);
    }

    private CudaStorage wrap(DeviceBuffer b, int size) {
        return new CudaStorage(b, size, this);
    }

    @Override
    public Storage allocate(DType dtype, int size) {
        f32(dtype);
        CudaStorage s = wrap(device().allocateFloats(size), size);
        K().fill(s.buffer(), size, 0f);
        return s;
    }

    @Override
    public Storage fromDoubles(double[] data, DType dtype) {
        f32(dtype);
        float[] f = toFloats(data);
        return wrap(device().upload(f), f.length);
    }

    @Override
    public double[] toDoubles(Storage s) {
        float[] f = new float[s.size()];
        buf(s).download(f); // synchronous: ordered after all queued work on the default stream
        return widen(f);
    }

    /** Elements per task of the host-side conversions (a model's edge features are 10^7-10^8 values). */
    static final int CONVERT_GRAIN = 1 << 16;

    /** (float) x[i], split over the CPU threads (the same bits on any count). */
    static float[] toFloats(double[] x) {
        float[] f = new float[x.length];
        org.unite4j.backend.cpu.Parallel.forRange(x.length, CONVERT_GRAIN, (lo, hi) -> {
            for (int i = lo; i < hi; i++) f[i] = (float) x[i];
        });
        return f;
    }

    /** (double) f[i], split over the CPU threads. */
    static double[] widen(float[] f) {
        double[] d = new double[f.length];
        org.unite4j.backend.cpu.Parallel.forRange(f.length, CONVERT_GRAIN, (lo, hi) -> {
            for (int i = lo; i < hi; i++) d[i] = f[i];
        });
        return d;
    }

    @Override
    public Storage convert(Storage s, DType dtype) {
        f32(dtype);
        CudaStorage out = wrap(device().allocateFloats(s.size()), s.size());
        copyBlocks(s, 0, 0, out, 0, 0, 1, s.size());
        return out;
    }

    @Override
    public void unary(UnaryOp op, double p, Storage x, Storage out) {
        long n = out.size();
        L().launch("u4j_unary", LaunchConfig.forElements(n), null, op.ordinal(), (float) p, n, buf(x), buf(out));
    }

    @Override
    public void unaryBackward(UnaryOp op, double p, Storage x, Storage gy, Storage gx) {
        long n = gx.size();
        L().launch("u4j_unary_bwd", LaunchConfig.forElements(n), null, op.ordinal(), (float) p, n, buf(x), buf(gy), buf(gx));
    }

    /** Row-major strides of {@code shape} broadcast to {@code outShape} (0 on broadcast axes), NumPy rules. */
    static int[] broadcastStrides(int[] shape, int[] outShape) {
        int nd = outShape.length, off = nd - shape.length;
        if (off < 0) throw new IllegalArgumentException("operand has more dims than the output");
        int[] st = new int[nd];
        int stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            int od = d + off;
            if (shape[d] == outShape[od]) st[od] = stride;
            else if (shape[d] == 1) st[od] = 0;
            else throw new IllegalArgumentException("shape dim " + shape[d] + " does not broadcast to " + outShape[od]);
            stride *= shape[d];
        }
        return st;
    }

    @Override
    public void binary(BinaryOp op, Storage a, int[] aShape, Storage b, int[] bShape, Storage out, int[] outShape) {
        int nd = Math.max(1, outShape.length);
        int[] os = outShape.length == 0 ? new int[] {1} : outShape;
        int[] as = outShape.length == 0 ? new int[] {0} : broadcastStrides(aShape, outShape);
        int[] bs = outShape.length == 0 ? new int[] {0} : broadcastStrides(bShape, outShape);
        if (outShape.length == 0) { as[0] = 0; bs[0] = 0; }
        int[] dims = new int[3 * nd];
        System.arraycopy(os, 0, dims, 0, nd);
        System.arraycopy(as, 0, dims, nd, nd);
        System.arraycopy(bs, 0, dims, 2 * nd, nd);
        long n = out.size();
        try (DeviceBuffer d = L().upload(dims)) {
            L().launch("u4j_binary", LaunchConfig.forElements(n), null, op.ordinal(), nd, n, d, buf(a), buf(b), buf(out));
        }
    }

    @Override
    public void reduceSum(Storage x, int[] shape, boolean[] reduce, Storage out) {
        int nd = shape.length;
        if (nd == 0) {
            copyBlocks(x, 0, 0, out, 0, 0, 1, 1);
            return;
        }
        int[] xs = new int[nd];
        int stride = 1;
        for (int d = nd - 1; d >= 0; d--) { xs[d] = stride; stride *= shape[d]; }
        int count = 1;
        for (int d = 0; d < nd; d++) if (reduce[d]) count *= shape[d];
        int[] red = new int[Math.max(1, count)];
        int[] idx = new int[nd];
        for (int r = 0; r < count; r++) {
            int off = 0;
            for (int d = 0; d < nd; d++) if (reduce[d]) off += idx[d] * xs[d];
            red[r] = off;
            for (int d = nd - 1; d >= 0; d--) {
                if (!reduce[d]) continue;
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        int[] dims = new int[2 * nd];
        for (int d = 0; d < nd; d++) { dims[d] = reduce[d] ? 1 : shape[d]; dims[nd + d] = xs[d]; }
        long nOut = out.size();
        int[] sp = split(nOut, count);
        try (DeviceBuffer dd = L().upload(dims); DeviceBuffer rr = L().upload(red); DeviceBuffer part = parts(nOut, sp)) {
            L().launch("u4j_reduce_sum", LaunchConfig.forElements(nOut * sp[1]), null, nd, nOut, count, sp[0], sp[1], dd, rr, buf(x),
                    part != null ? part : buf(out));
            if (part != null) sumParts(nOut, sp[1], part, buf(out));
        } finally { // the allocations above may GC: keep the caller's storages until they are in the launches
            Reference.reachabilityFence(x);
            Reference.reachabilityFence(out);
        }
    }

    @Override
    public void matmul(Storage a, Storage b, Storage out, int m, int k, int n, boolean transA, boolean transB) {
        long mn = (long) m * n;
        int[] sp = split(mn, k);
        try (DeviceBuffer part = parts(mn, sp)) {
            L().launch("u4j_matmul", LaunchConfig.forElements(mn * sp[1]), null, m, k, n, transA ? 1 : 0, transB ? 1 : 0, sp[0], sp[1],
                    buf(a), buf(b), part != null ? part : buf(out));
            if (part != null) sumParts(mn, sp[1], part, buf(out));
        } finally {
            Reference.reachabilityFence(a);
            Reference.reachabilityFence(b);
            Reference.reachabilityFence(out);
        }
    }

    /** Sums of fewer terms than this run in one thread per output. */
    static final int SPLIT_MIN_LENGTH = 1024;
    /** From this many outputs a launch has threads enough without splitting. */
    static final long SPLIT_MAX_OUTPUTS = 1L << 18;
    /** At most this many partial sums in flight (64 MiB of float32), at most 1024 runs, runs of at least 128 terms. */
    static final long SPLIT_MAX_PARTIALS = 1L << 24;

    /**
     * How a sum of {@code length} terms per output is split for {@code outputs} outputs: {per, parts},
     * runs of {@code per} consecutive terms whose partial sums u4j_sum_parts adds in order. A function
     * of the sizes only, so results are bitwise reproducible on any device. Long sums with few outputs
     * (weight and bias gradients: a sum over every row) otherwise run on a few thousand threads, each
     * looping over all rows: 350 ms of a 575 ms model step at 65,858 blocks on an H100.
     */
    static int[] split(long outputs, int length) {
        if (length < SPLIT_MIN_LENGTH || outputs >= SPLIT_MAX_OUTPUTS || outputs == 0) return new int[] {Math.max(1, length), 1};
        long parts = Math.min(Math.min(LaunchConfig.ceilDiv(length, 128), 1024), Math.max(2, SPLIT_MAX_PARTIALS / outputs));
        int per = (int) LaunchConfig.ceilDiv(length, parts);
        return new int[] {per, (int) LaunchConfig.ceilDiv(length, per)};
    }

    /** The partial-sum buffer of a split (null when not split). */
    private DeviceBuffer parts(long outputs, int[] sp) {
        return sp[1] > 1 ? L().allocateFloats(outputs * sp[1]) : null;
    }

    /** out[j] = sum_{c < parts} part[c * n + j], in order of c. */
    private void sumParts(long n, int parts, DeviceBuffer part, DeviceBuffer out) {
        L().launch("u4j_sum_parts", LaunchConfig.forElements(n), null, n, parts, part, out);
    }

    @Override
    public void copyBlocks(Storage src, int srcStride, int srcOffset, Storage dst, int dstStride, int dstOffset, int outer, int count) {
        L().launch("u4j_copy_blocks", LaunchConfig.forElements((long) outer * count), null, buf(src), srcStride, srcOffset, buf(dst),
                dstStride, dstOffset, outer, count);
    }

    @Override
    public void indexSelect(Storage x, int width, int[] index, Storage out) {
        int rows = width == 0 ? 0 : x.size() / width;
        for (int i = 0; i < index.length; i++)
            if (index[i] < 0 || index[i] >= rows)
                throw new IllegalArgumentException("indexSelect: index[" + i + "] = " + index[i] + " outside 0.." + (rows - 1));
        if (index.length == 0 || width == 0) return;
        try (DeviceBuffer ix = L().upload(index)) {
            L().launch("u4j_index_select", LaunchConfig.forElements((long) index.length * width), null, buf(x), width, ix, index.length, buf(out));
        }
    }

    @Override
    public void csrGatherSum(int[] ptr, int[] col, Storage x, int width, Storage out) {
        int na = ptr.length - 1;
        int xRows = width == 0 ? 0 : x.size() / width;
        for (int a = 0; a < na; a++)
            if (ptr[a + 1] < ptr[a]) throw new IllegalArgumentException("csrGatherSum: ptr decreases at row " + a);
        if (col == null && ptr[na] != xRows)
            throw new IllegalArgumentException("csrGatherSum: ptr ends at " + ptr[na] + " but x has " + xRows + " rows");
        if (col != null)
            for (int k = 0; k < ptr[na]; k++)
                if (col[k] < 0 || col[k] >= xRows) throw new IllegalArgumentException("csrGatherSum: col[" + k + "] = " + col[k] + " outside 0.." + (xRows - 1));
        if (na == 0 || width == 0) return;
        try (DeviceBuffer dp = L().upload(ptr); DeviceBuffer dc = col == null ? null : L().upload(col)) {
            L().launch("u4j_csr_gather_sum", LaunchConfig.forElements((long) na * width), null, dp,
                    dc == null ? new CudaBackend.Ptr(0) : dc, na, width, buf(x), buf(out));
        }
    }

    static int[] layoutTable(BlockLayout L) {
        int n = L.numBlocks();
        int[] t = new int[3 + 4 * n];
        t[0] = n; t[1] = L.width(); t[2] = L.channels();
        for (int i = 0; i < n; i++) {
            t[3 + 4 * i] = L.mul(i); t[4 + 4 * i] = L.dim(i); t[5 + 4 * i] = L.offset(i); t[6 + 4 * i] = L.channelOffset(i);
        }
        return t;
    }

    @Override
    public void irrepDot(BlockLayout layout, int rows, Storage a, Storage b, Storage out) {
        try (DeviceBuffer t = L().upload(layoutTable(layout))) {
            L().launch("u4j_irrep_dot", LaunchConfig.forElements((long) rows * layout.channels()), null, t, rows, buf(a), buf(b), buf(out));
        }
    }

    @Override
    public void irrepScale(BlockLayout layout, int rows, Storage x, Storage s, int sRows, Storage out) {
        try (DeviceBuffer t = L().upload(layoutTable(layout))) {
            L().launch("u4j_irrep_scale", LaunchConfig.forElements((long) rows * layout.width()), null, t, rows, buf(x), buf(s), sRows, buf(out));
        }
    }

    /** [nInstr, offIn, offOut, (inBlock, outBlock, wOff) per instruction, in layout, out layout]. */
    static int[] linearTable(LinearPlan pl) {
        int n = pl.inBlock().length;
        int[] li = layoutTable(pl.in()), lo = layoutTable(pl.out());
        int[] t = new int[3 + 3 * n + li.length + lo.length];
        t[0] = n; t[1] = 3 + 3 * n; t[2] = 3 + 3 * n + li.length;
        for (int j = 0; j < n; j++) { t[3 + 3 * j] = pl.inBlock()[j]; t[4 + 3 * j] = pl.outBlock()[j]; t[5 + 3 * j] = pl.weightOffset()[j]; }
        System.arraycopy(li, 0, t, t[1], li.length);
        System.arraycopy(lo, 0, t, t[2], lo.length);
        return t;
    }

    @Override
    public void irrepLinear(LinearPlan plan, int rows, Storage x, Storage w, Storage out) {
        try (DeviceBuffer t = L().upload(linearTable(plan))) {
            L().launch("u4j_irrep_linear", LaunchConfig.forElements((long) rows * plan.out().width()), null, t, rows, buf(x), buf(w), buf(out));
        }
    }

    @Override
    public void irrepLinearBackward(LinearPlan plan, int rows, Storage x, Storage w, Storage gradOut, Storage gradX, Storage gradW) {
        try (DeviceBuffer t = L().upload(linearTable(plan))) {
            if (gradX != null)
                L().launch("u4j_irrep_linear_bwd_x", LaunchConfig.forElements((long) rows * plan.in().width()), null, t, rows, buf(w),
                        buf(gradOut), buf(gradX));
            if (gradW != null) {
                int nw = plan.numWeights();
                int[] sp = split(nw, rows);
                try (DeviceBuffer part = parts(nw, sp)) {
                    L().launch("u4j_irrep_linear_bwd_w", LaunchConfig.forElements((long) nw * sp[1]), null, t, rows, nw, sp[0], sp[1], buf(x),
                            buf(gradOut), part != null ? part : buf(gradW));
                    if (part != null) sumParts(nw, sp[1], part, buf(gradW));
                } finally {
                    Reference.reachabilityFence(x);
                    Reference.reachabilityFence(gradOut);
                    Reference.reachabilityFence(gradW);
                }
            }
        }
    }

    /**
     * The kernel plan of d ({@link CudaTpPlan#forDescriptor}, the CUDA side's one plan cache): same
     * blocks and paths, the CG constants compiled into the kernels for each (l1, l2, l3).
     *
     * @throws IllegalArgumentException for a path the kernels cannot run (l > {@link CompiledCg#LMAX})
     */
    @Override
    public CompiledTp compile(TensorProductDescriptor d) {
        return new Tp(d, CudaTpPlan.forDescriptor(d));
    }

    /** A descriptor compiled for the CUDA kernels (float32, default stream). */
    private final class Tp implements CompiledTp {
        private final TensorProductDescriptor descriptor;
        private final CudaTpPlan plan;

        Tp(TensorProductDescriptor descriptor, CudaTpPlan plan) {
            this.descriptor = descriptor;
            this.plan = plan;
        }

        @Override
        public TensorProductDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public void forward(CsrGraph g, Storage e, Storage h, Storage w, Storage out) {
            if (plan.numPaths() == 0) { // every output block empty
                K().fill(buf(out), out.size(), 0f);
                return;
            }
            K().tpForward(plan, K().graph(g), buf(e), buf(h), buf(w), buf(out));
        }

        @Override
        public void backward(CsrGraph g, Storage e, Storage h, Storage w, Storage gradOut, Storage gradE, Storage gradH,
                             Storage gradW) {
            int C = plan.channels();
            DeviceBuffer gE = gradE != null ? buf(gradE) : null, gH = gradH != null ? buf(gradH) : null, gW = gradW != null ? buf(gradW) : null;
            DeviceBuffer tE = null, tH = null, tW = null;
            try {
                if (gE == null) gE = tE = device().allocateFloats((long) g.numEdges() * plan.edgeDim() * C);
                if (gH == null) gH = tH = device().allocateFloats((long) g.numNodes() * plan.nodeDim() * C);
                if (gW == null) gW = tW = device().allocateFloats((long) g.numEdges() * plan.numPaths() * C);
                if (plan.numPaths() == 0) {
                    K().fill(gE, gE.length4(), 0f);
                    K().fill(gH, gH.length4(), 0f);
                    K().fill(gW, gW.length4(), 0f);
                } else {
                    K().tpBackward(plan, K().graph(g), buf(e), buf(h), buf(w), buf(gradOut), gE, gH, gW);
                }
            } finally {
                if (tE != null) tE.close();
                if (tH != null) tH.close();
                if (tW != null) tW.close();
                // the temporaries above may GC: the caller's storages must stay reachable until their
                // blocks are in the launch, or a freed block could come back as a temporary
                Reference.reachabilityFence(e);
                Reference.reachabilityFence(h);
                Reference.reachabilityFence(w);
                Reference.reachabilityFence(gradOut);
                Reference.reachabilityFence(gradE);
                Reference.reachabilityFence(gradH);
                Reference.reachabilityFence(gradW);
            }
        }

        @Override
        public String toString() {
            return "cuda " + descriptor;
        }
    }

    @Override
    public void adamStep(Storage p, Storage g, Storage m, Storage v, double lr, double beta1, double beta2, double eps, double weightDecay,
                         boolean decoupled, int t) {
        if (t < 1) throw new IllegalArgumentException("Adam step must be >= 1: " + t);
        long n = p.size();
        float c1 = (float) (1.0 - Math.pow(beta1, t)), c2 = (float) (1.0 - Math.pow(beta2, t));
        L().launch("u4j_adam_step", LaunchConfig.forElements(n), null, n, buf(p), buf(g), buf(m), buf(v), (float) lr, (float) beta1,
                (float) beta2, (float) eps, (float) weightDecay, decoupled ? 1 : 0, c1, c2);
    }

    @Override
    public String toString() {
        return "cuda backend" + (isAvailable() ? " on " + CudaBackend.get().describe() : " (unavailable: " + CudaBackend.unavailableReason() + ")");
    }
}
