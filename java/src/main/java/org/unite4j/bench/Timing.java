package org.unite4j.bench;

import java.util.Arrays;

/**
 * Wall-clock timing with {@link System#nanoTime()}: one call to calibrate, {@code warmups}
 * samples to let the JIT compile, then the median of {@code repeats} samples. A sample runs the
 * op {@code inner} times in a row, with inner chosen so that a sample lasts at least
 * {@code minSampleSeconds} (short ops are batched so that the clock's resolution does not
 * matter); the result is seconds per call.
 */
public final class Timing {
    private Timing() {
    }

    /** Median seconds per call of {@code op}. */
    public static double medianSeconds(Runnable op, int warmups, int repeats, double minSampleSeconds) {
        if (repeats < 1) throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
        if (warmups < 0) throw new IllegalArgumentException("warm-ups must be >= 0, got " + warmups);
        long t0 = System.nanoTime();
        op.run();
        double first = Math.max(1e-9, (System.nanoTime() - t0) * 1e-9);
        int inner = innerCount(first, minSampleSeconds);
        double[] warm = new double[warmups];
        for (int w = 0; w < warmups; w++) warm[w] = sample(op, inner);
        if (warmups > 0) inner = innerCount(Math.max(1e-9, median(warm)), minSampleSeconds); // recalibrate after the JIT
        double[] s = new double[repeats];
        for (int r = 0; r < repeats; r++) s[r] = sample(op, inner);
        return median(s);
    }

    private static int innerCount(double secondsPerCall, double minSampleSeconds) {
        return (int) Math.max(1, Math.min(1_000_000, Math.ceil(minSampleSeconds / secondsPerCall)));
    }

    private static double sample(Runnable op, int inner) {
        long t0 = System.nanoTime();
        for (int i = 0; i < inner; i++) op.run();
        return (System.nanoTime() - t0) * 1e-9 / inner;
    }

    /** The median (mean of the two middle values for an even count). */
    public static double median(double[] v) {
        if (v.length == 0) throw new IllegalArgumentException("median of no values");
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
    }
}
