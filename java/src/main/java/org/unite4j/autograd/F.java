package org.unite4j.autograd;

import java.util.Arrays;
import org.unite4j.backend.Backend;
import org.unite4j.backend.BinaryOp;
import org.unite4j.backend.BlockLayout;
import org.unite4j.backend.CsrGraph;
import org.unite4j.backend.DType;
import org.unite4j.backend.LinearPlan;
import org.unite4j.backend.Storage;
import org.unite4j.backend.CompiledTp;
import org.unite4j.backend.UnaryOp;
import org.unite4j.irreps.TensorProductDescriptor;

/**
 * The differentiable ops. Each method computes its forward on the tensors' backend and records
 * (when needed) its backward rule next to it; every input that is a tensor gets a gradient.
 * Index arrays (CSR pointers, gather indices) are constants. All inputs of one op must share
 * backend and dtype.
 */
public final class F {
    private F() {
    }

    // ------------------------------------------------------------------ helpers

    private static Backend be(Tensor... ts) {
        Backend b = ts[0].backend();
        DType d = ts[0].dtype();
        for (Tensor t : ts) {
            if (t.backend() != b) {
                throw new IllegalArgumentException("tensors on different backends: " + b.name() + " and "
                        + t.backend().name());
            }
            if (t.dtype() != d) {
                throw new IllegalArgumentException("tensors of different dtypes: " + d + " and " + t.dtype());
            }
        }
        return b;
    }

    private static Storage alloc(Tensor like, int size) {
        return like.backend().allocate(like.dtype(), size);
    }

    private static int count(int[] shape) {
        return (int) Tensor.count(shape);
    }

