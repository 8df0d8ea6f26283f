package org.unite4j.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unite4j.backend.BlockLayout;
import org.unite4j.backend.cpu.Parallel;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.data.GraphBatch;
import org.unite4j.data.MolecularGraph;
import org.unite4j.irreps.Irreps;

/**
 * The model's input standardization: the invariants of the decomposed blocks (per-channel smooth
 * norms sqrt(sum_m t^2 + EPS^2) - EPS) are standardized as (n - mean) / std, per element for the diagonal blocks and
 * over all edges for the off-diagonal ones. The statistics are fitted on training molecules
 * ({@link #fit}) and saved with the model as buffers ("node_mean", "node_std", "edge_mean",
 * "edge_std"; live arrays). Host work, split over the CPU threads with the same bits on any count.
 */
final class InputStatistics {
    /**
     * The invariants are the smooth norms sqrt(sum_m x^2 + EPS^2) - EPS: a channel that is zero
     * by symmetry (the traceless part of a diagonal overlap block, say) holds rounding noise, and
     * the plain norm's derivative x / ||x|| there is a unit vector of that noise; with EPS the
     * derivative is x / EPS, negligible, and channels far above EPS are unchanged to ~EPS^2 / ||x||.
     */
    static final double EPS = 1e-6;

    /** Rows per task of the host-side work (norms, standardization). */
    private static final int HOST_GRAIN = 2048;

    private final Irreps feature;
    private final int numElements, invChannels;
    private final double[] nodeMean, nodeStd, edgeMean, edgeStd;

    InputStatistics(Irreps feature, int numElements) {
        this.feature = feature;
        this.numElements = numElements;
        this.invChannels = BlockLayout.of(feature).channels();
        nodeMean = new double[numElements * invChannels];
        nodeStd = new double[numElements * invChannels];
        edgeMean = new double[invChannels];
        edgeStd = new double[invChannels];
        java.util.Arrays.fill(nodeStd, 1.0);
        java.util.Arrays.fill(edgeStd, 1.0);
    }

    /** Standardized invariants of a batch's diagonal blocks, [atoms][channels]. */
    double[] nodeInvariants(GraphBatch b) {
        int n = b.numAtoms;
        double[] nn = norms(b.nodeFeatures, n);
        Parallel.forRange(n, HOST_GRAIN, (lo, hi) -> {
            for (int a = lo; a < hi; a++)
                for (int c = 0; c < invChannels; c++) {
                    int q = b.atomicNumbers[a] * invChannels + c;
                    nn[a * invChannels + c] = (nn[a * invChannels + c] - nodeMean[q]) / nodeStd[q];
                }
        });
        return nn;
    }

    /** Standardizes row k of edge invariants {@code en} ([edges][channels], from {@link #norms}) in place. */
    void standardizeEdge(double[] en, int k) {
        for (int c = 0; c < invChannels; c++) en[k * invChannels + c] = (en[k * invChannels + c] - edgeMean[c]) / edgeStd[c];
    }

    /**
     * x / sqrt(||x||^2 + EPS^2) per channel, the derivative of the norm {@link #norms} computes,
     * in the layout of the feature rows.
     */
    double[] directions(double[] x, int rows) {
        double[] nrm = norms(x, rows);
        double[] out = new double[x.length];
        int d = feature.dim(), nb = feature.size();
        for (int r = 0; r < rows; r++) {
            int c0 = 0;
            for (int i = 0; i < nb; i++) {
                int mul = feature.get(i).mul(), dm = feature.get(i).ir().dim(), off = feature.offset(i);
                for (int m = 0; m < dm; m++)
                    for (int u = 0; u < mul; u++) {
                        int j = r * d + off + m * mul + u;
                        out[j] = x[j] / (nrm[r * invChannels + c0 + u] + EPS);
                    }
                c0 += mul;
            }
        }
        return out;
    }

    /** 1 / std of every atom's diagonal invariants (its element's), [atoms][channels]. */
    double[] nodeInverseStd(GraphBatch b) {
        double[] out = new double[b.numAtoms * invChannels];
        for (int a = 0; a < b.numAtoms; a++)
            for (int c = 0; c < invChannels; c++) out[a * invChannels + c] = 1.0 / nodeStd[b.atomicNumbers[a] * invChannels + c];
        return out;
    }

