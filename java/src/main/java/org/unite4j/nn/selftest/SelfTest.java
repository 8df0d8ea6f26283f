package org.unite4j.nn.selftest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.unite4j.autograd.GradCheck;
import org.unite4j.autograd.GradMode;
import org.unite4j.autograd.Tensor;
import org.unite4j.backend.Backend;
import org.unite4j.backend.Backends;
import org.unite4j.backend.DType;
import org.unite4j.backend.cpu.Parallel;
import org.unite4j.irreps.Rotations;

/**
 * Runs every {@link OpCheck} on one backend: a float64 central-difference gradient check
 * (pass: max relative error < 1e-6), the same check of the gradient's own gradient
 * ({@link GradCheck#checkSecond}, second derivatives through the recorded backward; pass < 1e-6),
 * equivariance under two random rotations and one
 * rotation-inversion (pass: max |f(Qx) - Q f(x)| / max(1, max |f(x)|) < 1e-10), bitwise
 * determinism (same inputs twice; on the CPU also 1 thread vs 2 threads, forward and gradients) and, for backends other
 * than the CPU, agreement with the CPU reference (pass: < 1e-10 relative in float64). A backend
 * without float64 runs everything in float32: its gradients are compared with the CPU float64
 * gradients, and every tolerance is {@link #F32_TOL}.
 */
public final class SelfTest {
    public static final double GRAD_TOL = 1e-6;
    public static final double EQUIV_TOL = 1e-10;
    public static final double PARITY_TOL = 1e-10;
    /** Tolerance of every check on a backend without float64 (relative, float32 arithmetic). */
    public static final double F32_TOL = 1e-4;

    private SelfTest() {
    }

    /** Outcome of one op; NaN/null fields mean "not applicable" or "failed before". */
    public record OpResult(String op, double gradRelErr, double gradGradRelErr, Double equivErr, boolean deterministic,
                           Double cpuParityErr, String error, boolean passed) {
    }

    /** Runs every registered check on {@code backend}. */
    public static List<OpResult> run(Backend backend, long seed) {
        List<OpResult> res = new ArrayList<>();
        for (OpCheck c : OpChecks.all()) {
            res.add(check(c, backend, seed));
        }
        return res;
    }

    /** Runs one check on {@code backend}. */
    public static OpResult check(OpCheck c, Backend backend, long seed) {
        double grad = Double.NaN, grad2 = Double.NaN;
        Double equiv = null, parity = null;
        boolean det = false;
        try {
            Tensor[] cpuIn = c.inputs().apply(new Random(seed));
            DType dt = dtypeFor(backend);
            Tensor[] in = onto(backend, cpuIn, dt);
            if (dt == DType.FLOAT64) {
                grad = GradCheck.check(c.fn(), in, seed + 1, 1e-6, 40).maxRelErr();
                grad2 = GradCheck.checkSecond(c.fn(), in, seed + 4, 1e-5, 40).maxRelErr();
            } else {
                // float32-only backend: its first and second derivatives against the CPU float64
                // ones (checked there)
                grad = relDiff(gradients(c, cpuIn, seed), gradients(c, in, seed));
                grad2 = relDiff(secondGradients(c, cpuIn, seed), secondGradients(c, in, seed));
            }
            try (var ignored = GradMode.noGrad()) {
                Tensor y = c.fn().apply(in);
                double[] y1 = y.toDoubles();
                det = sameBits(y1, c.fn().apply(in).toDoubles());
                if (backend.name().equals("cpu")) {
                    int t = Parallel.threads();
                    try {
                        Parallel.setThreads(1);
                        double[] one = c.fn().apply(in).toDoubles();
                        double[] gOne = gradients(c, in, seed);
                        Parallel.setThreads(2);
                        Parallel.setIgnoreGrain(true);
                        double[] two = c.fn().apply(in).toDoubles();
                        double[] gTwo = gradients(c, in, seed);
                        det &= sameBits(one, two) && sameBits(one, y1) && sameBits(gOne, gTwo);
                    } finally {
                        Parallel.setIgnoreGrain(false);
                        Parallel.setThreads(t);
                    }
                } else {
                    parity = relDiff(c.fn().apply(cpuIn).toDoubles(), y1);
                }
                if (c.equivariance() != null) {
                    Random rq = new Random(seed + 2);
                    double worst = 0;
                    for (int trial = 0; trial < 3; trial++) {
                        double[][] q = Rotations.random(rq);
                        if (trial == 2) {
                            q = Rotations.scale(-1.0, q);
                        }
                        Tensor lhs = c.fn().apply(c.equivariance().transformInputs(q, in));
                        Tensor rhs = c.equivariance().transformOutput(q, y);
                        worst = Math.max(worst, relDiff(rhs.toDoubles(), lhs.toDoubles()));
                    }
                    equiv = worst;
                }
            }
            boolean f64 = dt == DType.FLOAT64;
            boolean ok = grad < (f64 ? GRAD_TOL : F32_TOL) && grad2 < (f64 ? GRAD_TOL : F32_TOL) && det && (equiv == null || equiv < (f64 ? EQUIV_TOL : F32_TOL))
                    && (parity == null || parity < (f64 ? PARITY_TOL : F32_TOL));
            return new OpResult(c.name(), grad, grad2, equiv, det, parity, null, ok);
        } catch (RuntimeException ex) {
            return new OpResult(c.name(), grad, grad2, equiv, det, parity, ex.toString(), false);
        }
    }

