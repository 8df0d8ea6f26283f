package org.unite4j.nn;

import java.util.Map;
import org.unite4j.autograd.F;
import org.unite4j.autograd.GradMode;
import org.unite4j.autograd.Tensor;
import org.unite4j.backend.Backend;
import org.unite4j.backend.BlockLayout;
import org.unite4j.backend.DType;
import org.unite4j.irreps.Irreps;

/**
 * Equivariant normalization (UNiTE, DESIGN.md section 4 step 5). For each channel c of each irrep
 * block: n = sqrt(sum_m h^2 + eps_n^2) - eps_n (eps_n = 1e-4);
 * xbar = (n - mu) / sqrt(var + 1e-5) with the batch mean/variance over rows while training
 * (running averages with momentum 0.1 kept for inference); hhat = h / (n + |beta| + 1e-2) with
 * beta learnable per channel (initialized to 0.5). The parameter-free variant uses
 * s = sum_m h^2: xbar = sqrt(s + 1) - 1, hhat = h / sqrt(s + 1). Returns both: xbar
 * [rows, channels] is invariant, hhat [rows, dim] transforms like h.
 */
public final class EvNorm implements Module {
    public static final double EPS_NORM = 1e-4;
    public static final double EPS_HAT = 1e-2;
    public static final double EPS_VAR = 1e-5;
    public static final double MOMENTUM = 0.1;

    /** xbar (invariant, [rows, channels]) and hhat (equivariant, [rows, dim]). */
    public record Output(Tensor xbar, Tensor hhat) {
    }

    private final Irreps irreps;
    private final BlockLayout layout;
    private final boolean parameterFree;
    private final Tensor beta;
    private final double[] runningMean;
    private final double[] runningVar;
    private boolean training = true;

    /** @param parameterFree the variant without batch statistics and beta */
    public EvNorm(Irreps irreps, boolean parameterFree, Backend backend, DType dtype) {
        this.irreps = irreps;
        this.layout = BlockLayout.of(irreps);
        this.parameterFree = parameterFree;
        int nc = layout.channels();
        beta = parameterFree ? null : Tensor.full(backend, dtype, 0.5, nc).requiresGrad(true);
        runningMean = new double[nc];
        runningVar = new double[nc];
        java.util.Arrays.fill(runningVar, 1.0);
    }

    /** Training uses (and updates) batch statistics; inference uses the running averages. */
    public void setTraining(boolean training) {
        this.training = training;
    }

    public boolean isTraining() {
        return training;
    }

    public Output forward(Tensor h) {
        return forward(h, own());
    }

    /**
     * The layer with beta = p.get("beta"). Training uses the batch statistics (at least 2 rows)
     * and updates the running ones (float64, from the norms of h without gradient); inference uses
     * the running statistics.
     *
     * @throws IllegalArgumentException in training mode with fewer than 2 rows
     */
    public Output forward(Tensor h, Params p) {
        return forward(h, p, false);
    }

    /**
     * As {@link #forward(Tensor, Params)}; with {@code constantStatistics} training normalizes with
     * the running statistics as they stand (constants, as at inference) and then updates them from
     * the batch, so that each row's output depends on that row alone: what force training needs,
     * where a molecule's forces must not depend on the other molecules of its batch, and must be
     * the forces inference will give.
     */
    public Output forward(Tensor h, Params p, boolean constantStatistics) {
        if (parameterFree) {
            return parameterFree(layout, h);
        }
        if (!training) {
            return withRunningStats(h, p);
        }
        if (h.dim(0) < 2) {
            throw new IllegalArgumentException("EvNorm in training mode needs at least 2 rows for batch statistics, got "
                    + h.dim(0));
        }
        Tensor b = p.get("beta");
        Output fixed = constantStatistics ? runningStats(irreps, h, b, runningMean.clone(), runningVar.clone()) : null;
        try (var ignored = GradMode.noGrad()) {
            double[] nv = IrrepOps.norm(irreps, h.detach(), EPS_NORM).toDoubles();
            int rows = h.dim(0), nc = runningMean.length;
            for (int c = 0; c < nc; c++) {
                double mean = 0, var = 0;
                for (int i = 0; i < rows; i++) {
                    mean += nv[i * nc + c];
                }
                mean /= rows;
                for (int i = 0; i < rows; i++) {
                    double d = nv[i * nc + c] - mean;
                    var += d * d;
                }
                var /= rows;
                runningMean[c] = (1 - MOMENTUM) * runningMean[c] + MOMENTUM * mean;
                runningVar[c] = (1 - MOMENTUM) * runningVar[c] + MOMENTUM * var;
            }
        }
        return fixed != null ? fixed : batchStats(irreps, h, b);
    }

