package org.unite4j.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.unite4j.backend.Backend;
import org.unite4j.backend.Backends;
import org.unite4j.backend.DType;
import org.unite4j.backend.Storage;

/**
 * An n-dimensional array (row-major {@link #shape()}, {@link DType}, on the backend that owns its
 * {@link Storage}) that may record how it was computed. Ops (see {@link F}) on tensors that
 * require gradients, while {@link GradMode} is enabled, link the result to its inputs and a
 * backward rule; {@link #backward()} walks that tape in reverse topological order, accumulating
 * dL/dx into {@link #grad()} of every leaf that requires it, and releases the tape (the saved
 * intermediates) as it goes. Tensors are immutable except through optimizers
 * ({@link #storage()} of a parameter is updated in place).
 */
public final class Tensor {

    /** The rule that turns dL/d(this) into dL/d(input_i); entries may be null (no gradient). */
    @FunctionalInterface
    public interface BackwardFn {
        Tensor[] apply(Tensor gradOut);
    }

    private record Node(String op, Tensor[] inputs, BackwardFn fn) {
    }

    private final Storage storage;
    private final int[] shape;
    private boolean requiresGrad;
    private boolean released;
    private Node node;
    private Tensor grad;

    Tensor(Storage storage, int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != storage.size()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + n
                    + " elements but the storage holds " + storage.size());
        }
        this.storage = storage;
        this.shape = shape.clone();
    }

    // ------------------------------------------------------------------ factories

    /** A float64 tensor on the CPU holding a copy of data. */
    public static Tensor of(double[] data, int... shape) {
        return of(Backends.cpu(), DType.FLOAT64, data, shape);
    }

    /** A tensor on {@code backend} holding data rounded to {@code dtype}. */
    public static Tensor of(Backend backend, DType dtype, double[] data, int... shape) {
        return new Tensor(backend.fromDoubles(data, dtype), shape);
    }

    /** A tensor wrapping an existing storage (no copy). */
    public static Tensor wrap(Storage storage, int... shape) {
        return new Tensor(storage, shape);
    }

    public static Tensor zeros(Backend backend, DType dtype, int... shape) {
        return new Tensor(backend.allocate(dtype, (int) count(shape)), shape);
    }

    public static Tensor full(Backend backend, DType dtype, double value, int... shape) {
        double[] d = new double[(int) count(shape)];
        Arrays.fill(d, value);
        return of(backend, dtype, d, shape);
    }

    /** A 0-dimensional tensor. */
    public static Tensor scalar(Backend backend, DType dtype, double value) {
        return of(backend, dtype, new double[]{value});
    }

    /** Standard normal entries times {@code scale}, from {@code rng}. */
    public static Tensor randn(Random rng, double scale, Backend backend, DType dtype, int... shape) {
        double[] d = new double[(int) count(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = scale * rng.nextGaussian();
        }
        return of(backend, dtype, d, shape);
    }

    static long count(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    // ------------------------------------------------------------------ accessors

    public int[] shape() {
        return shape.clone();
    }

    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    public int rank() {
        return shape.length;
    }

    public int size() {
        return storage.size();
    }

    public DType dtype() {
        return storage.dtype();
    }

    public Backend backend() {
        return storage.backend();
    }

    public Storage storage() {
        return storage;
    }

    /** A copy of the values, widened to double. */
    public double[] toDoubles() {
        return storage.backend().toDoubles(storage);
    }

    /** The single value of a one-element tensor. */
    public double item() {
        if (size() != 1) {
            throw new IllegalStateException("item() on a tensor of shape " + Arrays.toString(shape));
        }
        return toDoubles()[0];
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf tensor as a parameter/input whose gradient {@link #backward()} accumulates. */
    public Tensor requiresGrad(boolean on) {
        if (node != null) {
            throw new IllegalStateException("requiresGrad can only be set on leaf tensors (this one comes from "
                    + node.op + ")");
        }
        requiresGrad = on;
        return this;
    }

    /** Whether this tensor was made by the user (not by a recorded op). */
    public boolean isLeaf() {
        return node == null && !released;
    }

    /** The accumulated gradient dL/d(this), or null. */
    public Tensor grad() {
        return grad;
    }

    public void zeroGrad() {
        grad = null;
    }

    /** Name of the op that made this tensor, or null for a leaf. */
    public String op() {
        return node == null ? null : node.op;
    }

    /** A leaf sharing this tensor's storage, cut off from the tape. */
    public Tensor detach() {
        return new Tensor(storage, shape);
    }

    /** A leaf copy in another dtype. */
    public Tensor to(DType dtype) {
        return new Tensor(storage.backend().convert(storage, dtype), shape);
    }

    // ------------------------------------------------------------------ tape

    /** Result of an op: records the node when grad mode is on and an input requires gradients. */
    static Tensor result(Storage s, int[] shape, String op, BackwardFn fn, Tensor... inputs) {
        Tensor t = new Tensor(s, shape);
        if (GradMode.isEnabled()) {
            for (Tensor in : inputs) {
                if (in != null && in.requiresGrad) {
                    t.requiresGrad = true;
                    t.node = new Node(op, inputs, fn);
                    break;
                }
            }
        }
        return t;
    }

    /** Backpropagates from a one-element tensor (seed 1). */
    public void backward() {
        if (size() != 1) {
            throw new IllegalStateException("backward() without a seed needs a one-element tensor, not shape "
                    + Arrays.toString(shape));
        }
        backward(Tensor.full(backend(), dtype(), 1.0, shape), false);
    }

    /**
     * Backpropagates dL/d(this) = seed through the tape. Gradients of leaves are accumulated
     * (added to existing {@link #grad()}); unless {@code retainGraph}, the tape is released.
     */
    public void backward(Tensor seed, boolean retainGraph) {
        backward(seed, retainGraph, false);
    }

    /**
     * As {@link #backward(Tensor, boolean)}; with {@code createGraph} the backward rules are
     * themselves recorded (the accumulated gradients are differentiable tensors, so a gradient
     * can be differentiated again) and the tape is kept.
     */
    public void backward(Tensor seed, boolean retainGraph, boolean createGraph) {
        propagate(this, seed, retainGraph || createGraph, createGraph, null);
    }

    /**
     * dL/d(input_i) for L = sum(output * seed), without touching any {@link #grad()} (PyTorch's
     * {@code torch.autograd.grad}). Inputs may be leaves or intermediate tensors of the graph;
     * one that output does not depend on gets a zero tensor. With {@code createGraph} the results
     * are recorded tensors, differentiable again (the tape is then kept); otherwise the tape
     * behind output is released unless {@code retainGraph}.
     */
    public static Tensor[] grad(Tensor output, Tensor[] inputs, Tensor seed, boolean retainGraph, boolean createGraph) {
        Map<Tensor, Tensor> wanted = new IdentityHashMap<>();
        for (Tensor in : inputs) {
            if (!in.requiresGrad) {
                throw new IllegalArgumentException("grad() with respect to a tensor that does not require gradients");
            }
            wanted.put(in, null);
        }
        propagate(output, seed, retainGraph || createGraph, createGraph, wanted);
        Tensor[] out = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor g = wanted.get(inputs[i]);
            out[i] = g != null ? g : Tensor.zeros(inputs[i].backend(), inputs[i].dtype(), inputs[i].shape);
        }
        return out;
    }

    /** {@link #grad(Tensor, Tensor[], Tensor, boolean, boolean)} of a one-element output (seed 1). */
    public static Tensor[] grad(Tensor output, boolean createGraph, Tensor... inputs) {
        if (output.size() != 1) {
            throw new IllegalStateException("grad() without a seed needs a one-element output, not shape "
                    + Arrays.toString(output.shape));
        }
        return grad(output, inputs, Tensor.full(output.backend(), output.dtype(), 1.0, output.shape), false, createGraph);
    }

    /**
     * The reverse sweep. With {@code wanted} null the gradients of leaves accumulate into their
     * {@link #grad()}; otherwise the complete gradient of every tensor in {@code wanted} is stored
     * there and no leaf is touched.
     */
    private static void propagate(Tensor root, Tensor seed, boolean retainGraph, boolean createGraph,
                                  Map<Tensor, Tensor> wanted) {
        if (!Arrays.equals(seed.shape, root.shape)) {
            throw new IllegalArgumentException("seed shape " + Arrays.toString(seed.shape) + " differs from "
                    + Arrays.toString(root.shape));
        }
        if (root.released) {
            throw new IllegalStateException("the graph behind this tensor was already released by backward()");
        }
        if (!root.requiresGrad) {
            throw new IllegalStateException("backward() on a tensor that does not require gradients");
        }
        List<Tensor> order = topoOrder(root);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(root, seed);
        Set<Tensor> previous = NEEDED.get();
        NEEDED.set(wanted == null ? null : needed(order, wanted.keySet()));
        try (var ignored = createGraph ? GradMode.enableGrad() : GradMode.noGrad()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = grads.remove(t);
                if (g == null) {
                    continue;
                }
                if (wanted != null && wanted.containsKey(t)) {
                    wanted.put(t, g);
                }
                if (t.node == null) {
                    if (t.released) {
                        throw new IllegalStateException("backward() through a released graph");
                    }
                    if (wanted == null) {
                        t.grad = t.grad == null ? g : F.add(t.grad, g);
                    }
                    continue;
                }
                Tensor[] gi = t.node.fn.apply(g);
                Tensor[] inputs = t.node.inputs;
                for (int j = 0; j < inputs.length; j++) {
                    Tensor in = inputs[j];
                    if (in == null || !needsGrad(in) || gi[j] == null) {
                        continue;
                    }
                    if (!Arrays.equals(gi[j].shape, in.shape)) {
                        throw new IllegalStateException("op " + t.node.op + " produced a gradient of shape "
                                + Arrays.toString(gi[j].shape) + " for an input of shape " + Arrays.toString(in.shape));
                    }
                    Tensor prev = grads.get(in);
                    grads.put(in, prev == null ? gi[j] : F.add(prev, gi[j]));
                }
                if (!retainGraph) {
                    t.node = null;
                    t.released = true;
                }
            }
        } finally {
            NEEDED.set(previous);
        }
    }

    /**
     * During a {@link #grad} sweep, the tensors whose gradient leads to a wanted one (null: every
     * tensor that requires gradients, as in {@link #backward}); backward rules skip the others.
     */
    private static final ThreadLocal<Set<Tensor>> NEEDED = new ThreadLocal<>();

    /**
     * Whether a backward rule must produce the gradient of input x: x requires gradients and, in
     * a {@link #grad} sweep, lies on a path to a tensor asked for (so parameter gradients are not
     * computed when only input gradients are wanted). Used by the rules in {@link F}.
     */
    static boolean needsGrad(Tensor x) {
        if (!x.requiresGrad) {
            return false;
        }
        Set<Tensor> n = NEEDED.get();
        return n == null || n.contains(x);
    }

    /** The tensors of order (inputs before users) that are wanted or have a needed input. */
    private static Set<Tensor> needed(List<Tensor> order, Set<Tensor> wanted) {
        Set<Tensor> out = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor t : order) {
            boolean need = wanted.contains(t);
            if (!need && t.node != null) {
                for (Tensor in : t.node.inputs) {
                    if (in != null && out.contains(in)) {
                        need = true;
                        break;
                    }
                }
            }
            if (need) {
                out.add(t);
            }
        }
        return out;
    }

    /** Post-order of the nodes requiring gradients reachable from root (inputs before users). */
    private static List<Tensor> topoOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[]{root, 0});
        seen.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Tensor t = (Tensor) top[0];
            int next = (Integer) top[1];
            Tensor[] inputs = t.node == null ? new Tensor[0] : t.node.inputs;
            if (next < inputs.length) {
                top[1] = next + 1;
                Tensor in = inputs[next];
                if (in != null && in.requiresGrad && seen.put(in, Boolean.TRUE) == null) {
                    stack.push(new Object[]{in, 0});
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }

    @Override
    public String toString() {
        double[] v = toDoubles();
        String vals = v.length <= 16 ? Arrays.toString(v) : Arrays.toString(Arrays.copyOf(v, 16)) + "...";
        return "Tensor" + Arrays.toString(shape) + " " + dtype() + " " + vals;
    }

    // ------------------------------------------------------------------ fluent shortcuts (see F)

    public Tensor add(Tensor o) {
        return F.add(this, o);
    }

    public Tensor sub(Tensor o) {
        return F.sub(this, o);
    }

    public Tensor mul(Tensor o) {
        return F.mul(this, o);
    }

    public Tensor div(Tensor o) {
        return F.div(this, o);
    }

    public Tensor mul(double s) {
        return F.scale(this, s);
    }

    public Tensor add(double s) {
        return F.addScalar(this, s);
    }

    public Tensor matmul(Tensor o) {
        return F.matmul(this, o);
    }

    public Tensor sum() {
        return F.sum(this);
    }

    public Tensor mean() {
        return F.mean(this);
    }

    public Tensor reshape(int... newShape) {
        return F.reshape(this, newShape);
    }
}