    private static void requireRank(String op, Tensor t, int rank) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(op + " needs a rank-" + rank + " tensor, got shape "
                    + Arrays.toString(t.shape()));
        }
    }

    // ------------------------------------------------------------------ element-wise

    private static final String[] UNARY_NAMES = java.util.Arrays.stream(UnaryOp.values())
            .map(o -> o.name().toLowerCase(java.util.Locale.ROOT)).toArray(String[]::new);

    /** y = f(x; p) element-wise. Backward: g f'(x) ({@link #unaryGrad}). */
    public static Tensor unary(UnaryOp op, double p, Tensor x) {
        Storage out = alloc(x, x.size());
        x.backend().unary(op, p, x.storage(), out);
        return Tensor.result(out, x.shape(), UNARY_NAMES[op.ordinal()], g -> new Tensor[]{unaryGrad(op, p, x, g)}, x);
    }

    /**
     * g f'(x; p) element-wise, the backward of {@link #unary} as an op of its own. Its gradients:
     * to g, u f'(x); to x, u g f''(x), with f'' from {@link #secondDerivative}.
     */
    public static Tensor unaryGrad(UnaryOp op, double p, Tensor x, Tensor g) {
        Backend bk = be(x, g);
        if (!Arrays.equals(x.shape(), g.shape())) {
            throw new IllegalArgumentException("unaryGrad: x " + Arrays.toString(x.shape()) + " and g "
                    + Arrays.toString(g.shape()) + " differ");
        }
        Storage out = alloc(x, x.size());
        bk.unaryBackward(op, p, x.storage(), g.storage(), out);
        return Tensor.result(out, x.shape(), "d" + UNARY_NAMES[op.ordinal()], u -> {
            Tensor f2 = Tensor.needsGrad(x) ? secondDerivative(op, p, x) : null;
            return new Tensor[]{f2 == null ? null : mul(mul(u, g), f2), Tensor.needsGrad(g) ? unaryGrad(op, p, x, u) : null};
        }, x, g);
    }

    /** f''(x; p) of a {@link UnaryOp} written with differentiable ops, or null where it is zero. */
    static Tensor secondDerivative(UnaryOp op, double p, Tensor x) {
        return switch (op) {
            case NEG, SCALE, ADD_SCALAR, ABS -> null;
            case EXP -> exp(x);
            case LOG -> neg(square(reciprocal(x)));
            case SQRT -> scale(pow(x, -1.5), -0.25);
            case SQUARE -> full(x, 2.0);
            case RECIPROCAL -> scale(pow(reciprocal(x), 3.0), 2.0);
            case SIGMOID -> {
                Tensor s = sigmoid(x); // s (1 - s) (1 - 2 s)
                yield mul(mul(s, addScalar(neg(s), 1.0)), addScalar(scale(s, -2.0), 1.0));
            }
            case SILU -> {
                Tensor s = sigmoid(x); // s (1 - s) (2 + x (1 - 2 s))
                yield mul(mul(s, addScalar(neg(s), 1.0)), addScalar(mul(x, addScalar(scale(s, -2.0), 1.0)), 2.0));
            }
            case SOFTPLUS -> {
                Tensor s = sigmoid(x);
                yield mul(s, addScalar(neg(s), 1.0));
            }
            case TANH -> {
                Tensor t = tanh(x); // -2 t (1 - t^2)
                yield scale(mul(t, addScalar(neg(square(t)), 1.0)), -2.0);
            }
            case POW -> p == 0.0 || p == 1.0 ? null : scale(pow(x, p - 2.0), p * (p - 1.0));
            // 1 for |x| <= delta, else 0: (sign(x + delta) - sign(x - delta)) / 2
            case HUBER -> {
                Tensor one = full(x, 1.0);
                yield scale(sub(unaryGrad(UnaryOp.ABS, 0, addScalar(x, p).detach(), one),
                        unaryGrad(UnaryOp.ABS, 0, addScalar(x, -p).detach(), one)), 0.5);
            }
        };
    }

    /** A constant tensor like x (same shape, dtype, backend) filled with v. */
    private static Tensor full(Tensor x, double v) {
        return Tensor.full(x.backend(), x.dtype(), v, x.shape());
    }

    public static Tensor neg(Tensor x) {
        return unary(UnaryOp.NEG, 0, x);
    }

    public static Tensor exp(Tensor x) {
        return unary(UnaryOp.EXP, 0, x);
    }

    public static Tensor log(Tensor x) {
        return unary(UnaryOp.LOG, 0, x);
    }

    public static Tensor sqrt(Tensor x) {
        return unary(UnaryOp.SQRT, 0, x);
    }

    public static Tensor square(Tensor x) {
        return unary(UnaryOp.SQUARE, 0, x);
    }

    public static Tensor reciprocal(Tensor x) {
        return unary(UnaryOp.RECIPROCAL, 0, x);
    }

    public static Tensor abs(Tensor x) {
        return unary(UnaryOp.ABS, 0, x);
    }

    public static Tensor sigmoid(Tensor x) {
        return unary(UnaryOp.SIGMOID, 0, x);
    }

    public static Tensor silu(Tensor x) {
        return unary(UnaryOp.SILU, 0, x);
    }

    public static Tensor softplus(Tensor x) {
        return unary(UnaryOp.SOFTPLUS, 0, x);
    }

    public static Tensor tanh(Tensor x) {
        return unary(UnaryOp.TANH, 0, x);
    }

    /** x^p for a constant exponent p. */
    public static Tensor pow(Tensor x, double p) {
        return unary(UnaryOp.POW, p, x);
    }

    /** Huber function: x^2/2 for |x| <= delta, delta (|x| - delta/2) beyond. */
    public static Tensor huber(Tensor x, double delta) {
        return unary(UnaryOp.HUBER, delta, x);
    }

    public static Tensor scale(Tensor x, double s) {
        return unary(UnaryOp.SCALE, s, x);
    }

    public static Tensor addScalar(Tensor x, double s) {
        return unary(UnaryOp.ADD_SCALAR, s, x);
    }

    /** Broadcast shape of a and b (NumPy rules). */
    public static int[] broadcastShape(int[] a, int[] b) {
        int nd = Math.max(a.length, b.length);
        int[] out = new int[nd];
        for (int d = 0; d < nd; d++) {
            int da = d - (nd - a.length) >= 0 ? a[d - (nd - a.length)] : 1;
            int db = d - (nd - b.length) >= 0 ? b[d - (nd - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
            out[d] = da == 1 ? db : da;
        }
        return out;
    }

    /** a (op) b with broadcasting. */
    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        Backend bk = be(a, b);
        int[] os = broadcastShape(a.shape(), b.shape());
        Storage out = alloc(a, count(os));
        bk.binary(op, a.storage(), a.shape(), b.storage(), b.shape(), out, os);
        Tensor[] holder = new Tensor[1];
        Tensor r = Tensor.result(out, os, op.name().toLowerCase(), g -> switch (op) {
            case ADD -> new Tensor[]{sumTo(g, a.shape()), sumTo(g, b.shape())};
            case SUB -> new Tensor[]{sumTo(g, a.shape()), Tensor.needsGrad(b) ? sumTo(neg(g), b.shape()) : null};
            case MUL -> new Tensor[]{Tensor.needsGrad(a) ? sumTo(mul(g, b), a.shape()) : null,
                    Tensor.needsGrad(b) ? sumTo(mul(g, a), b.shape()) : null};
            case DIV -> new Tensor[]{Tensor.needsGrad(a) ? sumTo(div(g, b), a.shape()) : null,
                    Tensor.needsGrad(b) ? sumTo(neg(div(mul(g, holder[0]), b)), b.shape()) : null};
        }, a, b);
        holder[0] = r;
        return r;
    }

    public static Tensor add(Tensor a, Tensor b) {
        return binary(BinaryOp.ADD, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return binary(BinaryOp.SUB, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return binary(BinaryOp.MUL, a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        return binary(BinaryOp.DIV, a, b);
    }

    // ------------------------------------------------------------------ shapes and reductions

    /** Sum of all elements (shape []). */
    public static Tensor sum(Tensor x) {
        int[] all = new int[x.rank()];
        for (int d = 0; d < all.length; d++) {
            all[d] = d;
        }
        return sum(x, false, all);
    }

    /** Sum over the given axes (negative counts from the end); keepDims keeps them with size 1. */
    public static Tensor sum(Tensor x, boolean keepDims, int... axes) {
        int[] shape = x.shape();
        boolean[] red = new boolean[shape.length];
        for (int a : axes) {
            int ax = a < 0 ? a + shape.length : a;
            if (ax < 0 || ax >= shape.length) {
                throw new IllegalArgumentException("axis " + a + " out of range for shape " + Arrays.toString(shape));
            }
            red[ax] = true;
        }
        int[] keep = new int[shape.length];
        int kept = 0;
        for (int d = 0; d < shape.length; d++) {
            keep[d] = red[d] ? 1 : shape[d];
            kept += red[d] ? 0 : 1;
        }
        int[] outShape;
        if (keepDims) {
            outShape = keep;
        } else {
            outShape = new int[kept];
            for (int d = 0, j = 0; d < shape.length; d++) {
                if (!red[d]) {
                    outShape[j++] = shape[d];
                }
            }
        }
        Storage out = alloc(x, count(keep));
        x.backend().reduceSum(x.storage(), shape, red, out);
        return Tensor.result(out, outShape, "sum", g -> new Tensor[]{broadcastTo(reshape(g, keep), shape)}, x);
    }

    /** Mean of all elements. */
    public static Tensor mean(Tensor x) {
        return scale(sum(x), 1.0 / Math.max(1, x.size()));
    }

    /** Mean over the given axes. */
    public static Tensor mean(Tensor x, boolean keepDims, int... axes) {
        int n = 1;
        for (int a : axes) {
            n *= x.dim(a);
        }
        return scale(sum(x, keepDims, axes), 1.0 / Math.max(1, n));
    }

    /** Sums a broadcast gradient back to {@code shape} (leading axes and axes of size 1). */
    public static Tensor sumTo(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) {
            return g;
        }
        int lead = gs.length - shape.length;
        int[] axes = new int[gs.length];
        int n = 0;
        for (int d = 0; d < gs.length; d++) {
            if (d < lead || (shape[d - lead] == 1 && gs[d] != 1)) {
                axes[n++] = d;
            }
        }
        return reshape(sum(g, true, Arrays.copyOf(axes, n)), shape);
    }

    /** Broadcasts x to {@code shape} (materialized). */
    public static Tensor broadcastTo(Tensor x, int[] shape) {
        if (Arrays.equals(x.shape(), shape)) {
            return x;
        }
        Storage out = alloc(x, count(shape));
        Storage zero = alloc(x, 1);
        x.backend().binary(BinaryOp.ADD, x.storage(), x.shape(), zero, new int[0], out, shape);
        int[] xs = x.shape();
        return Tensor.result(out, shape, "broadcastTo", g -> new Tensor[]{sumTo(g, xs)}, x);
    }

    /** Same data, new shape (no copy). */
    public static Tensor reshape(Tensor x, int... shape) {
        if (count(shape) != x.size()) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(x.shape()) + " to "
                    + Arrays.toString(shape));
        }
        int[] xs = x.shape();
        return Tensor.result(x.storage(), shape, "reshape", g -> new Tensor[]{reshape(g, xs)}, x);
    }

    /** Product of the dimensions before axis ax. */
    private static int outer(int[] s, int ax) {
        int n = 1;
        for (int d = 0; d < ax; d++) {
            n *= s[d];
        }
        return n;
    }

    /** Product of the dimensions after axis ax. */
    private static int inner(int[] s, int ax) {
        int n = 1;
        for (int d = ax + 1; d < s.length; d++) {
            n *= s[d];
        }
        return n;
    }

    /** The sub-tensor start..start+length-1 along axis. */
    public static Tensor slice(Tensor x, int axis, int start, int length) {
        int[] s = x.shape();
        int ax = axis < 0 ? axis + s.length : axis;
        if (start < 0 || length < 0 || start + length > s[ax]) {
            throw new IllegalArgumentException("slice " + start + ".." + (start + length - 1) + " outside axis "
                    + ax + " of size " + s[ax]);
        }
        int o = outer(s, ax), in = inner(s, ax);
        int[] os = s.clone();
        os[ax] = length;
        Storage out = alloc(x, count(os));
        x.backend().copyBlocks(x.storage(), s[ax] * in, start * in, out, length * in, 0, o, length * in);
        return Tensor.result(out, os, "slice", g -> new Tensor[]{pad(g, ax, start, s[ax])}, x);
    }

    /**
     * The inverse placement of {@link #slice}: x placed at start..start+len-1 of an axis of size
     * {@code size}, zeros elsewhere (the backward of slice; its own backward is slice).
     */
    public static Tensor pad(Tensor x, int axis, int start, int size) {
        int[] s = x.shape();
        int ax = axis < 0 ? axis + s.length : axis;
        int len = s[ax];
        if (start < 0 || start + len > size) {
            throw new IllegalArgumentException("pad: " + len + " values at " + start + " do not fit an axis of size " + size);
        }
        int outer = outer(s, ax), inner = inner(s, ax);
        int[] os = s.clone();
        os[ax] = size;
        Storage out = alloc(x, count(os));
        x.backend().copyBlocks(x.storage(), len * inner, 0, out, size * inner, start * inner, outer, len * inner);
        return Tensor.result(out, os, "pad", g -> new Tensor[]{slice(g, ax, start, len)}, x);
    }

    /** Concatenation along axis (other dimensions must agree). */
    public static Tensor concat(int axis, Tensor... ts) {
        Backend bk = be(ts);
        int[] s0 = ts[0].shape();
        int ax = axis < 0 ? axis + s0.length : axis;
        int total = 0;
        for (Tensor t : ts) {
            int[] s = t.shape();
            if (s.length != s0.length) {
                throw new IllegalArgumentException("concat of tensors of ranks " + s0.length + " and " + s.length);
            }
            for (int d = 0; d < s.length; d++) {
                if (d != ax && s[d] != s0[d]) {
                    throw new IllegalArgumentException("concat along " + ax + ": shapes " + Arrays.toString(s0)
                            + " and " + Arrays.toString(s) + " differ on axis " + d);
                }
            }
            total += s[ax];
        }
        int outer = outer(s0, ax), inner = inner(s0, ax);
        int[] os = s0.clone();
        os[ax] = total;
        Storage out = alloc(ts[0], count(os));
        int[] starts = new int[ts.length];
        for (int i = 0, off = 0; i < ts.length; i++) {
            starts[i] = off;
            int len = ts[i].dim(ax);
            bk.copyBlocks(ts[i].storage(), len * inner, 0, out, total * inner, off * inner, outer, len * inner);
            off += len;
        }
        return Tensor.result(out, os, "concat", g -> {
            Tensor[] r = new Tensor[ts.length];
            for (int i = 0; i < ts.length; i++) {
                r[i] = Tensor.needsGrad(ts[i]) ? slice(g, ax, starts[i], ts[i].dim(ax)) : null;
            }
            return r;
        }, ts);
    }

    /** Matrix product of [m,k] and [k,n]. */
    public static Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, b, false, false);
    }

    /** op(a) op(b) with optional transposes of the stored 2-D matrices. */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        Backend bk = be(a, b);
        requireRank("matmul", a, 2);
        requireRank("matmul", b, 2);
        int m = transA ? a.dim(1) : a.dim(0), k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0), n = transB ? b.dim(0) : b.dim(1);
        if (k != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions " + k + " and " + kb + " differ");
        }
        Storage out = alloc(a, m * n);
        bk.matmul(a.storage(), b.storage(), out, m, k, n, transA, transB);
        return Tensor.result(out, new int[]{m, n}, "matmul", g -> new Tensor[]{
                Tensor.needsGrad(a) ? (transA ? matmul(b, g, transB, true) : matmul(g, b, false, !transB)) : null,
                Tensor.needsGrad(b) ? (transB ? matmul(g, a, true, transA) : matmul(a, g, !transA, false)) : null}, a, b);
    }

    /**
     * y = A x for a constant {@link LinearMap} A applied on the host (x is copied there and y
     * back); backward A^T g, itself a linear map, so second derivatives work. x and y are flat
     * [inSize] and [outSize].
     */
    public static Tensor linearMap(LinearMap a, Tensor x) {
        if (x.size() != a.inSize())
            throw new IllegalArgumentException("linearMap: " + x.size() + " values for a map from " + a.inSize());
        double[] y = a.apply(x.toDoubles());
        if (y.length != a.outSize()) throw new IllegalStateException("linearMap: the map gave " + y.length + " values, not " + a.outSize());
        Storage out = x.backend().fromDoubles(y, x.dtype());
        return Tensor.result(out, new int[]{a.outSize()}, "linearMap", g -> new Tensor[]{reshape(linearMap(a.transpose(), g), x.shape())}, x);
    }

    // ------------------------------------------------------------------ gathers

    /** Rows of x (axis 0) picked by index: out[i] = x[index[i]]. */
    public static Tensor indexSelect(Tensor x, int[] index) {
        int[] s = x.shape();
        int width = x.size() / Math.max(1, s[0]);
        int[] os = s.clone();
        os[0] = index.length;
        Storage out = alloc(x, index.length * width);
        x.backend().indexSelect(x.storage(), width, index, out);
        return Tensor.result(out, os, "indexSelect", g -> {
            int[][] t = transpose(index, s[0]);
            return new Tensor[]{gatherSum(g, t[0], t[1])};
        }, x);
    }

    /**
     * Gather-sum over CSR: out[a] = sum_{k=ptr[a]}^{ptr[a+1]-1} x[col[k]] (col null: x[k]). This
     * is how every scatter-add is written (no atomics); its backward is the same gather over the
     * transposed structure.
     */
    public static Tensor gatherSum(Tensor x, int[] ptr, int[] col) {
        int[] s = x.shape();
        int width = x.size() / Math.max(1, s[0]);
        int na = ptr.length - 1;
        int[] os = s.clone();
        os[0] = na;
        Storage out = alloc(x, na * width);
        x.backend().csrGatherSum(ptr, col, x.storage(), width, out);
        return Tensor.result(out, os, "gatherSum", g -> {
            if (col == null) {
                Tensor gx = indexSelect(g, segmentIds(ptr));
                return new Tensor[]{ptr[na] == s[0] ? gx : pad(gx, 0, 0, s[0])};
            }
            int[] owner = segmentIds(ptr);
            int[][] t = transpose(Arrays.copyOf(col, ptr[na]), s[0]);
            int[] tCol = new int[t[1].length];
            for (int i = 0; i < tCol.length; i++) {
                tCol[i] = owner[t[1][i]];
            }
            return new Tensor[]{gatherSum(g, t[0], tCol)};
        }, x);
    }

    /** Pooling: out[s] = sum of rows segPtr[s]..segPtr[s+1]-1 (e.g. atoms -> molecules). */
    public static Tensor segmentSum(Tensor x, int[] segPtr) {
        return gatherSum(x, segPtr, null);
    }

    /** Mean pooling over segments (empty segments give 0). */
    public static Tensor segmentMean(Tensor x, int[] segPtr) {
        int ns = segPtr.length - 1;
        double[] inv = new double[ns];
        for (int s = 0; s < ns; s++) {
            int n = segPtr[s + 1] - segPtr[s];
            inv[s] = n == 0 ? 0.0 : 1.0 / n;
        }
        int[] shape = new int[x.rank()];
        Arrays.fill(shape, 1);
        shape[0] = ns;
        return mul(segmentSum(x, segPtr), Tensor.of(x.backend(), x.dtype(), inv, shape));
    }

    /** Sum of edge rows into their receivers: out[a] = sum_{k: receiver a} x[k] (CSR order). */
    public static Tensor scatterToReceivers(Tensor edgeValues, CsrGraph g) {
        if (edgeValues.dim(0) != g.numEdges()) {
            throw new IllegalArgumentException("scatterToReceivers: " + edgeValues.dim(0) + " rows for "
                    + g.numEdges() + " edges");
        }
        return gatherSum(edgeValues, g.rowPtr(), null);
    }

    /** Rows of the senders of every edge: out[k] = x[sender k]. */
    public static Tensor gatherSenders(Tensor nodeValues, CsrGraph g) {
        return indexSelect(nodeValues, g.sender());
    }

    /** Segment id of every row for a segment pointer. */
    static int[] segmentIds(int[] ptr) {
        int[] id = new int[ptr[ptr.length - 1]];
        for (int s = 0; s + 1 < ptr.length; s++) {
            for (int r = ptr[s]; r < ptr[s + 1]; r++) {
                id[r] = s;
            }
        }
        return id;
    }

    /** For an index list into rows 0..n-1: {ptr, positions} grouping positions by index, increasing. */
    static int[][] transpose(int[] index, int n) {
        int[] ptr = new int[n + 1];
        for (int v : index) {
            if (v < 0 || v >= n) {
                throw new IllegalArgumentException("index " + v + " outside 0.." + (n - 1));
            }
            ptr[v + 1]++;
        }
        for (int i = 0; i < n; i++) {
            ptr[i + 1] += ptr[i];
        }
        int[] next = Arrays.copyOf(ptr, n);
        int[] pos = new int[index.length];
        for (int i = 0; i < index.length; i++) {
            pos[next[index[i]]++] = i;
        }
        return new int[][]{ptr, pos};
    }

    // ------------------------------------------------------------------ irreps-layout ops

    private static int rowsOf(String op, Tensor x, int width) {
        requireRank(op, x, 2);
        if (x.dim(1) != width) {
            throw new IllegalArgumentException(op + ": rows have " + x.dim(1) + " values, the layout needs " + width);
        }
        return x.dim(0);
    }

    /** Per-channel inner products: out[r, (i,c)] = sum_m a[r,i,m,c] b[r,i,m,c]; shape [rows, channels]. */
    public static Tensor irrepDot(BlockLayout layout, Tensor a, Tensor b) {
        Backend bk = be(a, b);
        int rows = rowsOf("irrepDot", a, layout.width());
        if (b.dim(0) != rows || b.dim(1) != layout.width()) {
            throw new IllegalArgumentException("irrepDot: operand shapes differ");
        }
        Storage out = alloc(a, rows * layout.channels());
        bk.irrepDot(layout, rows, a.storage(), b.storage(), out);
        return Tensor.result(out, new int[]{rows, layout.channels()}, "irrepDot", g -> new Tensor[]{
                Tensor.needsGrad(a) ? irrepScale(layout, b, g) : null,
                Tensor.needsGrad(b) ? irrepScale(layout, a, g) : null}, a, b);
    }

    /** Squared norms per channel: sum_m x[r,i,m,c]^2; shape [rows, channels]. Invariant. */
    public static Tensor irrepSquaredNorm(BlockLayout layout, Tensor x) {
        return irrepDot(layout, x, x);
    }

    /**
     * Scales every irrep channel: out[r,i,m,c] = x[r,i,m,c] s[r,(i,c)]; s has shape [rows, channels]
     * or [1, channels] / [channels] (one row for all).
     */
    public static Tensor irrepScale(BlockLayout layout, Tensor x, Tensor s) {
        Backend bk = be(x, s);
        int rows = rowsOf("irrepScale", x, layout.width());
        if (s.size() % layout.channels() != 0 || (s.size() != layout.channels() && s.size() != rows * layout.channels())) {
            throw new IllegalArgumentException("irrepScale: scale has shape " + Arrays.toString(s.shape())
                    + ", expected [" + rows + ", " + layout.channels() + "] or [" + layout.channels() + "]");
        }
        int sRows = s.size() / Math.max(1, layout.channels());
        boolean broadcast = sRows == 1 && rows != 1;
        Storage out = alloc(x, x.size());
        bk.irrepScale(layout, rows, x.storage(), s.storage(), broadcast ? 1 : rows, out);
        int[] ss = s.shape();
        return Tensor.result(out, x.shape(), "irrepScale", g -> {
            Tensor gx = Tensor.needsGrad(x) ? irrepScale(layout, g, s) : null;
            Tensor gs = null;
            if (Tensor.needsGrad(s)) {
                Tensor d = irrepDot(layout, g, x);
                gs = broadcast ? reshape(sum(d, false, 0), ss) : reshape(d, ss);
            }
            return new Tensor[]{gx, gs};
        }, x, s);
    }

    /** Per-irrep linear map (see {@link LinearPlan}); x [rows, in width], w [numWeights]. */
    public static Tensor irrepLinear(LinearPlan plan, Tensor x, Tensor w) {
        Backend bk = be(x, w);
        int rows = rowsOf("irrepLinear", x, plan.in().width());
        if (w.size() != plan.numWeights()) {
            throw new IllegalArgumentException("irrepLinear: " + w.size() + " weights, the plan needs "
                    + plan.numWeights());
        }
        Storage out = alloc(x, rows * plan.out().width());
        bk.irrepLinear(plan, rows, x.storage(), w.storage(), out);
        return Tensor.result(out, new int[]{rows, plan.out().width()}, "irrepLinear", g -> {
            Storage gx = Tensor.needsGrad(x) ? alloc(x, x.size()) : null;
            Storage gw = Tensor.needsGrad(w) ? alloc(w, w.size()) : null;
            bk.irrepLinearBackward(plan, rows, x.storage(), w.storage(), g.storage(), gx, gw);
            return new Tensor[]{gx == null ? null : linearGradInputResult(plan, gx, g, w),
                    gw == null ? null : linearGradWeightResult(plan, gw, x, g)};
        }, x, w);
    }

    /**
     * dx = W^T g per irrep block, the input gradient of {@link #irrepLinear} as an op (g [rows,
     * out width], w [numWeights]). It is bilinear: its gradients are irrepLinear(u, w) to g and
     * {@link #irrepLinearGradWeight}(u, g) to w.
     */
    public static Tensor irrepLinearGradInput(LinearPlan plan, Tensor g, Tensor w) {
        Backend bk = be(g, w);
        int rows = rowsOf("irrepLinearGradInput", g, plan.out().width());
        Storage gx = alloc(g, rows * plan.in().width());
        bk.irrepLinearBackward(plan, rows, null, w.storage(), g.storage(), gx, null);
        return linearGradInputResult(plan, gx, g, w);
    }

    /**
     * dW = sum_rows g x^T per irrep block, the weight gradient of {@link #irrepLinear} as an op.
     * Its gradients: {@link #irrepLinearGradInput}(g, V) to x and irrepLinear(x, V) to g.
     */
    public static Tensor irrepLinearGradWeight(LinearPlan plan, Tensor x, Tensor g) {
        Backend bk = be(x, g);
        int rows = rowsOf("irrepLinearGradWeight", x, plan.in().width());
        if (g.dim(0) != rows) {
            throw new IllegalArgumentException("irrepLinearGradWeight: " + rows + " input rows and " + g.dim(0) + " gradient rows");
        }
        Storage gw = alloc(x, plan.numWeights());
        bk.irrepLinearBackward(plan, rows, x.storage(), null, g.storage(), null, gw);
        return linearGradWeightResult(plan, gw, x, g);
    }

    private static Tensor linearGradInputResult(LinearPlan plan, Storage gx, Tensor g, Tensor w) {
        return Tensor.result(gx, new int[]{g.dim(0), plan.in().width()}, "irrepLinearGradInput", u -> new Tensor[]{
                Tensor.needsGrad(g) ? irrepLinear(plan, u, w) : null,
                Tensor.needsGrad(w) ? irrepLinearGradWeight(plan, u, g) : null}, g, w);
    }

    private static Tensor linearGradWeightResult(LinearPlan plan, Storage gw, Tensor x, Tensor g) {
        return Tensor.result(gw, new int[]{plan.numWeights()}, "irrepLinearGradWeight", v -> new Tensor[]{
                Tensor.needsGrad(x) ? irrepLinearGradInput(plan, g, reshape(v, plan.numWeights())) : null,
                Tensor.needsGrad(g) ? irrepLinear(plan, x, reshape(v, plan.numWeights())) : null}, x, g);
    }

    /**
     * The fused sparse CG tensor product over a CSR graph (no per-edge output is materialized):
     * out[a] = sum_{k: receiver a} TP_{w[k]}(e[k], h[sender k]) for the descriptor d, compiled by
     * the operands' backend ({@link Backend#compile}); e [E, edgeWidth], h [N, nodeWidth],
     * w [E, P*C]; result [N, outWidth]. Gradients to e, h and w.
     */
    public static Tensor tensorProduct(TensorProductDescriptor d, CsrGraph graph, Tensor e, Tensor h, Tensor w) {
        Backend bk = be(e, h, w);
        if (e.size() != (long) graph.numEdges() * d.edgeWidth() || h.size() != (long) graph.numNodes() * d.nodeWidth()
                || w.size() != (long) graph.numEdges() * d.weightWidth()) {
            throw new IllegalArgumentException("tensorProduct: shapes e " + Arrays.toString(e.shape()) + ", h "
                    + Arrays.toString(h.shape()) + ", w " + Arrays.toString(w.shape()) + " do not fit "
                    + graph + " with edge width " + d.edgeWidth() + ", node width " + d.nodeWidth()
                    + ", weights per edge " + d.weightWidth());
        }
        CompiledTp tp = bk.compile(d);
        Storage out = alloc(e, graph.numNodes() * d.outWidth());
        tp.forward(graph, e.storage(), h.storage(), w.storage(), out);
        int[][] shapes = {{graph.numNodes(), d.outWidth()}, e.shape(), h.shape(), w.shape()};
        return tpResult(tp, graph, shapes, TP_OUT, out, new Tensor[]{null, e, h, w});
    }

    // The product is the derivative of the 4-linear form phi(g, e, h, w) = <g, TP(e, h; w)> with
    // respect to g; the three input gradients are its derivatives with respect to e, h and w. So
    // every first and second derivative is one of these four "slots" evaluated at permuted
    // operands: the derivative of slot x with respect to operand y, applied to u, is slot y with
    // x's operand replaced by u. Each slot runs as the compiled forward (TP_OUT) or backward.
    private static final int TP_OUT = 0, TP_EDGE = 1, TP_NODE = 2, TP_WEIGHT = 3;
    private static final String[] TP_NAMES = {"tensorProduct", "tensorProductGradEdge", "tensorProductGradNode",
            "tensorProductGradWeight"};

    /** Wraps slot {@code slot} (computed into s) as a tensor recorded on the other three operands. */
    private static Tensor tpResult(CompiledTp tp, CsrGraph graph, int[][] shapes, int slot, Storage s, Tensor[] ops) {
        Tensor[] inputs = new Tensor[3];
        int[] slotOf = new int[3];
        for (int q = 0, j = 0; q < 4; q++) {
            if (q != slot) {
                slotOf[j] = q;
                inputs[j++] = ops[q];
            }
        }
        return Tensor.result(s, shapes[slot], TP_NAMES[slot], u -> {
            Tensor[] sub = ops.clone();
            sub[slot] = u;
            boolean[] want = new boolean[4];
            for (int j = 0; j < 3; j++) {
                want[slotOf[j]] = Tensor.needsGrad(inputs[j]);
            }
            Tensor[] all = tpSlots(tp, graph, shapes, sub, want);
            return new Tensor[]{all[slotOf[0]], all[slotOf[1]], all[slotOf[2]]};
        }, inputs);
    }

    /** The wanted slots at operands ops (all four set), with one backend call for the input slots. */
    private static Tensor[] tpSlots(CompiledTp tp, CsrGraph graph, int[][] shapes, Tensor[] ops, boolean[] want) {
        Tensor[] r = new Tensor[4];
        Storage[] st = new Storage[4];
        for (int q = 0; q < 4; q++) {
            if (want[q]) {
                st[q] = alloc(ops[1], count(shapes[q]));
            }
        }
        Storage g = ops[TP_OUT].storage(), e = ops[TP_EDGE].storage(), h = ops[TP_NODE].storage(), w = ops[TP_WEIGHT].storage();
        if (want[TP_OUT]) {
            tp.forward(graph, e, h, w, st[TP_OUT]);
        }
        if (want[TP_EDGE] || want[TP_NODE] || want[TP_WEIGHT]) {
            tp.backward(graph, e, h, w, g, st[TP_EDGE], st[TP_NODE], st[TP_WEIGHT]);
        }
        for (int q = 0; q < 4; q++) {
            if (want[q]) {
                r[q] = tpResult(tp, graph, shapes, q, st[q], ops);
            }
        }
        return r;
    }
}
