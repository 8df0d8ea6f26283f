package org.unite4j.train;

/**
 * Learning-rate schedules, as pure functions of the optimizer step (0-based), so a resumed run
 * needs only the step count.
 *
 * <p>Warm-up + cosine ({@link #warmupCosine}): with W warm-up steps and T total steps,
 * <pre>
 *   lr(s) = lr0 * (s + 1) / W                                          for 0 &lt;= s &lt; W
 *   lr(s) = lrMin + (lr0 - lrMin) * (1 + cos(pi * (s - W) / (T - W))) / 2   for W &lt;= s &lt; T
 *   lr(s) = lrMin                                                      for s &gt;= T
 * </pre>
 * so the last warm-up step (s = W - 1) and the first cosine step (s = W) both use lr0, and the
 * rate falls smoothly to lrMin at s = T. W = 0 means no warm-up.
 */
public final class Schedules {
    private Schedules() {}

    /** A learning rate as a function of the 0-based optimizer step. */
    @FunctionalInterface
    public interface Schedule {
        double lr(long step);
    }

    /** lr(s) = lr for every step. */
    public static Schedule constant(double lr) {
        checkRate(lr, "lr");
        return step -> {
            checkStep(step);
            return lr;
        };
    }

    /** Linear warm-up over {@code warmupSteps} to {@code lr0}, then cosine decay to {@code lrMin} at {@code totalSteps}. */
    public static Schedule warmupCosine(double lr0, double lrMin, long warmupSteps, long totalSteps) {
        checkRate(lr0, "lr0");
        checkRate(lrMin, "lrMin");
        if (lrMin > lr0) throw new IllegalArgumentException("lrMin (" + lrMin + ") must not exceed lr0 (" + lr0 + ")");
        if (warmupSteps < 0) throw new IllegalArgumentException("warm-up steps must be >= 0, got " + warmupSteps);
        if (totalSteps <= warmupSteps)
            throw new IllegalArgumentException("total steps (" + totalSteps + ") must exceed warm-up steps (" + warmupSteps + ")");
        final double span = totalSteps - warmupSteps;
        return step -> {
            checkStep(step);
            if (step < warmupSteps) return lr0 * (step + 1) / warmupSteps;
            if (step >= totalSteps) return lrMin;
            double t = (step - warmupSteps) / span;
            return lrMin + (lr0 - lrMin) * 0.5 * (1 + Math.cos(Math.PI * t));
        };
    }

    private static void checkRate(double v, String name) {
        if (!(v >= 0) || !Double.isFinite(v)) throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + v);
    }

    private static void checkStep(long step) {
        if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
}