    /** The inference-mode layer (running statistics, nothing updated) whatever the mode. */
    public Output withRunningStats(Tensor h, Params p) {
        return parameterFree ? parameterFree(layout, h) : runningStats(irreps, h, p.get("beta"), runningMean, runningVar);
    }

    /** xbar with fixed statistics (inference). */
    static Tensor withStats(Tensor n, double[] mean, double[] var) {
        double[] inv = new double[var.length];
        for (int c = 0; c < var.length; c++) {
            inv[c] = 1.0 / Math.sqrt(var[c] + EPS_VAR);
        }
        Tensor m = Tensor.of(n.backend(), n.dtype(), mean, 1, mean.length);
        Tensor s = Tensor.of(n.backend(), n.dtype(), inv, 1, inv.length);
        return F.mul(F.sub(n, m), s);
    }

    /** hhat = h / (n + |beta| + eps). */
    static Tensor hat(BlockLayout layout, Tensor h, Tensor n, Tensor beta) {
        Tensor denom = F.addScalar(F.add(n, F.abs(beta)), EPS_HAT);
        return F.irrepScale(layout, h, F.reciprocal(denom));
    }

    /** The parameter-free variant: xbar = sqrt(s+1) - 1, hhat = h / sqrt(s+1), s = sum_m h^2. */
    public static Output parameterFree(BlockLayout layout, Tensor h) {
        Tensor r = F.sqrt(F.addScalar(F.irrepSquaredNorm(layout, h), 1.0));
        return new Output(F.addScalar(r, -1.0), F.irrepScale(layout, h, F.reciprocal(r)));
    }

    /** The training-mode op as a function of h and beta (for checks). */
    public static Output batchStats(Irreps irreps, Tensor h, Tensor beta) {
        Tensor n = IrrepOps.norm(irreps, h, EPS_NORM);
        Tensor mu = F.mean(n, true, 0);
        Tensor centered = F.sub(n, mu);
        Tensor var = F.mean(F.square(centered), true, 0);
        Tensor xbar = F.div(centered, F.sqrt(F.addScalar(var, EPS_VAR)));
        return new Output(xbar, hat(BlockLayout.of(irreps), h, n, beta));
    }

    /** The inference-mode op with given running statistics, as a function of h and beta. */
    public static Output runningStats(Irreps irreps, Tensor h, Tensor beta, double[] mean, double[] var) {
        Tensor n = IrrepOps.norm(irreps, h, EPS_NORM);
        return new Output(withStats(n, mean, var), hat(BlockLayout.of(irreps), h, n, beta));
    }

    public double[] runningMean() {
        return runningMean.clone();
    }

    /**
     * The running statistics as live arrays, "running_mean" and "running_var" (empty for the
     * parameter-free variant): saved and loaded with the parameters.
     */
    public Map<String, double[]> buffers() {
        if (parameterFree) {
            return Map.of();
        }
        Map<String, double[]> m = new java.util.LinkedHashMap<>();
        m.put("running_mean", runningMean);
        m.put("running_var", runningVar);
        return m;
    }

    public double[] runningVar() {
        return runningVar.clone();
    }

    public Tensor beta() {
        return beta;
    }

    public Irreps irreps() {
        return irreps;
    }

    @Override
    public Map<String, Tensor> namedParameters() {
        return beta == null ? Map.of() : Map.of("beta", beta);
    }
}
