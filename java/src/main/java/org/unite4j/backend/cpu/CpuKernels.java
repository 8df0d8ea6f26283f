package org.unite4j.backend.cpu;

import java.util.Arrays;
import org.unite4j.backend.BinaryOp;
import org.unite4j.backend.BlockLayout;
import org.unite4j.backend.UnaryOp;

/**
 * Array-level CPU kernels, the reference every other backend is compared with: the SIMD switch,
 * element-wise ops with broadcasting, the irreps-layout products and the Adam step. The other
 * kernels are by concern: {@link CpuReduce} (fixed-order sums: CSR gathers, segment sums, sums
 * over axes), {@link CpuDense} (matmul, per-irrep linear maps) and {@link CpuTp} (the tensor
 * product). All of them overwrite their outputs, run on {@link Parallel}, and give bitwise
 * identical results for any thread count: each output element is written by one thread, summing
 * in a fixed order (rows in increasing order). With the JVM flag
 * {@code --add-modules jdk.incubator.vector} (set by the launcher, the tests and the benchmarks)
 * the tensor product and the dense kernels run SIMD code (lanes over channels, same operations in
 * the same order: the same bits as the scalar code, which runs otherwise and stays the reference).
 */
public final class CpuKernels {
    /** Elements per task below which handing work to another thread costs more than it saves. */
    static final int GRAIN = 1 << 13;

    /**
     * Whether the tensor product and dense kernels run SIMD code ({@link TpVectorFloat},
     * {@link TpVectorDouble}, {@link DenseVector}): on when the module
     * {@code jdk.incubator.vector} is present (JVM flag {@code --add-modules jdk.incubator.vector})
     * and the system property {@code unite.cpu.vector} is not {@code false}. Both paths give the
     * same bits.
     */
    private static volatile boolean useVector = vectorAvailable()
            && !"false".equalsIgnoreCase(System.getProperty("unite.cpu.vector", "").trim());

    static {
        // not silence: a consumer that forgot the flag gets the scalar kernels, and is told so once
        if (!vectorAvailable())
            System.getLogger("org.unite4j.backend.cpu").log(System.Logger.Level.WARNING, "jdk.incubator.vector is not in this JVM "
                    + "(start it with --add-modules jdk.incubator.vector): the CPU tensor-product and dense kernels run scalar "
                    + "(same results, slower)");
    }

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


    // ------------------------------------------------------------------ element-wise

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
