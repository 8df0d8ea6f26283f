package org.unite4j.backend.cpu;

import org.unite4j.irreps.CGTable;
import org.unite4j.irreps.TensorProductDescriptor;

/**
 * The flattened form of a channel-wise ("uuu") CG tensor product that the CPU loops execute, the
 * CPU's lowering of a {@link TensorProductDescriptor} ({@link #of}). With C
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

    /** The plan of d: offsets and CG indices pre-multiplied by the channel count, paths in d's order. */
    public static TpPlan of(TensorProductDescriptor d) {
        int c = d.channels(), np = d.numPaths();
        int[] eOff = new int[np], hOff = new int[np], oOff = new int[np], cs = new int[np + 1];
        for (int p = 0; p < np; p++) {
            cs[p + 1] = cs[p] + d.path(p).cg().nnz();
        }
        int nnz = cs[np];
        int[] i1 = new int[nnz], i2 = new int[nnz], i3 = new int[nnz];
        double[] v = new double[nnz];
        for (int p = 0; p < np; p++) {
            TensorProductDescriptor.Path path = d.path(p);
            eOff[p] = c * d.edgeOffset(path.iEdge());
            hOff[p] = c * d.nodeOffset(path.iNode());
            oOff[p] = c * d.outOffset(path.iOut());
            CGTable cg = path.cg();
            for (int j = 0; j < cg.nnz(); j++) {
                i1[cs[p] + j] = c * cg.i1()[j];
                i2[cs[p] + j] = c * cg.i2()[j];
                i3[cs[p] + j] = c * cg.i3()[j];
                v[cs[p] + j] = cg.value()[j];
            }
        }
        return new TpPlan(c, c * d.edgeDim(), c * d.nodeDim(), c * d.outDim(), np, eOff, hOff, oOff, cs, i1, i2, i3, v);
    }

    /**
     * The plan with node and output exchanged (the node gradient's product, see
     * {@link TensorProductDescriptor#transposed()}): hOff and oOff, i2 and i3, the node and output
     * widths swap; paths and entries keep their order.
     */
    public TpPlan transposed() {
        return new TpPlan(channels, edgeWidth, outWidth, nodeWidth, numPaths, eOff, oOff, hOff, cgStart, i1, i3, i2, value);
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
