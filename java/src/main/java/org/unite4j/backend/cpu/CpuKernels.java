package org.unite4j.backend.cpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.unite4j.backend.BinaryOp;
import org.unite4j.backend.BlockLayout;
import org.unite4j.backend.CsrGraph;
import org.unite4j.backend.LinearPlan;
import org.unite4j.backend.UnaryOp;

/**
 * Array-level CPU kernels, the reference every other backend is compared with. All methods
 * overwrite their outputs, run on {@link Parallel}, and give bitwise identical results for any
 * thread count: each output element is written by one thread, summing in a fixed order (rows in
 * increasing order). The tensor product is {@link CpuTp} (float64 and float32). With the JVM flag
 * {@code --add-modules jdk.incubator.vector} (set by the launcher, the tests and the benchmarks)
 * the tensor product and the dense kernels run SIMD code (lanes over channels, same operations in
 * the same order: the same bits as the scalar code, which runs otherwise and stays the reference).
 */
public final class CpuKernels {
    private static final int GRAIN = 1 << 13;

    /**
     * Whether the tensor product and dense kernels run SIMD code ({@link TpVectorFloat},
     * {@link TpVectorDouble}, {@link DenseVector}): on when the module
     * {@code jdk.incubator.vector} is present (JVM flag {@code --add-modules jdk.incubator.vector})
     * and the system property {@code unite.cpu.vector} is not {@code false}. Both paths give the
     * same bits.
     */
    private static volatile boolean useVector = vectorAvailable()
            && !"false".equalsIgnoreCase(System.getProperty("unite.cpu.vector", "").trim());

    private CpuKernels() {
    }

