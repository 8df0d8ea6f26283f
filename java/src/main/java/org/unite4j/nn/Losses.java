package org.unite4j.nn;

import org.unite4j.autograd.F;
import org.unite4j.autograd.Tensor;

/** Regression losses, means over all elements: MSE mean (p-y)^2, L1 mean |p-y|, Huber. */
public final class Losses {
    private Losses() {
    }

    /** mean((pred - target)^2). */
    public static Tensor mse(Tensor pred, Tensor target) {
        return F.mean(F.square(F.sub(pred, target)));
    }

    /** mean(|pred - target|). */
    public static Tensor l1(Tensor pred, Tensor target) {
        return F.mean(F.abs(F.sub(pred, target)));
    }

    /** mean(huber_delta(pred - target)): r^2/2 for |r| <= delta, delta (|r| - delta/2) beyond. */
    public static Tensor huber(Tensor pred, Tensor target, double delta) {
        if (!(delta > 0)) {
            throw new IllegalArgumentException("Huber delta must be > 0, got " + delta);
        }
        return F.mean(F.huber(F.sub(pred, target), delta));
    }
}