    /** 1 / std of the edge invariants, [channels]. */
    double[] edgeInverseStd() {
        double[] out = new double[invChannels];
        for (int c = 0; c < invChannels; c++) out[c] = 1.0 / edgeStd[c];
        return out;
    }

    /** Per-channel smooth norms sqrt(sum_m x^2 + EPS^2) - EPS of feature rows (float64, constants of the input). */
    double[] norms(double[] x, int rows) {
        double[] out = new double[rows * invChannels];
        int d = feature.dim(), nb = feature.size();
        int[] muls = new int[nb], dims = new int[nb], offs = new int[nb];
        for (int i = 0; i < nb; i++) {
            muls[i] = feature.get(i).mul();
            dims[i] = feature.get(i).ir().dim();
            offs[i] = feature.offset(i);
        }
        // per channel the sum runs over m in increasing order; channels are contiguous (ir_mul),
        // so the inner loop runs over them (vectorized) with the sums in out. Rows are independent:
        // split over the CPU threads (the same bits on any count), which matters on a GPU, where
        // this host work is most of a forward's time
        Parallel.forRange(rows, HOST_GRAIN, (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int c0 = 0;
                for (int i = 0; i < nb; i++) {
                    int mul = muls[i], dm = dims[i], ob = r * invChannels + c0;
                    for (int m = 0; m < dm; m++) {
                        int xb = r * d + offs[i] + m * mul;
                        for (int u = 0; u < mul; u++) {
                            double v = x[xb + u];
                            out[ob + u] += v * v;
                        }
                    }
                    for (int u = 0; u < mul; u++) out[ob + u] = Math.sqrt(out[ob + u] + EPS * EPS) - EPS;
                    c0 += mul;
                }
            }
        });
        return out;
    }

    /**
     * Sets the standardization from training molecules: mean and standard deviation of every
     * invariant (block norm per channel) of the diagonal blocks per element, and of the off-diagonal
     * blocks over all edges (std floored at 1e-3; elements without data keep 0/1).
     */
    void fit(List<MolecularGraph> mols, XtbMethod method) {
        int ne = numElements, c = invChannels;
        double[] s1 = new double[ne * c], s2 = new double[ne * c], cnt = new double[ne];
        double[] e1 = new double[c], e2 = new double[c];
        long ecnt = 0;
        for (int start = 0; start < mols.size(); start += 64) {
            GraphBatch b = GraphBatch.of(mols.subList(start, Math.min(mols.size(), start + 64)), method);
            double[] nn = norms(b.nodeFeatures, b.numAtoms), en = norms(b.edgeFeatures, b.numEdges);
            for (int a = 0; a < b.numAtoms; a++) {
                int z = b.atomicNumbers[a];
                cnt[z]++;
                for (int k = 0; k < c; k++) {
                    double v = nn[a * c + k];
                    s1[z * c + k] += v;
                    s2[z * c + k] += v * v;
                }
            }
            for (int k = 0; k < b.numEdges; k++)
                for (int q = 0; q < c; q++) {
                    double v = en[k * c + q];
                    e1[q] += v;
                    e2[q] += v * v;
                }
            ecnt += b.numEdges;
        }
        for (int z = 0; z < ne; z++) {
            if (cnt[z] == 0) continue;
            for (int k = 0; k < c; k++) {
                double m = s1[z * c + k] / cnt[z], v = Math.max(0, s2[z * c + k] / cnt[z] - m * m);
                nodeMean[z * c + k] = m;
                nodeStd[z * c + k] = Math.max(Math.sqrt(v), 1e-3);
            }
        }
        if (ecnt > 0)
            for (int q = 0; q < c; q++) {
                double m = e1[q] / ecnt, v = Math.max(0, e2[q] / ecnt - m * m);
                edgeMean[q] = m;
                edgeStd[q] = Math.max(Math.sqrt(v), 1e-3);
            }
    }

    /** The statistics as live arrays (saved and loaded with the model). */
    Map<String, double[]> buffers() {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("node_mean", nodeMean);
        m.put("node_std", nodeStd);
        m.put("edge_mean", edgeMean);
        m.put("edge_std", edgeStd);
        return m;
    }
}
