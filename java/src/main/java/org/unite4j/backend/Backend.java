package org.unite4j.backend;

/**
 * Compute backend SPI (found by {@link java.util.ServiceLoader}; see {@link Backends}). A backend
 * owns storages and runs every kernel the autograd ops need, forward and backward. All kernels
 * overwrite their outputs (never accumulate) and must be deterministic: the same inputs give
 * bitwise the same outputs, whatever the number of threads. Shapes are row-major.
 */
public interface Backend {

    /** Short name used on the command line, e.g. "cpu". */
    String name();

    /** Whether this backend can run here (e.g. a GPU is present). */
    boolean isAvailable();

    /** Whether storages and kernels of this dtype exist here (the CPU has both). */
    default boolean supports(DType dtype) {
        return true;
    }

    /** A zero-filled storage. */
    Storage allocate(DType dtype, int size);

    /** A storage holding {@code data} rounded to {@code dtype}. */
    Storage fromDoubles(double[] data, DType dtype);

    /** The values of a storage, widened to double. */
    double[] toDoubles(Storage s);

    /** A copy of {@code s} converted to {@code dtype}. */
    Storage convert(Storage s, DType dtype);

    /** out[i] = f(x[i]; p). */
    void unary(UnaryOp op, double p, Storage x, Storage out);

    /** gx[i] = gy[i] * f'(x[i]; p). */
    void unaryBackward(UnaryOp op, double p, Storage x, Storage gy, Storage gx);

    /** out = a (op) b with NumPy broadcasting of aShape and bShape to outShape. */
    void binary(BinaryOp op, Storage a, int[] aShape, Storage b, int[] bShape, Storage out, int[] outShape);

    /** Sums x (shape) over the axes with reduce[axis] = true; out has those axes of size 1. */
    void reduceSum(Storage x, int[] shape, boolean[] reduce, Storage out);

    /** out[m x n] = op(A) op(B) where op(A) is m x k (A stored k x m if transA) and op(B) is k x n. */
    void matmul(Storage a, Storage b, Storage out, int m, int k, int n, boolean transA, boolean transB);

    /**
     * Copies {@code outer} runs of {@code count} contiguous elements:
     * dst[dstOffset + o*dstStride + j] = src[srcOffset + o*srcStride + j].
     */
    void copyBlocks(Storage src, int srcStride, int srcOffset, Storage dst, int dstStride, int dstOffset,
                    int outer, int count);

    /** out[i, :] = x[index[i], :] for rows of {@code width} elements. */
    void indexSelect(Storage x, int width, int[] index, Storage out);

    /**
     * Gather-sum over a CSR structure: out[a, :] = sum_{k=ptr[a]}^{ptr[a+1]-1} x[col[k], :] in
     * increasing k ({@code col == null} means col[k] = k, a segment sum). Rows have {@code width}.
     */
    void csrGatherSum(int[] ptr, int[] col, Storage x, int width, Storage out);

    /** out[r, ch(i,c)] = sum_m a[r, i, m, c] * b[r, i, m, c] (rows r of the layout). */
    void irrepDot(BlockLayout layout, int rows, Storage a, Storage b, Storage out);

    /**
     * out[r, i, m, c] = x[r, i, m, c] * s[r', ch(i,c)] where r' = r, or 0 when s holds one row
     * ({@code sRows} = 1, broadcast).
     */
    void irrepScale(BlockLayout layout, int rows, Storage x, Storage s, int sRows, Storage out);

    /** Per-irrep linear map, see {@link LinearPlan}: out[r] = W x[r]. */
    void irrepLinear(LinearPlan plan, int rows, Storage x, Storage w, Storage out);

    /**
     * Backward of {@link #irrepLinear}: gradX = W^T g, gradW = sum_r g x^T (either may be null;
     * x is not read, and may be null, without gradW, nor w without gradX).
     */
    void irrepLinearBackward(LinearPlan plan, int rows, Storage x, Storage w, Storage gradOut,
                             Storage gradX, Storage gradW);

    /**
     * The tensor product d lowered for this backend (see {@link CompiledTp}): forward and gradients.
     * A backend keeps one cache of its compiled products, so repeated calls with equal descriptors
     * are cheap.
     *
     * @throws IllegalArgumentException when this backend cannot run d (the message says why)
     */
    CompiledTp compile(org.unite4j.irreps.TensorProductDescriptor d);

    /**
     * One Adam step in place (step t >= 1): m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
     * p -= lr * (mhat / (sqrt(vhat) + eps) + wd_decoupled * p), with g += wd p first when not
     * decoupled (Adam with L2) and wd_decoupled = wd when decoupled (AdamW).
     */
    void adamStep(Storage p, Storage g, Storage m, Storage v, double lr, double beta1, double beta2,
                  double eps, double weightDecay, boolean decoupled, int t);
}