    /** True when the module jdk.incubator.vector is in the boot layer (the SIMD kernels can run). */
    public static boolean vectorAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** True when the tensor product kernels run vectorized (see {@link #setVectorKernels(boolean)}). */
    public static boolean vectorKernels() {
        return useVector;
    }

    /**
     * Switches the tensor product between the SIMD kernels and the scalar reference kernels
     * (same results, bit for bit); returns the previous setting.
     *
     * @throws IllegalStateException when asked for SIMD without the module jdk.incubator.vector
     */
    public static boolean setVectorKernels(boolean on) {
        if (on && !vectorAvailable()) {
            throw new IllegalStateException("SIMD kernels need the JVM flag --add-modules jdk.incubator.vector");
        }
        boolean prev = useVector;
        useVector = on;
        return prev;
    }

    // ------------------------------------------------------------------ gathers over CSR

    /** Pooling: out[s, :] = sum_{r=segPtr[s]}^{segPtr[s+1]-1} x[r, :] (rows of width), in increasing r. */
    public static void segmentSum(int[] segPtr, int width, double[] x, double[] out) {
        csrGatherSum(segPtr, null, width, x, out);
    }

    /** Float32 pooling (accumulates in float, increasing r). */
    public static void segmentSum(int[] segPtr, int width, float[] x, float[] out) {
        int ns = segPtr.length - 1;
        checkPtr(segPtr, x.length / Math.max(1, width));
        if (out.length != ns * width || x.length != segPtr[ns] * width) {
            throw new IllegalArgumentException("segmentSum: x has " + x.length + " and out " + out.length
                    + " values; expected " + segPtr[ns] + " and " + ns + " rows of width " + width);
        }
        Parallel.forRange(ns, Math.max(1, GRAIN / Math.max(1, width)), (lo, hi) -> {
            for (int s = lo; s < hi; s++) {
                int ob = s * width;
                Arrays.fill(out, ob, ob + width, 0.0f);
                for (int r = segPtr[s]; r < segPtr[s + 1]; r++) {
                    int xb = r * width;
                    for (int j = 0; j < width; j++) {
                        out[ob + j] += x[xb + j];
                    }
                }
            }
        });
    }

    /**
     * out[a, :] = sum_{k=ptr[a]}^{ptr[a+1]-1} x[col[k], :] in increasing k (col null: col[k] = k).
     * The scatter-add of a gather is written this way, over the transposed CSR, so that no two
     * threads ever add into the same element.
     */
    public static void csrGatherSum(int[] ptr, int[] col, int width, double[] x, double[] out) {
        checkGather(ptr, col, width, x.length, out.length);
        Parallel.forRange(ptr.length - 1, Math.max(1, GRAIN / Math.max(1, width)), (lo, hi) -> {
            for (int a = lo; a < hi; a++) {
                int ob = a * width;
                Arrays.fill(out, ob, ob + width, 0.0);
                for (int k = ptr[a]; k < ptr[a + 1]; k++) {
                    int xb = (col == null ? k : col[k]) * width;
                    for (int j = 0; j < width; j++) {
                        out[ob + j] += x[xb + j];
                    }
                }
            }
        });
    }

    /**
     * {@link #csrGatherSum(int[], int[], int, double[], double[])} of float32 values, summed in
     * double: the same bits as widening x first, without a double copy of x (x is the large side).
     */
    public static void csrGatherSum(int[] ptr, int[] col, int width, float[] x, double[] out) {
        checkGather(ptr, col, width, x.length, out.length);
        Parallel.forRange(ptr.length - 1, Math.max(1, GRAIN / Math.max(1, width)), (lo, hi) -> {
            for (int a = lo; a < hi; a++) {
                int ob = a * width;
                Arrays.fill(out, ob, ob + width, 0.0);
                for (int k = ptr[a]; k < ptr[a + 1]; k++) {
                    int xb = (col == null ? k : col[k]) * width;
                    for (int j = 0; j < width; j++) {
                        out[ob + j] += x[xb + j];
                    }
                }
            }
        });
    }

    private static void checkGather(int[] ptr, int[] col, int width, int xLength, int outLength) {
        int na = ptr.length - 1;
        int xRows = width == 0 ? 0 : xLength / width;
        checkPtr(ptr, col == null ? xRows : Integer.MAX_VALUE);
        if (outLength != na * width || (col == null && ptr[na] != xRows)) {
            throw new IllegalArgumentException("csrGatherSum: x has " + xLength + " and out " + outLength
                    + " values for " + na + " rows of width " + width + " and " + ptr[na] + " entries");
        }
        if (col != null) {
            if (col.length < ptr[na]) {
                throw new IllegalArgumentException("csrGatherSum: col has " + col.length + " entries, ptr needs "
                        + ptr[na]);
            }
            for (int k = 0; k < ptr[na]; k++) {
                if (col[k] < 0 || col[k] >= xRows) {
                    throw new IllegalArgumentException("csrGatherSum: col[" + k + "] = " + col[k]
                            + " outside 0.." + (xRows - 1));
                }
            }
        }
    }

    private static void checkPtr(int[] ptr, int maxEnd) {
        if (ptr.length == 0 || ptr[0] != 0) {
            throw new IllegalArgumentException("segment pointer must be non-empty and start at 0");
        }
        for (int s = 0; s + 1 < ptr.length; s++) {
            if (ptr[s + 1] < ptr[s]) {
                throw new IllegalArgumentException("segment pointer decreases at segment " + s);
            }
        }
        if (ptr[ptr.length - 1] > maxEnd) {
            throw new IllegalArgumentException("segment pointer ends at " + ptr[ptr.length - 1]
                    + " but there are only " + maxEnd + " rows");
        }
    }

    /** out[i, :] = x[index[i], :]. */
    public static void indexSelect(double[] x, int width, int[] index, double[] out) {
        int rows = width == 0 ? 0 : x.length / width;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= rows) {
                throw new IllegalArgumentException("indexSelect: index[" + i + "] = " + index[i]
                        + " outside 0.." + (rows - 1));
            }
        }
        Parallel.forRange(index.length, Math.max(1, GRAIN / Math.max(1, width)), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                System.arraycopy(x, index[i] * width, out, i * width, width);
            }
        });
    }

    // ------------------------------------------------------------------ element-wise and reductions

    public static void unary(UnaryOp op, double p, double[] x, double[] out) {
        Parallel.forRange(x.length, GRAIN, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                out[i] = op.apply(x[i], p);
            }
        });
    }

    public static void unaryBackward(UnaryOp op, double p, double[] x, double[] gy, double[] gx) {
        Parallel.forRange(x.length, GRAIN, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                gx[i] = gy[i] * op.derivative(x[i], p);
            }
        });
    }

    /** out = a (op) b with NumPy broadcasting (shapes aligned at the right). */
    public static void binary(BinaryOp op, double[] a, int[] aShape, double[] b, int[] bShape, double[] out,
                              int[] outShape) {
        int n = out.length;
        if (Arrays.equals(aShape, outShape) && Arrays.equals(bShape, outShape)) {
            Parallel.forRange(n, GRAIN, (lo, hi) -> {
                switch (op) {
                    case ADD -> { for (int i = lo; i < hi; i++) out[i] = a[i] + b[i]; }
                    case SUB -> { for (int i = lo; i < hi; i++) out[i] = a[i] - b[i]; }
                    case MUL -> { for (int i = lo; i < hi; i++) out[i] = a[i] * b[i]; }
                    case DIV -> { for (int i = lo; i < hi; i++) out[i] = a[i] / b[i]; }
                }
            });
            return;
        }
        int nd = outShape.length;
        int[] as = broadcastStrides(aShape, outShape), bs = broadcastStrides(bShape, outShape);
        int inner = nd == 0 ? 1 : outShape[nd - 1];
        if (nd >= 1 && inner > 1) {
            // row by row along the last axis: the leading index once per row, then a plain loop
            int rows = n / inner, sa = as[nd - 1], sb = bs[nd - 1];
            Parallel.forRange(rows, Math.max(1, GRAIN / inner), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    int rem = r, ia = 0, ib = 0;
                    for (int d = nd - 2; d >= 0; d--) {
                        int i = rem % outShape[d];
                        rem /= outShape[d];
                        ia += i * as[d];
                        ib += i * bs[d];
                    }
                    int ob = r * inner;
                    if (sa == 1 && sb == 1) { // rows against rows (a bias row, say): loops the JIT vectorizes
                        switch (op) {
                            case ADD -> { for (int j = 0; j < inner; j++) out[ob + j] = a[ia + j] + b[ib + j]; }
                            case SUB -> { for (int j = 0; j < inner; j++) out[ob + j] = a[ia + j] - b[ib + j]; }
                            case MUL -> { for (int j = 0; j < inner; j++) out[ob + j] = a[ia + j] * b[ib + j]; }
                            case DIV -> { for (int j = 0; j < inner; j++) out[ob + j] = a[ia + j] / b[ib + j]; }
                        }
                        continue;
                    }
                    switch (op) {
                        case ADD -> { for (int j = 0; j < inner; j++) out[ob + j] = a[ia + j * sa] + b[ib + j * sb]; }
                        case SUB -> { for (int j = 0; j < inner; j++) out[ob + j] = a[ia + j * sa] - b[ib + j * sb]; }
                        case MUL -> { for (int j = 0; j < inner; j++) out[ob + j] = a[ia + j * sa] * b[ib + j * sb]; }
                        case DIV -> { for (int j = 0; j < inner; j++) out[ob + j] = a[ia + j * sa] / b[ib + j * sb]; }
                    }
                }
            });
            return;
        }
        Parallel.forRange(n, GRAIN, (lo, hi) -> {
            int[] idx = new int[nd];
            int rem = lo;
            for (int d = nd - 1; d >= 0; d--) {
                idx[d] = rem % outShape[d];
                rem /= outShape[d];
            }
            int ia = 0, ib = 0;
            for (int d = 0; d < nd; d++) {
                ia += idx[d] * as[d];
                ib += idx[d] * bs[d];
            }
            for (int i = lo; i < hi; i++) {
                out[i] = op.apply(a[ia], b[ib]);
                // increment the multi-index (row-major odometer)
                for (int d = nd - 1; d >= 0; d--) {
                    idx[d]++;
                    ia += as[d];
                    ib += bs[d];
                    if (idx[d] < outShape[d]) {
                        break;
                    }
                    ia -= as[d] * outShape[d];
                    ib -= bs[d] * outShape[d];
                    idx[d] = 0;
                }
            }
        });
    }

    /** Strides of a broadcast operand over the output index (0 along broadcast axes). */
    static int[] broadcastStrides(int[] shape, int[] outShape) {
        int nd = outShape.length;
        int[] s = new int[nd];
        int stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            int od = nd - shape.length + d;
            s[od] = shape[d] == 1 ? 0 : stride;
            stride *= shape[d];
        }
        return s;
    }

    /** Sums x over the axes with reduce[d]; out keeps those axes with size 1. Fixed row-major order. */
    public static void reduceSum(double[] x, int[] shape, boolean[] reduce, double[] out) {
        int nd = shape.length;
        int lead = 0; // reduced axes 0 .. lead-1, kept axes after them: x is [count][kept] row-major
        while (lead < nd && reduce[lead]) lead++;
        boolean leadingOnly = lead > 0;
        for (int d = lead; d < nd; d++) leadingOnly &= !reduce[d];
        if (leadingOnly) {
            int rows = 1;
            for (int d = 0; d < lead; d++) rows *= shape[d];
            reduceLeading(x, rows, out);
            return;
        }
        int[] xs = new int[nd];
        int stride = 1;
        for (int d = nd - 1; d >= 0; d--) {
            xs[d] = stride;
            stride *= shape[d];
        }
        int count = 1;
        for (int d = 0; d < nd; d++) {
            if (reduce[d]) {
                count *= shape[d];
            }
        }
        // offsets of the reduced sub-array, in row-major order
        int[] red = new int[count];
        int[] idx = new int[nd];
        for (int r = 0; r < count; r++) {
            int off = 0;
            for (int d = 0; d < nd; d++) {
                if (reduce[d]) {
                    off += idx[d] * xs[d];
                }
            }
            red[r] = off;
            for (int d = nd - 1; d >= 0; d--) {
                if (!reduce[d]) {
                    continue;
                }
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        int[] outShape = new int[nd];
        for (int d = 0; d < nd; d++) {
            outShape[d] = reduce[d] ? 1 : shape[d];
        }
        final int cnt = count;
        Parallel.forRange(out.length, Math.max(1, GRAIN / Math.max(1, count)), (lo, hi) -> {
            for (int j = lo; j < hi; j++) {
                int rem = j, base = 0;
                for (int d = nd - 1; d >= 0; d--) {
                    base += (rem % outShape[d]) * xs[d];
                    rem /= outShape[d];
                }
                double s = 0.0;
                for (int r = 0; r < cnt; r++) {
                    s += x[base + red[r]];
                }
                out[j] = s;
            }
        });
    }

    /**
     * out[j] = sum_r x[r n + j] (n = out.length) over r = 0 .. rows-1 in increasing order, from 0.0:
     * the order of the general kernel, but row by row, so that x streams through once and the inner
     * loop (over j) vectorizes; threads split j (at least 64 columns each, summed in a local array
     * so that no two threads write to one cache line row after row).
     */
    private static void reduceLeading(double[] x, int rows, double[] out) {
        int n = out.length;
        if (n == 0) return;
        Parallel.forRange(n, Math.max(64, GRAIN / Math.max(1, rows)), (lo, hi) -> {
            double[] acc = new double[hi - lo];
            for (int r = 0; r < rows; r++) {
                int xb = r * n + lo;
                for (int j = 0; j < acc.length; j++) {
                    acc[j] += x[xb + j];
                }
            }
            System.arraycopy(acc, 0, out, lo, acc.length);
        });
    }

    /**
     * out[m x n] = op(A) op(B), summing over k in increasing order for each output element (from
     * 0.0, s = fma(a_ik, b_kj, s) one product at a time, so every layout below gives the same bits). op(B) = B^T is first
     * copied to k x n, so that the inner loop always runs over contiguous rows of B and out (which
     * the JIT vectorizes); rows of out are done in tiles of {@value #MM_TILE}, so that each row of
     * B is read once per tile and not once per output row. With the SIMD kernels on, {@link DenseVector}
     * does the same sums with 4 rows x 1 vector of columns in registers (the same bits).
     * B^T goes to a per-thread scratch array that stays in the caches (a fresh array lands in
     * memory the allocator has not touched lately and costs as much to zero as to fill).
     */
    public static void matmul(double[] a, double[] b, double[] out, int m, int k, int n, boolean transA,
                              boolean transB) {
        final double[] bk;
        if (transB) {
            bk = grow(MM_SCRATCH, k * n);
            transpose(b, 0, n, k, bk, 0);
        } else {
            bk = b;
        }
        matmulKn(a, bk, out, m, k, n, transA);
    }

    /** Per-thread scratch of {@link #matmul} (B^T) and of {@link #transposedWeights}. */
    private static final ThreadLocal<double[]> MM_SCRATCH = ThreadLocal.withInitial(() -> new double[0]),
            LINEAR_SCRATCH = ThreadLocal.withInitial(() -> new double[0]);

    /**
     * The calling thread's scratch array of at least len elements (contents undefined): valid
     * until the next call on this thread, which no kernel makes while it still needs the last.
     */
    private static double[] grow(ThreadLocal<double[]> scratch, int len) {
        double[] a = scratch.get();
        if (a.length < len) scratch.set(a = new double[len]);
        return a;
    }

    /** out[m x n] = op(A) B with B stored k x n: the kernel of {@link #matmul}. */
    private static void matmulKn(double[] a, double[] bk, double[] out, int m, int k, int n, boolean transA) {
        int rowsPerTask = Math.max(MM_TILE, GRAIN / Math.max(1, k * n));
        int tasks = (m + rowsPerTask - 1) / rowsPerTask;
        // a thread gets at least 4 GRAIN multiply-adds (below that, handing work over costs more)
        int taskGrain = (int) Math.max(1, 4L * GRAIN / Math.max(1L, (long) rowsPerTask * k * n));
        Parallel.forRange(tasks, taskGrain, (lo, hi) -> {
            if (useVector) { // all of this thread's rows in one call: a chunk of B serves every one of them
                DenseVector.matmulRows(a, bk, out, m, k, n, transA, lo * rowsPerTask, Math.min(m, hi * rowsPerTask));
                return;
            }
            for (int t = lo; t < hi; t++) {
                int i1 = Math.min(m, (t + 1) * rowsPerTask);
                for (int i0 = t * rowsPerTask; i0 < i1; i0 += MM_TILE) {
                    int ie = Math.min(i1, i0 + MM_TILE);
                    Arrays.fill(out, i0 * n, ie * n, 0.0);
                    for (int kk = 0; kk < k; kk++) {
                        int bb = kk * n;
                        for (int i = i0; i < ie; i++) {
                            double av = transA ? a[kk * m + i] : a[i * k + kk];
                            int ob = i * n;
                            for (int j = 0; j < n; j++) {
                                out[ob + j] = Math.fma(av, bk[bb + j], out[ob + j]);
                            }
                        }
                    }
                }
            }
        });
    }

    private static final int MM_TILE = 8;
    /**
     * Widest tile of output channels per task of a per-irrep weight gradient: every task reads all
     * rows of its instruction's x and g, so fewer, wider tiles read them fewer times (narrower ones
     * are used when there would be fewer than two tasks per thread).
     */
    private static final int GRADW_TILE = 32;
    /** Bytes of x and out rows in one row tile of the per-irrep linear map (half an L2). */
    private static final int LINEAR_TILE_BYTES = 256 << 10;

    // ------------------------------------------------------------------ irreps-layout kernels

    /** out[r, ch(i,c)] = sum_m a[r,i,m,c] b[r,i,m,c]. */
    public static void irrepDot(BlockLayout L, int rows, double[] a, double[] b, double[] out) {
        int w = L.width(), nc = L.channels();
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, w)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                for (int i = 0; i < L.numBlocks(); i++) {
                    int mul = L.mul(i), dim = L.dim(i), xb = r * w + L.offset(i), ob = r * nc + L.channelOffset(i);
                    for (int c = 0; c < mul; c++) {
                        double s = 0.0;
                        for (int m = 0; m < dim; m++) {
                            s += a[xb + m * mul + c] * b[xb + m * mul + c];
                        }
                        out[ob + c] = s;
                    }
                }
            }
        });
    }

    /** out[r,i,m,c] = x[r,i,m,c] * s[r or 0, ch(i,c)]. */
    public static void irrepScale(BlockLayout L, int rows, double[] x, double[] s, int sRows, double[] out) {
        int w = L.width(), nc = L.channels();
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, w)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int sb = (sRows == 1 ? 0 : r) * nc;
                for (int i = 0; i < L.numBlocks(); i++) {
                    int mul = L.mul(i), dim = L.dim(i), xb = r * w + L.offset(i), cb = sb + L.channelOffset(i);
                    for (int m = 0; m < dim; m++) {
                        for (int c = 0; c < mul; c++) {
                            out[xb + m * mul + c] = x[xb + m * mul + c] * s[cb + c];
                        }
                    }
                }
            }
        });
    }

    /**
     * Per-irrep linear map (see {@link LinearPlan}); instructions summed in order:
     * out[r, o, m, co] = sum_j [o = out(j)] (sum_ci W_j[co, ci] x[r, in(j), m, ci]), each inner sum
     * from 0.0 over ci in increasing order (s = fma(W, x, s)). The weights are first transposed to [ci][co] so that the
     * inner loop runs over contiguous output channels (vectorized by the JIT) into a row of partial
     * sums; the order of every sum is unchanged.
     */
    public static void irrepLinear(LinearPlan pl, int rows, double[] x, double[] wt, double[] out) {
        BlockLayout in = pl.in(), ol = pl.out();
        int iw = in.width(), ow = ol.width();
        double[] wT = transposedWeights(pl, wt);
        int maxMo = 0;
        for (int j = 0; j < pl.numInstructions(); j++) {
            maxMo = Math.max(maxMo, ol.mul(pl.outBlock()[j]));
        }
        int accLen = maxMo;
        if (useVector) {
            Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, iw + ow)), (lo, hi) -> {
                int[][][] q = new int[pl.numInstructions()][][];
                for (int j = 0; j < q.length; j++) q[j] = linearRows(pl, j, lo, hi);
                // tiles of rows whose x and out stay in L2 while every instruction runs over them
                int tile = Math.max(4, LINEAR_TILE_BYTES / (Double.BYTES * Math.max(1, iw + ow)));
                for (int t0 = lo; t0 < hi; t0 += tile) {
                    int t1 = Math.min(hi, t0 + tile);
                    Arrays.fill(out, t0 * ow, t1 * ow, 0.0);
                    for (int j = 0; j < q.length; j++) {
                        int ib = pl.inBlock()[j], obk = pl.outBlock()[j], dim = in.dim(ib);
                        DenseVector.linearRows(x, q[j][0], wT, pl.weightOffset()[j], in.mul(ib), ol.mul(obk), out, q[j][1],
                                (t0 - lo) * dim, (t1 - lo) * dim);
                    }
                }
            });
            return;
        }
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, iw + ow)), (lo, hi) -> {
            double[] acc = new double[accLen];
            for (int r = lo; r < hi; r++) {
                Arrays.fill(out, r * ow, (r + 1) * ow, 0.0);
                for (int j = 0; j < pl.numInstructions(); j++) {
                    int ib = pl.inBlock()[j], obk = pl.outBlock()[j];
                    int mi = in.mul(ib), mo = ol.mul(obk), dim = in.dim(ib), wo = pl.weightOffset()[j];
                    int xb = r * iw + in.offset(ib), yb = r * ow + ol.offset(obk);
                    for (int m = 0; m < dim; m++) {
                        Arrays.fill(acc, 0, mo, 0.0);
                        int xr = xb + m * mi;
                        for (int ci = 0; ci < mi; ci++) {
                            double xv = x[xr + ci];
                            int wr = wo + ci * mo;
                            for (int co = 0; co < mo; co++) {
                                acc[co] = Math.fma(wT[wr + co], xv, acc[co]);
                            }
                        }
                        int yr = yb + m * mo;
                        for (int co = 0; co < mo; co++) {
                            out[yr + co] += acc[co];
                        }
                    }
                }
            }
        });
    }

    /**
     * Where the rows (r, m) of instruction j start, for r in lo .. hi-1 and m in 0 .. dim-1 in that
     * order: [0] in the input (x), [1] in the output (out or g).
     */
    private static int[][] linearRows(LinearPlan pl, int j, int lo, int hi) {
        BlockLayout in = pl.in(), ol = pl.out();
        int ib = pl.inBlock()[j], obk = pl.outBlock()[j];
        int mi = in.mul(ib), mo = ol.mul(obk), dim = in.dim(ib);
        int n = (hi - lo) * dim;
        int[] xr = new int[n], or = new int[n];
        int q = 0;
        for (int r = lo; r < hi; r++) {
            for (int m = 0; m < dim; m++, q++) {
                xr[q] = r * in.width() + in.offset(ib) + m * mi;
                or[q] = r * ol.width() + ol.offset(obk) + m * mo;
            }
        }
        return new int[][]{xr, or};
    }

    /** The gradW tasks: (instruction, first output channel, end) in tiles of {@code width} channels. */
    private static List<int[]> linearTiles(LinearPlan pl, int width) {
        List<int[]> tiles = new ArrayList<>();
        for (int j = 0; j < pl.numInstructions(); j++) {
            int mo = pl.out().mul(pl.outBlock()[j]);
            for (int c0 = 0; c0 < mo; c0 += width) {
                tiles.add(new int[]{j, c0, Math.min(mo, c0 + width)});
            }
        }
        return tiles;
    }

    /**
     * Each instruction's weight block W_j [mo][mi] copied transposed to [mi][mo], at the same
     * offset, into the calling thread's scratch array (valid until its next call on this thread).
     */
    private static double[] transposedWeights(LinearPlan pl, double[] wt) {
        double[] wT = grow(LINEAR_SCRATCH, wt.length);
        BlockLayout in = pl.in(), ol = pl.out();
        for (int j = 0; j < pl.numInstructions(); j++) {
            int mi = in.mul(pl.inBlock()[j]), mo = ol.mul(pl.outBlock()[j]), wo = pl.weightOffset()[j];
            transpose(wt, wo, mo, mi, wT, wo);
        }
        return wT;
    }

    /** Side of the square tiles of {@link #transpose}: 8 x 8 doubles, eight cache lines each way. */
    private static final int TRANSPOSE_TILE = 8;

    /**
     * dst[dOff + c rows + r] = src[sOff + r cols + c] for a rows x cols matrix, in 8 x 8 tiles so
     * that both the rows read and the rows written stay in L1 (a plain loop writes with a stride of
     * a whole row and misses on every element once the matrix outgrows L1). The weights of a layer
     * are transposed once per call, which is most of the cost of a small batch.
     */
    static void transpose(double[] src, int sOff, int rows, int cols, double[] dst, int dOff) {
        for (int r0 = 0; r0 < rows; r0 += TRANSPOSE_TILE) {
            int r1 = Math.min(rows, r0 + TRANSPOSE_TILE);
            for (int c0 = 0; c0 < cols; c0 += TRANSPOSE_TILE) {
                int c1 = Math.min(cols, c0 + TRANSPOSE_TILE);
                for (int r = r0; r < r1; r++) {
                    int sb = sOff + r * cols;
                    for (int c = c0; c < c1; c++) dst[dOff + c * rows + r] = src[sb + c];
                }
            }
        }
    }

    /**
     * Backward of {@link #irrepLinear}: gradX = W^T g per row; gradW = sum_r sum_m g x^T (rows in
     * order, then m; fused multiply-adds). gradW is computed in tiles of up to {@value #GRADW_TILE}
     * output channels per task, each weight element still summed over r then m in increasing order,
     * so that x and g are read once per tile rather than once per output channel.
     */
    public static void irrepLinearBackward(LinearPlan pl, int rows, double[] x, double[] wt, double[] g,
                                           double[] gradX, double[] gradW) {
        BlockLayout in = pl.in(), ol = pl.out();
        int iw = in.width(), ow = ol.width();
        if (gradX != null) {
            Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, iw + ow)), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    Arrays.fill(gradX, r * iw, (r + 1) * iw, 0.0);
                    for (int j = 0; j < pl.numInstructions(); j++) {
                        int ib = pl.inBlock()[j], obk = pl.outBlock()[j];
                        int mi = in.mul(ib), mo = ol.mul(obk), dim = in.dim(ib), wo = pl.weightOffset()[j];
                        int xb = r * iw + in.offset(ib), yb = r * ow + ol.offset(obk);
                        for (int m = 0; m < dim; m++) {
                            for (int co = 0; co < mo; co++) {
                                double gv = g[yb + m * mo + co];
                                int wr = wo + co * mi, xr = xb + m * mi;
                                for (int ci = 0; ci < mi; ci++) {
                                    gradX[xr + ci] = Math.fma(wt[wr + ci], gv, gradX[xr + ci]);
                                }
                            }
                        }
                    }
                }
            });
        }
        if (gradW != null) {
            Arrays.fill(gradW, 0.0);
            // tasks = (instruction, tile of output channels): each weight row written by one task
            // as wide as GRADW_TILE while that still leaves two tasks per thread, down to MM_TILE
            int width = GRADW_TILE;
            while (width > MM_TILE && linearTiles(pl, width).size() < 2 * Parallel.threads()) width /= 2;
            List<int[]> tiles = linearTiles(pl, width);
            long tileWork = 0; // multiply-adds of the largest tile
            for (int[] t : tiles) {
                int j = t[0];
                tileWork = Math.max(tileWork, (long) rows * in.dim(pl.inBlock()[j]) * in.mul(pl.inBlock()[j]) * (t[2] - t[1]));
            }
            int tileGrain = (int) Math.max(1, 4L * GRAIN / Math.max(1L, tileWork));
            if (useVector) {
                int[][][] q = new int[pl.numInstructions()][][];
                for (int j = 0; j < q.length; j++) {
                    q[j] = linearRows(pl, j, 0, rows);
                }
                Parallel.forRange(tiles.size(), tileGrain, (lo, hi) -> {
                    for (int t = lo; t < hi; t++) {
                        int[] tile = tiles.get(t);
                        int j = tile[0];
                        DenseVector.linearGradW(g, q[j][1], x, q[j][0], q[j][0].length, in.mul(pl.inBlock()[j]), gradW,
                                pl.weightOffset()[j], tile[1], tile[2]);
                    }
                });
                return;
            }
            Parallel.forRange(tiles.size(), tileGrain, (lo, hi) -> {
                for (int t = lo; t < hi; t++) {
                    int[] tile = tiles.get(t);
                    int j = tile[0], c0 = tile[1], c1 = tile[2];
                    int ib = pl.inBlock()[j], obk = pl.outBlock()[j];
                    int mi = in.mul(ib), mo = ol.mul(obk), dim = in.dim(ib), wo = pl.weightOffset()[j];
                    for (int r = 0; r < rows; r++) {
                        int xb = r * iw + in.offset(ib), yb = r * ow + ol.offset(obk);
                        for (int m = 0; m < dim; m++) {
                            int xr = xb + m * mi, gr = yb + m * mo;
                            for (int co = c0; co < c1; co++) {
                                double gv = g[gr + co];
                                int wr = wo + co * mi;
                                for (int ci = 0; ci < mi; ci++) {
                                    gradW[wr + ci] = Math.fma(gv, x[xr + ci], gradW[wr + ci]);
                                }
                            }
                        }
                    }
                }
            });
        }
    }

    /** One Adam/AdamW step in place (see {@code Backend#adamStep}). */
    public static void adamStep(double[] p, double[] g, double[] m, double[] v, double lr, double b1, double b2,
                                double eps, double wd, boolean decoupled, int t) {
        double c1 = 1.0 - Math.pow(b1, t), c2 = 1.0 - Math.pow(b2, t);
        Parallel.forRange(p.length, GRAIN, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                double gi = decoupled ? g[i] : g[i] + wd * p[i];
                m[i] = b1 * m[i] + (1.0 - b1) * gi;
                v[i] = b2 * v[i] + (1.0 - b2) * gi * gi;
                double upd = (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
                if (decoupled) {
                    upd += wd * p[i];
                }
                p[i] -= lr * upd;
            }
        });
    }
}
