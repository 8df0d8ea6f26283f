package org.unite4j.backend;

/**
 * The flattened form of a channel-wise ("uvu") CG tensor product that the kernels execute, built
 * from an {@code org.unite4j.irreps.TensorProductDescriptor} (see {@code TpPlans}). With C
 * channels and all offsets already multiplied by C, path p couples edge block at {@code eOff[p]},
 * node block at {@code hOff[p]} into output block at {@code oOff[p]} through the CG entries
 * {@code cgStart[p] .. cgStart[p+1]-1}: (i1[j], i2[j], i3[j], value[j]), where i1, i2, i3 are the
 * m+l indices already multiplied by C. For each row, edge k and path p:
 * out[a, oOff+i3+c] += value * w[k, p, c] * e[k, eOff+i1+c] * h[sender k, hOff+i2+c].
 */
public record TpPlan(int channels, int edgeWidth, int nodeWidth, int outWidth, int numPaths,
                     int[] eOff, int[] hOff, int[] oOff, int[] cgStart, int[] i1, int[] i2, int[] i3,
                     double[] value) {

    public TpPlan {
        if (eOff.length != numPaths || hOff.length != numPaths || oOff.length != numPaths
                || cgStart.length != numPaths + 1) {
            throw new IllegalArgumentException("TpPlan: path arrays do not match numPaths " + numPaths);
        }
        int nnz = cgStart[numPaths];
        if (i1.length != nnz || i2.length != nnz || i3.length != nnz || value.length != nnz) {
            throw new IllegalArgumentException("TpPlan: CG arrays do not hold " + nnz + " entries");
        }
        for (int p = 0; p < numPaths; p++) {
            for (int j = cgStart[p]; j < cgStart[p + 1]; j++) {
                if (eOff[p] + i1[j] + channels > edgeWidth || hOff[p] + i2[j] + channels > nodeWidth
                        || oOff[p] + i3[j] + channels > outWidth) {
                    throw new IllegalArgumentException("TpPlan: CG entry " + j + " of path " + p
                            + " indexes outside the feature rows");
                }
            }
        }
    }

    /** Width of one edge's weight row: numPaths * channels. */
    public int weightWidth() {
        return numPaths * channels;
    }

    /** Values rounded to float, for the float32 kernels. */
    public float[] valueF() {
        float[] f = new float[value.length];
        for (int j = 0; j < f.length; j++) {
            f[j] = (float) value[j];
        }
        return f;
    }
}