    /** All input gradients of sum(f(x) * R) for a fixed R, concatenated (backward determinism). */
    private static double[] gradients(OpCheck c, Tensor[] in, long seed) {
        try (var ignored = GradMode.enableGrad()) {
            Tensor[] leaves = new Tensor[in.length];
            for (int i = 0; i < in.length; i++) {
                leaves[i] = in[i].detach().requiresGrad(true);
            }
            Tensor y = c.fn().apply(leaves);
            Random r = new Random(seed + 3);
            double[] proj = new double[y.size()];
            for (int i = 0; i < proj.length; i++) {
                proj[i] = r.nextGaussian();
            }
            org.unite4j.autograd.F.sum(org.unite4j.autograd.F.mul(y,
                    Tensor.of(y.backend(), y.dtype(), proj, y.shape()))).backward();
            java.util.List<Double> all = new java.util.ArrayList<>();
            for (Tensor l : leaves) {
                for (double v : l.grad() == null ? new double[l.size()] : l.grad().toDoubles()) {
                    all.add(v);
                }
            }
            return all.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    /**
     * The gradient of S = sum_i <u_i, dL/dx_i>, L = sum(f(x) * R), with respect to the inputs and
     * R, by differentiating the backward sweep (fixed random R and u_i), concatenated.
     */
    private static double[] secondGradients(OpCheck c, Tensor[] in, long seed) {
        try (var ignored = GradMode.enableGrad()) {
            Tensor[] leaves = new Tensor[in.length + 1];
            for (int i = 0; i < in.length; i++) {
                leaves[i] = in[i].detach().requiresGrad(true);
            }
            Tensor[] x = java.util.Arrays.copyOf(leaves, in.length);
            Tensor y = c.fn().apply(x);
            Random r = new Random(seed + 5);
            leaves[in.length] = Tensor.of(y.backend(), y.dtype(), gaussian(r, y.size()), y.shape()).requiresGrad(true);
            Tensor l = org.unite4j.autograd.F.sum(org.unite4j.autograd.F.mul(y, leaves[in.length]));
            Tensor[] g = Tensor.grad(l, true, x);
            Tensor s = Tensor.scalar(y.backend(), y.dtype(), 0.0);
            for (int i = 0; i < in.length; i++) {
                Tensor u = Tensor.of(y.backend(), y.dtype(), gaussian(r, in[i].size()), in[i].shape());
                s = org.unite4j.autograd.F.add(s, org.unite4j.autograd.F.sum(org.unite4j.autograd.F.mul(g[i], u)));
            }
            java.util.List<Double> all = new java.util.ArrayList<>();
            if (s.requiresGrad()) {
                for (Tensor t : Tensor.grad(s, false, leaves)) {
                    for (double v : t.toDoubles()) {
                        all.add(v);
                    }
                }
            }
            return all.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    private static double[] gaussian(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    /** float64 where the backend has it (every check at float64 tolerances), else float32. */
    public static DType dtypeFor(Backend b) {
        return b.supports(DType.FLOAT64) ? DType.FLOAT64 : DType.FLOAT32;
    }

    private static Tensor[] onto(Backend b, Tensor[] cpu, DType dt) {
        Tensor[] t = new Tensor[cpu.length];
        for (int i = 0; i < cpu.length; i++) {
            t[i] = b == cpu[i].backend() && dt == cpu[i].dtype() ? cpu[i]
                    : Tensor.of(b, dt, cpu[i].toDoubles(), cpu[i].shape());
        }
        return t;
    }

    private static boolean sameBits(double[] a, double[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
                return false;
            }
        }
        return true;
    }

    /** max |a - b| / max(1, max |a|). */
    static double relDiff(double[] ref, double[] x) {
        if (ref.length != x.length) {
            return Double.POSITIVE_INFINITY;
        }
        double d = 0, m = 1;
        for (int i = 0; i < ref.length; i++) {
            double diff = Math.abs(ref[i] - x[i]);
            d = Double.isNaN(diff) || diff > d ? diff : d;
            m = Math.max(m, Math.abs(ref[i]));
        }
        return d / m;
    }

    /** One JSON object: backend, overall pass, and per op its errors and pass flag. */
    public static String toJson(Backend backend, List<OpResult> results) {
        boolean all = results.stream().allMatch(OpResult::passed);
        boolean f64 = dtypeFor(backend) == DType.FLOAT64;
        StringBuilder sb = new StringBuilder();
        sb.append("{\"backend\":\"").append(backend.name()).append("\",\"dtype\":\"")
                .append(f64 ? "float64" : "float32").append("\",\"threads\":")
                .append(Parallel.threads()).append(",\"grad_tol\":").append(num(f64 ? GRAD_TOL : F32_TOL))
                .append(",\"equiv_tol\":").append(num(f64 ? EQUIV_TOL : F32_TOL)).append(",\"passed\":").append(all)
                .append(",\"ops\":{");
        for (int i = 0; i < results.size(); i++) {
            OpResult r = results.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append("\n  \"").append(r.op()).append("\":{\"grad_rel_err\":").append(num(r.gradRelErr()))
                    .append(",\"grad_grad_rel_err\":").append(num(r.gradGradRelErr()))
                    .append(",\"equiv_err\":").append(r.equivErr() == null ? "null" : num(r.equivErr()))
                    .append(",\"deterministic\":").append(r.deterministic());
            if (r.cpuParityErr() != null) {
                sb.append(",\"cpu_parity_err\":").append(num(r.cpuParityErr()));
            }
            if (r.error() != null) {
                sb.append(",\"error\":\"").append(r.error().replace("\\", "\\\\").replace("\"", "\\\"")
                        .replace("\n", " ")).append('"');
            }
            sb.append(",\"passed\":").append(r.passed()).append('}');
        }
        sb.append("\n}}");
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3e", v) : "null";
    }

    /** Available backend names for the CLI. */
    public static List<String> backendNames() {
        return Backends.all().stream().filter(Backend::isAvailable).map(Backend::name).toList();
    }
}
