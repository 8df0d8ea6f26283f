package org.unite4j.autograd;

import java.util.Random;
import java.util.function.Function;
import org.unite4j.backend.DType;

/**
 * Central-difference gradient check. For L(x) = sum(f(x) * R) with a fixed random R, compares the
 * tape's dL/dx_j with (L(x + h e_j) - L(x - h e_j)) / (2h) for every input and (up to
 * {@code maxPerInput}, chosen at random) element j. Error of input i:
 * max_j |analytic - numeric| / max(max_j |numeric|, 1e-8). Inputs must be float64.
 */
public final class GradCheck {
    private GradCheck() {
    }

    /** Relative errors, one per input, and their maximum. */
    public record Result(double maxRelErr, double[] relErr) {
    }

    public static Result check(Function<Tensor[], Tensor> f, Tensor[] inputs, long seed, double h, int maxPerInput) {
        int n = inputs.length;
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            if (inputs[i].dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("gradient checks need float64 inputs; input " + i + " is "
                        + inputs[i].dtype());
            }
            x[i] = inputs[i].toDoubles();
        }
        Random rng = new Random(seed);
        Tensor[] leaves = leaves(inputs, x, true);
        Tensor out = f.apply(leaves);
        double[] r = new double[out.size()];
        for (int j = 0; j < r.length; j++) {
            r[j] = rng.nextGaussian();
        }
        Tensor proj = Tensor.of(out.backend(), DType.FLOAT64, r, out.shape());
        F.sum(F.mul(out, proj)).backward();
        double[] err = new double[n];
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double[] ga = leaves[i].grad() == null ? new double[x[i].length] : leaves[i].grad().toDoubles();
            int[] idx = pick(x[i].length, maxPerInput, rng);
            double maxDiff = 0, maxNum = 0;
            for (int j : idx) {
                double orig = x[i][j];
                x[i][j] = orig + h;
                double lp = loss(f, inputs, x, r);
                x[i][j] = orig - h;
                double lm = loss(f, inputs, x, r);
                x[i][j] = orig;
                double num = (lp - lm) / (2 * h);
                maxDiff = Math.max(maxDiff, Math.abs(num - ga[j]));
                maxNum = Math.max(maxNum, Math.abs(num));
            }
            err[i] = maxDiff / Math.max(maxNum, 1e-8);
            if (!(err[i] <= worst)) {
                worst = Double.isNaN(err[i]) ? Double.NaN : Math.max(worst, err[i]);
            }
        }
        return new Result(worst, err);
    }

    /**
     * Gradient-of-gradient check. With fixed random v (shape of f's output) and u_i (shapes of the
     * inputs), S(x, v) = sum_i <u_i, dL/dx_i> for L = <v, f(x)> is a scalar made by one backward
     * sweep; its gradient with respect to every x_i and to v, taken by differentiating that sweep
     * ({@code createGraph}), is compared with central differences of S. The result has one error
     * per input and, last, the error of the v part (the rule's derivative with respect to its
     * incoming gradient). Inputs must be float64.
     */
    public static Result checkSecond(Function<Tensor[], Tensor> f, Tensor[] inputs, long seed, double h, int maxPerInput) {
        int n = inputs.length;
        double[][] x = new double[n + 1][];
        for (int i = 0; i < n; i++) {
            if (inputs[i].dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("gradient checks need float64 inputs; input " + i + " is "
                        + inputs[i].dtype());
            }
            x[i] = inputs[i].toDoubles();
        }
        int[] outShape;
        try (var ignored = GradMode.noGrad()) {
            outShape = f.apply(inputs).shape();
        }
        Random rng = new Random(seed);
        x[n] = gaussian(rng, (int) Tensor.count(outShape));
        double[][] u = new double[n][];
        for (int i = 0; i < n; i++) {
            u[i] = gaussian(rng, x[i].length);
        }
        Tensor[] all = new Tensor[n + 1];
        System.arraycopy(inputs, 0, all, 0, n);
        all[n] = Tensor.of(inputs[0].backend(), DType.FLOAT64, x[n], outShape);
        Tensor[] leaves = leaves(all, x, true);
        Tensor s = secondSum(f, leaves, u, true);
        double[][] ga = new double[n + 1][];
        if (s.requiresGrad()) {
            Tensor[] g = Tensor.grad(s, false, leaves);
            for (int i = 0; i <= n; i++) {
                ga[i] = g[i].toDoubles();
            }
        } else {
            for (int i = 0; i <= n; i++) {
                ga[i] = new double[x[i].length];
            }
        }
        double[] err = new double[n + 1];
        double worst = 0;
        for (int i = 0; i <= n; i++) {
            int[] idx = pick(x[i].length, maxPerInput, rng);
            double maxDiff = 0, maxNum = 0;
            for (int j : idx) {
                double orig = x[i][j];
                x[i][j] = orig + h;
                double sp = secondSum(f, leaves(all, x, true), u, false).item();
                x[i][j] = orig - h;
                double sm = secondSum(f, leaves(all, x, true), u, false).item();
                x[i][j] = orig;
                double num = (sp - sm) / (2 * h);
                maxDiff = Math.max(maxDiff, Math.abs(num - ga[i][j]));
                maxNum = Math.max(maxNum, Math.abs(num));
            }
            err[i] = maxDiff / Math.max(maxNum, 1e-8);
            if (!(err[i] <= worst)) {
                worst = Double.isNaN(err[i]) ? Double.NaN : Math.max(worst, err[i]);
            }
        }
        return new Result(worst, err);
    }

    /** S = sum_i <u_i, d<v, f(x)>/dx_i> over leaves (x..., v); recorded when {@code createGraph}. */
    private static Tensor secondSum(Function<Tensor[], Tensor> f, Tensor[] leaves, double[][] u, boolean createGraph) {
        int n = u.length;
        Tensor[] x = java.util.Arrays.copyOf(leaves, n);
        Tensor v = leaves[n];
        Tensor l = F.sum(F.mul(f.apply(x), v));
        Tensor s = Tensor.scalar(v.backend(), DType.FLOAT64, 0.0);
        if (!l.requiresGrad()) {
            return s;
        }
        Tensor[] g = Tensor.grad(l, createGraph, x);
        for (int i = 0; i < n; i++) {
            s = F.add(s, F.sum(F.mul(g[i], Tensor.of(v.backend(), DType.FLOAT64, u[i], x[i].shape()))));
        }
        return s;
    }

    private static double[] gaussian(Random rng, int n) {
        double[] r = new double[n];
        for (int j = 0; j < n; j++) {
            r[j] = rng.nextGaussian();
        }
        return r;
    }

    private static double loss(Function<Tensor[], Tensor> f, Tensor[] inputs, double[][] x, double[] r) {
        try (var ignored = GradMode.noGrad()) {
            double[] y = f.apply(leaves(inputs, x, false)).toDoubles();
            double s = 0;
            for (int j = 0; j < y.length; j++) {
                s += y[j] * r[j];
            }
            return s;
        }
    }

    private static Tensor[] leaves(Tensor[] like, double[][] x, boolean grad) {
        Tensor[] t = new Tensor[like.length];
        for (int i = 0; i < like.length; i++) {
            t[i] = Tensor.of(like[i].backend(), DType.FLOAT64, x[i], like[i].shape()).requiresGrad(grad);
        }
        return t;
    }

    private static int[] pick(int n, int max, Random rng) {
        if (n <= max) {
            int[] all = new int[n];
            for (int j = 0; j < n; j++) {
                all[j] = j;
            }
            return all;
        }
        int[] perm = new int[n];
        for (int j = 0; j < n; j++) {
            perm[j] = j;
        }
        for (int j = 0; j < max; j++) {
            int k = j + rng.nextInt(n - j);
            int t = perm[j];
            perm[j] = perm[k];
            perm[k] = t;
        }
        return java.util.Arrays.copyOf(perm, max);
    }
}
