package org.unite4j.nn;

import org.unite4j.autograd.F;
import org.unite4j.autograd.Tensor;
import org.unite4j.backend.BlockLayout;
import org.unite4j.irreps.Irrep;
import org.unite4j.irreps.Irreps;

/** Invariant quantities and gating of "ir_mul" features. */
public final class IrrepOps {
    private IrrepOps() {
    }

    /**
     * Smoothed norms per channel: n[r, (i,c)] = sqrt(sum_m x[r,i,m,c]^2 + eps^2) - eps, shape
     * [rows, channels] (channels = sum of multiplicities). Invariant under O(3); differentiable at 0.
     */
    public static Tensor norm(Irreps irreps, Tensor x, double eps) {
        Tensor sq = F.irrepSquaredNorm(BlockLayout.of(irreps), x);
        return F.addScalar(F.sqrt(F.addScalar(sq, eps * eps)), -eps);
    }

    /** Squared norms per channel, shape [rows, channels]. */
    public static Tensor squaredNorm(Irreps irreps, Tensor x) {
        return F.irrepSquaredNorm(BlockLayout.of(irreps), x);
    }

    /**
     * The gate: out = xi on 0e channels, out = hhat * xi on every other channel (xi [rows,
     * channels] invariant, e.g. an MLP of invariants; hhat [rows, dim]).
     */
    public static Tensor gate(Irreps irreps, Tensor hhat, Tensor xi) {
        double[] mask = new double[irreps.dim()];
        double[] fill = new double[irreps.dim()];
        for (int i = 0; i < irreps.size(); i++) {
            boolean scalar = irreps.get(i).ir().equals(new Irrep(0, 1));
            for (int q = irreps.offset(i); q < irreps.offset(i + 1); q++) {
                mask[q] = scalar ? 0 : 1;
                fill[q] = scalar ? 1 : 0;
            }
        }
        Tensor m = Tensor.of(hhat.backend(), hhat.dtype(), mask, mask.length);
        Tensor f = Tensor.of(hhat.backend(), hhat.dtype(), fill, fill.length);
        return F.irrepScale(BlockLayout.of(irreps), F.add(F.mul(hhat, m), f), xi);
    }
}
