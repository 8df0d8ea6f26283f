package org.unite4j.nn;

import java.util.ArrayList;
import java.util.List;
import org.unite4j.autograd.Tensor;
import org.unite4j.backend.Storage;

/**
 * Adam (Kingma and Ba) with optional weight decay, in place on the parameters' storages. With
 * gradient g and step t: m = b1 m + (1-b1) g, v = b2 v + (1-b2) g^2,
 * p -= lr * (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps). Weight decay wd is either L2 (g += wd p,
 * classic Adam) or decoupled (AdamW: p -= lr wd p, Loshchilov and Hutter).
 */
public final class Adam {
    private final List<Tensor> params;
    private final List<Storage> m = new ArrayList<>();
    private final List<Storage> v = new ArrayList<>();
    private double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;
    private int t;

    public Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
                boolean decoupled) {
        if (!(lr > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0)
                || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("Adam: need lr > 0, 0 <= beta < 1, eps > 0, weight decay >= 0 (got lr "
                    + lr + ", betas " + beta1 + "/" + beta2 + ", eps " + eps + ", wd " + weightDecay + ")");
        }
        this.params = List.copyOf(params);
        for (Tensor p : this.params) {
            if (!p.requiresGrad() || !p.isLeaf()) {
                throw new IllegalArgumentException("Adam: every parameter must be a leaf with requiresGrad");
            }
            m.add(p.backend().allocate(p.dtype(), p.size()));
            v.add(p.backend().allocate(p.dtype(), p.size()));
        }
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    /** Adam with L2 weight decay (0 for none), betas 0.9/0.999, eps 1e-8. */
    public static Adam adam(List<Tensor> params, double lr, double weightDecay) {
        return new Adam(params, lr, 0.9, 0.999, 1e-8, weightDecay, false);
    }

    /** AdamW (decoupled weight decay), betas 0.9/0.999, eps 1e-8. */
    public static Adam adamW(List<Tensor> params, double lr, double weightDecay) {
        return new Adam(params, lr, 0.9, 0.999, 1e-8, weightDecay, true);
    }

    public double learningRate() {
        return lr;
    }

    /** Changes the learning rate (schedules). */
    public void setLearningRate(double lr) {
        if (!(lr > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
        }
        this.lr = lr;
    }

    /** Number of steps taken. */
    public int steps() {
        return t;
    }

    /** One update of every parameter that has a gradient. */
    public void step() {
        t++;
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p.grad() == null) {
                continue;
            }
            Storage g = p.grad().storage();
            if (p.grad().dtype() != p.dtype()) {
                g = p.backend().convert(g, p.dtype());
            }
            p.backend().adamStep(p.storage(), g, m.get(i), v.get(i), lr, beta1, beta2, eps, weightDecay, decoupled, t);
        }
    }

    /** The first-moment estimates m, one array per parameter (for checkpoints). */
    public List<double[]> firstMoments() {
        return m.stream().map(s -> s.backend().toDoubles(s)).toList();
    }

    /** The second-moment estimates v, one array per parameter (for checkpoints). */
    public List<double[]> secondMoments() {
        return v.stream().map(s -> s.backend().toDoubles(s)).toList();
    }

    /** Restores the step count and moments saved by {@link #firstMoments}/{@link #secondMoments} (resume). */
    public void restore(int steps, List<double[]> first, List<double[]> second) {
        if (steps < 0 || first.size() != params.size() || second.size() != params.size())
            throw new IllegalArgumentException("Adam state: expected " + params.size() + " moment arrays and steps >= 0");
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (first.get(i).length != p.size() || second.get(i).length != p.size())
                throw new IllegalArgumentException("Adam state: moment " + i + " has the wrong size (parameter has " + p.size() + ")");
            m.set(i, p.backend().fromDoubles(first.get(i), p.dtype()));
            v.set(i, p.backend().fromDoubles(second.get(i), p.dtype()));
        }
        t = steps;
    }

    /** Clears every parameter's gradient. */
    public void zeroGrad() {
        for (Tensor p : params) {
            p.zeroGrad();
        }
    }
}
