package org.unite4j.backend.cpu;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.unite4j.backend.CsrGraph;
import org.unite4j.backend.TpPlan;

/**
 * SIMD bodies of the fused CG tensor product kernels of {@link CpuKernels}, written with the
 * Vector API ({@code jdk.incubator.vector}; loaded only when that module is present).
 *
 * <p>The forward and gradH are gathers: for one destination row (an output row of a receiver,
 * a node-feature row of a sender) and each edge in CSR (or transposed-CSR) order, the CG entries
 * that write that row are walked in (path, table) order and summed in registers; the row is
 * loaded and stored once per edge (it stays in L1). gradE and gradW are computed per edge in one
 * pass (t = value gradOut h; gradW[p] += t e in registers; gradE += t w). The C channels are
 * processed in vectors of the preferred width (lanes over channels, the contiguous axis of the
 * "ir_mul" layout), up to four vectors per entry loop (independent add chains); the channels left
 * over (C mod lanes) run the same arithmetic in scalar code. Per output element the operations
 * and their order are exactly those of the scalar reference kernels (edges in CSR order, paths in
 * p order, CG entries in table order; no fused
multiply-add), so the bits equal theirs, run to run and for any thread count. Forward:
 * out[a, oOff+i3+c] = sum_k sum_(p,j) (value_j * (w[k,p,c] * e[k, eOff+i1+c])) * h[sender k, hOff+i2+c].
 */
final class TpVector {
    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

    private TpVector() {
    }

    /**
     * The CG entries of a plan grouped by destination row (rows of C channels): entries of row r
     * are start[r] .. start[r+1]-1, in (path, table) order; idx holds three offsets per entry
     * (already multiplied by C, within the rows of the three operands) and val its value.
     */
    record Gather(int rows, int[] start, int[] idx, double[] val, float[] valF) {
        static Gather of(int rows, int n, int[] row, int[] x, int[] y, int[] z, double[] v) {
            int[] start = new int[rows + 1];
            for (int q = 0; q < n; q++) {
                start[row[q] + 1]++;
            }
            for (int r = 0; r < rows; r++) {
                start[r + 1] += start[r];
            }
            int[] fill = start.clone();
            int[] idx = new int[3 * n];
            double[] val = new double[n];
            float[] valF = new float[n];
            for (int q = 0; q < n; q++) { // stable: keeps (path, table) order within a row
                int at = fill[row[q]]++;
                idx[3 * at] = x[q];
                idx[3 * at + 1] = y[q];
                idx[3 * at + 2] = z[q];
                val[at] = v[q];
                valF[at] = (float) v[q];
            }
            return new Gather(rows, start, idx, val, valF);
        }
    }

    /** The gathers of one plan: fwd by output row (e, w, h offsets), bwdH by node row (e, w, gradOut). */
    record Gathers(Gather fwd, Gather bwdH) {
    }

    private static final Map<TpPlan, Gathers> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    static Gathers gathers(TpPlan pl) {
        Gathers gs = CACHE.get(pl);
        if (gs == null) {
            gs = build(pl);
            CACHE.put(pl, gs);
        }
        return gs;
    }

    private static Gathers build(TpPlan pl) {
        int c = pl.channels(), np = pl.numPaths(), n = pl.cgStart()[np];
        int[] eI = new int[n], hI = new int[n], oI = new int[n], wI = new int[n];
        int[] hR = new int[n], oR = new int[n];
        for (int p = 0; p < np; p++) {
            for (int j = pl.cgStart()[p]; j < pl.cgStart()[p + 1]; j++) {
                eI[j] = pl.eOff()[p] + pl.i1()[j];
                hI[j] = pl.hOff()[p] + pl.i2()[j];
                oI[j] = pl.oOff()[p] + pl.i3()[j];
                wI[j] = p * c;
                hR[j] = hI[j] / c;
                oR[j] = oI[j] / c;
            }
        }
        double[] v = pl.value();
        return new Gathers(Gather.of(pl.outWidth() / c, n, oR, eI, wI, hI, v),
                Gather.of(pl.nodeWidth() / c, n, hR, eI, wI, oI, v));
    }

    // ------------------------------------------------------------------ float32

    /**
     * Forward for receiver rows [lo, hi): out[a, r] = sum_{k in row a} sum_{q in row r}
     * (val_q * (w[k, y_q] * e[k, x_q])) * h[sender k, z_q], accumulated in the output row (in L1).
     */
    static void forward(TpPlan pl, Gather gt, int[] rowPtr, int[] sender, float[] e, float[] h, float[] w, float[] out,
                        int lo, int hi) {
        for (int a = lo; a < hi; a++) { // one call per row: compiled early by C2
            forwardRows(pl, gt, rowPtr, sender, e, h, w, out, a, a + 1);
        }
    }

    private static void forwardRows(TpPlan pl, Gather gt, int[] rowPtr, int[] sender, float[] e, float[] h, float[] w, float[] out,
                        int lo, int hi) {
        final int c = pl.channels(), ew = pl.edgeWidth(), hw = pl.nodeWidth(), ow = pl.outWidth();
        final int ww = pl.weightWidth(), rows = gt.rows();
        final int[] start = gt.start(), idx = gt.idx();
        final float[] val = gt.valF();
        final int lanes = FS.length(), cv = c - c % lanes;
        for (int a = lo; a < hi; a++) {
            final int ob0 = a * ow;
            Arrays.fill(out, ob0, ob0 + ow, (float) 0);
            for (int k = rowPtr[a]; k < rowPtr[a + 1]; k++) {
                final int eb0 = k * ew, wb0 = k * ww, hb0 = sender[k] * hw;
                for (int r = 0; r < rows; r++) {
                    final int q0 = start[r], q1 = start[r + 1], ob = ob0 + r * c;
                    int ch = 0;
                    for (; ch + 4 * lanes <= cv; ch += 4 * lanes) {
                        final int bx = eb0 + ch, by = wb0 + ch, bz = hb0 + ch;
                        FloatVector acc0 = FloatVector.fromArray(FS, out, ob + ch);
                        FloatVector acc1 = FloatVector.fromArray(FS, out, ob + ch + lanes);
                        FloatVector acc2 = FloatVector.fromArray(FS, out, ob + ch + 2 * lanes);
                        FloatVector acc3 = FloatVector.fromArray(FS, out, ob + ch + 3 * lanes);
                        for (int q = q0; q < q1; q++) {
                            final int x = bx + idx[3 * q], y = by + idx[3 * q + 1], z = bz + idx[3 * q + 2];
                            final float v = val[q];
                            acc0 = acc0.add(FloatVector.fromArray(FS, w, y).mul(FloatVector.fromArray(FS, e, x)).mul(v)
                                    .mul(FloatVector.fromArray(FS, h, z)));
                            acc1 = acc1.add(FloatVector.fromArray(FS, w, y + lanes).mul(FloatVector.fromArray(FS, e, x + lanes)).mul(v)
                                    .mul(FloatVector.fromArray(FS, h, z + lanes)));
                            acc2 = acc2.add(FloatVector.fromArray(FS, w, y + 2 * lanes).mul(FloatVector.fromArray(FS, e, x + 2 * lanes)).mul(v)
                                    .mul(FloatVector.fromArray(FS, h, z + 2 * lanes)));
                            acc3 = acc3.add(FloatVector.fromArray(FS, w, y + 3 * lanes).mul(FloatVector.fromArray(FS, e, x + 3 * lanes)).mul(v)
                                    .mul(FloatVector.fromArray(FS, h, z + 3 * lanes)));
                        }
                        acc0.intoArray(out, ob + ch);
                        acc1.intoArray(out, ob + ch + lanes);
                        acc2.intoArray(out, ob + ch + 2 * lanes);
                        acc3.intoArray(out, ob + ch + 3 * lanes);
                    }
                    for (; ch + 2 * lanes <= cv; ch += 2 * lanes) {
                        final int bx = eb0 + ch, by = wb0 + ch, bz = hb0 + ch;
                        FloatVector acc0 = FloatVector.fromArray(FS, out, ob + ch);
                        FloatVector acc1 = FloatVector.fromArray(FS, out, ob + ch + lanes);
                        for (int q = q0; q < q1; q++) {
                            final int x = bx + idx[3 * q], y = by + idx[3 * q + 1], z = bz + idx[3 * q + 2];
                            final float v = val[q];
                            acc0 = acc0.add(FloatVector.fromArray(FS, w, y).mul(FloatVector.fromArray(FS, e, x)).mul(v)
                                    .mul(FloatVector.fromArray(FS, h, z)));
                            acc1 = acc1.add(FloatVector.fromArray(FS, w, y + lanes).mul(FloatVector.fromArray(FS, e, x + lanes)).mul(v)
                                    .mul(FloatVector.fromArray(FS, h, z + lanes)));
                        }
                        acc0.intoArray(out, ob + ch);
                        acc1.intoArray(out, ob + ch + lanes);
                    }
                    for (; ch + 1 * lanes <= cv; ch += 1 * lanes) {
                        final int bx = eb0 + ch, by = wb0 + ch, bz = hb0 + ch;
                        FloatVector acc0 = FloatVector.fromArray(FS, out, ob + ch);
                        for (int q = q0; q < q1; q++) {
                            final int x = bx + idx[3 * q], y = by + idx[3 * q + 1], z = bz + idx[3 * q + 2];
                            final float v = val[q];
                            acc0 = acc0.add(FloatVector.fromArray(FS, w, y).mul(FloatVector.fromArray(FS, e, x)).mul(v)
                                    .mul(FloatVector.fromArray(FS, h, z)));
                        }
                        acc0.intoArray(out, ob + ch);
                    }
                    for (; ch < c; ch++) {
                        final int eb = eb0 + ch, wb = wb0 + ch, hb = hb0 + ch;
                        float acc = out[ob + ch];
                        for (int q = q0; q < q1; q++) {
                            acc += val[q] * (w[wb + idx[3 * q + 1]] * e[eb + idx[3 * q]]) * h[hb + idx[3 * q + 2]];
                        }
                        out[ob + ch] = acc;
                    }
                }
            }
        }
    }

    /** gradE and gradW for the edges of receiver rows [lo, hi); a null output is skipped. */
    static void backwardEdges(TpPlan pl, CsrGraph g, float[] e, float[] h, float[] w, float[] val, float[] gradOut,
                              float[] gradE, float[] gradW, int lo, int hi) {
        // an output that is not wanted goes to a scratch row at offset 0
        final float[] scratchE = gradE != null ? null : new float[pl.edgeWidth()];
        final float[] scratchW = gradW != null ? null : new float[pl.weightWidth()];
        for (int a = lo; a < hi; a++) { // one call per row: compiled early by C2
            backwardEdgesRows(pl, g, e, h, w, val, gradOut, gradE, gradW, a, a + 1, scratchE, scratchW);
        }
    }

    private static void backwardEdgesRows(TpPlan pl, CsrGraph g, float[] e, float[] h, float[] w, float[] val, float[] gradOut,
                              float[] gradE, float[] gradW, int lo, int hi, float[] scratchE, float[] scratchW) {
        final int c = pl.channels(), ew = pl.edgeWidth(), hw = pl.nodeWidth(), ow = pl.outWidth();
        final int ww = pl.weightWidth(), np = pl.numPaths();
        final int[] rowPtr = g.rowPtr(), sender = g.sender(), eOff = pl.eOff(), hOff = pl.hOff(),
                oOff = pl.oOff(), cs = pl.cgStart(), i1 = pl.i1(), i2 = pl.i2(), i3 = pl.i3();
        final int lanes = FS.length(), cv = c - c % lanes;
        final float[] gE = gradE != null ? gradE : scratchE;
        final float[] gW = gradW != null ? gradW : scratchW;
        for (int a = lo; a < hi; a++) {
            final int gb = a * ow;
            for (int k = rowPtr[a]; k < rowPtr[a + 1]; k++) {
                final int hb = sender[k] * hw, wb = k * ww, ebIn = k * ew;
                final int eb = gradE != null ? ebIn : 0, wgb = gradW != null ? wb : 0;
                Arrays.fill(gE, eb, eb + ew, 0.0f);
                for (int p = 0; p < np; p++) {
                    final int eo = ebIn + eOff[p], geo = eb + eOff[p], ho = hb + hOff[p], go = gb + oOff[p],
                            wo = wb + p * c, gwo = wgb + p * c;
                    final int j0 = cs[p], j1 = cs[p + 1];
                    for (int ch = 0; ch < cv; ch += lanes) {
                        FloatVector wv = FloatVector.fromArray(FS, w, wo + ch);
                        FloatVector gw = FloatVector.zero(FS);
                        for (int j = j0; j < j1; j++) {
                            int x1 = i1[j] + ch;
                            FloatVector t = FloatVector.fromArray(FS, gradOut, go + i3[j] + ch).mul(val[j])
                                    .mul(FloatVector.fromArray(FS, h, ho + i2[j] + ch));
                            gw = gw.add(t.mul(FloatVector.fromArray(FS, e, eo + x1)));
                            FloatVector.fromArray(FS, gE, geo + x1).add(t.mul(wv)).intoArray(gE, geo + x1);
                        }
                        gw.intoArray(gW, gwo + ch);
                    }
                    for (int ch = cv; ch < c; ch++) {
                        float wc = w[wo + ch], gw = 0.0f;
                        for (int j = j0; j < j1; j++) {
                            int x1 = i1[j] + ch;
                            float t = val[j] * gradOut[go + i3[j] + ch] * h[ho + i2[j] + ch];
                            gw += t * e[eo + x1];
                            gE[geo + x1] += t * wc;
                        }
                        gW[gwo + ch] = gw;
                    }
                }
            }
        }
    }

    /**
     * gradH for sender rows [lo, hi), a gather over the transposed CSR (tRowPtr, tEdge, receiver):
     * gradH[b, r] = sum_{k sent by b} sum_{q in row r} (val_q * (w[k, y_q] * e[k, x_q])) * gradOut[receiver k, z_q].
     */
    static void backwardNodes(TpPlan pl, Gather gt, int[] tRowPtr, int[] tEdge, int[] receiver, float[] e, float[] w,
                              float[] gradOut, float[] gradH, int lo, int hi) {
        for (int a = lo; a < hi; a++) { // one call per row: compiled early by C2
            backwardNodesRows(pl, gt, tRowPtr, tEdge, receiver, e, w, gradOut, gradH, a, a + 1);
        }
    }

    private static void backwardNodesRows(TpPlan pl, Gather gt, int[] tRowPtr, int[] tEdge, int[] receiver, float[] e, float[] w,
                              float[] gradOut, float[] gradH, int lo, int hi) {
        final int c = pl.channels(), ew = pl.edgeWidth(), hw = pl.nodeWidth(), ow = pl.outWidth();
        final int ww = pl.weightWidth(), rows = gt.rows();
        final int[] start = gt.start(), idx = gt.idx();
        final float[] val = gt.valF();
        final int lanes = FS.length(), cv = c - c % lanes;
        for (int b = lo; b < hi; b++) {
            final int hb0 = b * hw;
            Arrays.fill(gradH, hb0, hb0 + hw, (float) 0);
            for (int t = tRowPtr[b]; t < tRowPtr[b + 1]; t++) {
                final int k = tEdge[t];
                final int eb0 = k * ew, wb0 = k * ww, gb0 = receiver[k] * ow;
                for (int r = 0; r < rows; r++) {
                    final int q0 = start[r], q1 = start[r + 1], hb = hb0 + r * c;
                    int ch = 0;
                    for (; ch + 4 * lanes <= cv; ch += 4 * lanes) {
                        final int bx = eb0 + ch, by = wb0 + ch, bz = gb0 + ch;
                        FloatVector acc0 = FloatVector.fromArray(FS, gradH, hb + ch);
                        FloatVector acc1 = FloatVector.fromArray(FS, gradH, hb + ch + lanes);
                        FloatVector acc2 = FloatVector.fromArray(FS, gradH, hb + ch + 2 * lanes);
                        FloatVector acc3 = FloatVector.fromArray(FS, gradH, hb + ch + 3 * lanes);
                        for (int q = q0; q < q1; q++) {
                            final int x = bx + idx[3 * q], y = by + idx[3 * q + 1], z = bz + idx[3 * q + 2];
                            final float v = val[q];
                            acc0 = acc0.add(FloatVector.fromArray(FS, w, y).mul(FloatVector.fromArray(FS, e, x)).mul(v)
                                    .mul(FloatVector.fromArray(FS, gradOut, z)));
                            acc1 = acc1.add(FloatVector.fromArray(FS, w, y + lanes).mul(FloatVector.fromArray(FS, e, x + lanes)).mul(v)
                                    .mul(FloatVector.fromArray(FS, gradOut, z + lanes)));
                            acc2 = acc2.add(FloatVector.fromArray(FS, w, y + 2 * lanes).mul(FloatVector.fromArray(FS, e, x + 2 * lanes)).mul(v)
                                    .mul(FloatVector.fromArray(FS, gradOut, z + 2 * lanes)));
                            acc3 = acc3.add(FloatVector.fromArray(FS, w, y + 3 * lanes).mul(FloatVector.fromArray(FS, e, x + 3 * lanes)).mul(v)
                                    .mul(FloatVector.fromArray(FS, gradOut, z + 3 * lanes)));
                        }
                        acc0.intoArray(gradH, hb + ch);
                        acc1.intoArray(gradH, hb + ch + lanes);
                        acc2.intoArray(gradH, hb + ch + 2 * lanes);
                        acc3.intoArray(gradH, hb + ch + 3 * lanes);
                    }
                    for (; ch + 2 * lanes <= cv; ch += 2 * lanes) {
                        final int bx = eb0 + ch, by = wb0 + ch, bz = gb0 + ch;
                        FloatVector acc0 = FloatVector.fromArray(FS, gradH, hb + ch);
                        FloatVector acc1 = FloatVector.fromArray(FS, gradH, hb + ch + lanes);
                        for (int q = q0; q < q1; q++) {
                            final int x = bx + idx[3 * q], y = by + idx[3 * q + 1], z = bz + idx[3 * q + 2];
                            final float v = val[q];
                            acc0 = acc0.add(FloatVector.fromArray(FS, w, y).mul(FloatVector.fromArray(FS, e, x)).mul(v)
                                    .mul(FloatVector.fromArray(FS, gradOut, z)));
                            acc1 = acc1.add(FloatVector.fromArray(FS, w, y + lanes).mul(FloatVector.fromArray(FS, e, x + lanes)).mul(v)
                                    .mul(FloatVector.fromArray(FS, gradOut, z + lanes)));
                        }
                        acc0.intoArray(gradH, hb + ch);
                        acc1.intoArray(gradH, hb + ch + lanes);
                    }
                    for (; ch + 1 * lanes <= cv; ch += 1 * lanes) {
                        final int bx = eb0 + ch, by = wb0 + ch, bz = gb0 + ch;
                        FloatVector acc0 = FloatVector.fromArray(FS, gradH, hb + ch);
                        for (int q = q0; q < q1; q++) {
                            final int x = bx + idx[3 * q], y = by + idx[3 * q + 1], z = bz + idx[3 * q + 2];
                            final float v = val[q];
                            acc0 = acc0.add(FloatVector.fromArray(FS, w, y).mul(FloatVector.fromArray(FS, e, x)).mul(v)
                                    .mul(FloatVector.fromArray(FS, gradOut, z)));
                        }
                        acc0.intoArray(gradH, hb + ch);
                    }
                    for (; ch < c; ch++) {
                        final int eb = eb0 + ch, wb = wb0 + ch, gb = gb0 + ch;
                        float acc = gradH[hb + ch];
                        for (int q = q0; q < q1; q++) {
                            acc += val[q] * (w[wb + idx[3 * q + 1]] * e[eb + idx[3 * q]]) * gradOut[gb + idx[3 * q + 2]];
                        }
                        gradH[hb + ch] = acc;
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ float64

    /**
     * Forward for receiver rows [lo, hi): out[a, r] = sum_{k in row a} sum_{q in row r}
     * (val_q * (w[k, y_q] * e[k, x_q])) * h[sender k, z_q], accumulated in the output row (in L1).
     */
    static void forward(TpPlan pl, Gather gt, int[] rowPtr, int[] sender, double[] e, double[] h, double[] w, double[] out,
                        int lo, int hi) {
        for (int a = lo; a < hi; a++) { // one call per row: compiled early by C2
            forwardRows(pl, gt, rowPtr, sender, e, h, w, out, a, a + 1);
        }
    }

    private static void forwardRows(TpPlan pl, Gather gt, int[] rowPtr, int[] sender, double[] e, double[] h, double[] w, double[] out,
                        int lo, int hi) {
        final int c = pl.channels(), ew = pl.edgeWidth(), hw = pl.nodeWidth(), ow = pl.outWidth();
        final int ww = pl.weightWidth(), rows = gt.rows();
        final int[] start = gt.start(), idx = gt.idx();
        final double[] val = gt.val();
        final int lanes = DS.length(), cv = c - c % lanes;
        for (int a = lo; a < hi; a++) {
            final int ob0 = a * ow;
            Arrays.fill(out, ob0, ob0 + ow, (double) 0);
            for (int k = rowPtr[a]; k < rowPtr[a + 1]; k++) {
                final int eb0 = k * ew, wb0 = k * ww, hb0 = sender[k] * hw;
                for (int r = 0; r < rows; r++) {
                    final int q0 = start[r], q1 = start[r + 1], ob = ob0 + r * c;
                    int ch = 0;
                    for (; ch + 4 * lanes <= cv; ch += 4 * lanes) {
                        final int bx = eb0 + ch, by = wb0 + ch, bz = hb0 + ch;
                        DoubleVector acc0 = DoubleVector.fromArray(DS, out, ob + ch);
                        DoubleVector acc1 = DoubleVector.fromArray(DS, out, ob + ch + lanes);
                        DoubleVector acc2 = DoubleVector.fromArray(DS, out, ob + ch + 2 * lanes);
                        DoubleVector acc3 = DoubleVector.fromArray(DS, out, ob + ch + 3 * lanes);
                        for (int q = q0; q < q1; q++) {
                            final int x = bx + idx[3 * q], y = by + idx[3 * q + 1], z = bz + idx[3 * q + 2];
                            final double v = val[q];
                            acc0 = acc0.add(DoubleVector.fromArray(DS, w, y).mul(DoubleVector.fromArray(DS, e, x)).mul(v)
                                    .mul(DoubleVector.fromArray(DS, h, z)));
                            acc1 = acc1.add(DoubleVector.fromArray(DS, w, y + lanes).mul(DoubleVector.fromArray(DS, e, x + lanes)).mul(v)
                                    .mul(DoubleVector.fromArray(DS, h, z + lanes)));
                            acc2 = acc2.add(DoubleVector.fromArray(DS, w, y + 2 * lanes).mul(DoubleVector.fromArray(DS, e, x + 2 * lanes)).mul(v)
                                    .mul(DoubleVector.fromArray(DS, h, z + 2 * lanes)));
                            acc3 = acc3.add(DoubleVector.fromArray(DS, w, y + 3 * lanes).mul(DoubleVector.fromArray(DS, e, x + 3 * lanes)).mul(v)
                                    .mul(DoubleVector.fromArray(DS, h, z + 3 * lanes)));
                        }
                        acc0.intoArray(out, ob + ch);
                        acc1.intoArray(out, ob + ch + lanes);
                        acc2.intoArray(out, ob + ch + 2 * lanes);
                        acc3.intoArray(out, ob + ch + 3 * lanes);
                    }
                    for (; ch + 2 * lanes <= cv; ch += 2 * lanes) {
                        final int bx = eb0 + ch, by = wb0 + ch, bz = hb0 + ch;
                        DoubleVector acc0 = DoubleVector.fromArray(DS, out, ob + ch);
                        DoubleVector acc1 = DoubleVector.fromArray(DS, out, ob + ch + lanes);
                        for (int q = q0; q < q1; q++) {
                            final int x = bx + idx[3 * q], y = by + idx[3 * q + 1], z = bz + idx[3 * q + 2];
                            final double v = val[q];
                            acc0 = acc0.add(DoubleVector.fromArray(DS, w, y).mul(DoubleVector.fromArray(DS, e, x)).mul(v)
                                    .mul(DoubleVector.fromArray(DS, h, z)));
                            acc1 = acc1.add(DoubleVector.fromArray(DS, w, y + lanes).mul(DoubleVector.fromArray(DS, e, x + lanes)).mul(v)
                                    .mul(DoubleVector.fromArray(DS, h, z + lanes)));
                        }
                        acc0.intoArray(out, ob + ch);
                        acc1.intoArray(out, ob + ch + lanes);
                    }
                    for (; ch + 1 * lanes <= cv; ch += 1 * lanes) {
                        final int bx = eb0 + ch, by = wb0 + ch, bz = hb0 + ch;
                        DoubleVector acc0 = DoubleVector.fromArray(DS, out, ob + ch);
                        for (int q = q0; q < q1; q++) {
                            final int x = bx + idx[3 * q], y = by + idx[3 * q + 1], z = bz + idx[3 * q + 2];
                            final double v = val[q];
                            acc0 = acc0.add(DoubleVector.fromArray(DS, w, y).mul(DoubleVector.fromArray(DS, e, x)).mul(v)
                                    .mul(DoubleVector.fromArray(DS, h, z)));
                        }
                        acc0.intoArray(out, ob + ch);
                    }
                    for (; ch < c; ch++) {
                        final int eb = eb0 + ch, wb = wb0 + ch, hb = hb0 + ch;
                        double acc = out[ob + ch];
                        for (int q = q0; q < q1; q++) {
                            acc += val[q] * (w[wb + idx[3 * q + 1]] * e[eb + idx[3 * q]]) * h[hb + idx[3 * q + 2]];
                        }
                        out[ob + ch] = acc;
                    }
                }
            }
        }
    }

    /** gradE and gradW for the edges of receiver rows [lo, hi); a null output is skipped. */
    static void backwardEdges(TpPlan pl, CsrGraph g, double[] e, double[] h, double[] w, double[] val, double[] gradOut,
                              double[] gradE, double[] gradW, int lo, int hi) {
        // an output that is not wanted goes to a scratch row at offset 0
        final double[] scratchE = gradE != null ? null : new double[pl.edgeWidth()];
        final double[] scratchW = gradW != null ? null : new double[pl.weightWidth()];
        for (int a = lo; a < hi; a++) { // one call per row: compiled early by C2
            backwardEdgesRows(pl, g, e, h, w, val, gradOut, gradE, gradW, a, a + 1, scratchE, scratchW);
        }
    }

    private static void backwardEdgesRows(TpPlan pl, CsrGraph g, double[] e, double[] h, double[] w, double[] val, double[] gradOut,
                              double[] gradE, double[] gradW, int lo, int hi, double[] scratchE, double[] scratchW) {
        final int c = pl.channels(), ew = pl.edgeWidth(), hw = pl.nodeWidth(), ow = pl.outWidth();
        final int ww = pl.weightWidth(), np = pl.numPaths();
        final int[] rowPtr = g.rowPtr(), sender = g.sender(), eOff = pl.eOff(), hOff = pl.hOff(),
                oOff = pl.oOff(), cs = pl.cgStart(), i1 = pl.i1(), i2 = pl.i2(), i3 = pl.i3();
        final int lanes = DS.length(), cv = c - c % lanes;
        final double[] gE = gradE != null ? gradE : scratchE;
        final double[] gW = gradW != null ? gradW : scratchW;
        for (int a = lo; a < hi; a++) {
            final int gb = a * ow;
            for (int k = rowPtr[a]; k < rowPtr[a + 1]; k++) {
                final int hb = sender[k] * hw, wb = k * ww, ebIn = k * ew;
                final int eb = gradE != null ? ebIn : 0, wgb = gradW != null ? wb : 0;
                Arrays.fill(gE, eb, eb + ew, 0.0);
                for (int p = 0; p < np; p++) {
                    final int eo = ebIn + eOff[p], geo = eb + eOff[p], ho = hb + hOff[p], go = gb + oOff[p],
                            wo = wb + p * c, gwo = wgb + p * c;
                    final int j0 = cs[p], j1 = cs[p + 1];
                    for (int ch = 0; ch < cv; ch += lanes) {
                        DoubleVector wv = DoubleVector.fromArray(DS, w, wo + ch);
                        DoubleVector gw = DoubleVector.zero(DS);
                        for (int j = j0; j < j1; j++) {
                            int x1 = i1[j] + ch;
                            DoubleVector t = DoubleVector.fromArray(DS, gradOut, go + i3[j] + ch).mul(val[j])
                                    .mul(DoubleVector.fromArray(DS, h, ho + i2[j] + ch));
                            gw = gw.add(t.mul(DoubleVector.fromArray(DS, e, eo + x1)));
                            DoubleVector.fromArray(DS, gE, geo + x1).add(t.mul(wv)).intoArray(gE, geo + x1);
                        }
                        gw.intoArray(gW, gwo + ch);
                    }
                    for (int ch = cv; ch < c; ch++) {
                        double wc = w[wo + ch], gw = 0.0;
                        for (int j = j0; j < j1; j++) {
                            int x1 = i1[j] + ch;
                            double t = val[j] * gradOut[go + i3[j] + ch] * h[ho + i2[j] + ch];
                            gw += t * e[eo + x1];
                            gE[geo + x1] += t * wc;
                        }
                        gW[gwo + ch] = gw;
                    }
                }
            }
        }
    }

    /**
     * gradH for sender rows [lo, hi), a gather over the transposed CSR (tRowPtr, tEdge, receiver):
     * gradH[b, r] = sum_{k sent by b} sum_{q in row r} (val_q * (w[k, y_q] * e[k, x_q])) * gradOut[receiver k, z_q].
     */
    static void backwardNodes(TpPlan pl, Gather gt, int[] tRowPtr, int[] tEdge, int[] receiver, double[] e, double[] w,
                              double[] gradOut, double[] gradH, int lo, int hi) {
        for (int a = lo; a < hi; a++) { // one call per row: compiled early by C2
            backwardNodesRows(pl, gt, tRowPtr, tEdge, receiver, e, w, gradOut, gradH, a, a + 1);
        }
    }

    private static void backwardNodesRows(TpPlan pl, Gather gt, int[] tRowPtr, int[] tEdge, int[] receiver, double[] e, double[] w,
                              double[] gradOut, double[] gradH, int lo, int hi) {
        final int c = pl.channels(), ew = pl.edgeWidth(), hw = pl.nodeWidth(), ow = pl.outWidth();
        final int ww = pl.weightWidth(), rows = gt.rows();
        final int[] start = gt.start(), idx = gt.idx();
        final double[] val = gt.val();
        final int lanes = DS.length(), cv = c - c % lanes;
        for (int b = lo; b < hi; b++) {
            final int hb0 = b * hw;
            Arrays.fill(gradH, hb0, hb0 + hw, (double) 0);
            for (int t = tRowPtr[b]; t < tRowPtr[b + 1]; t++) {
                final int k = tEdge[t];
                final int eb0 = k * ew, wb0 = k * ww, gb0 = receiver[k] * ow;
                for (int r = 0; r < rows; r++) {
                    final int q0 = start[r], q1 = start[r + 1], hb = hb0 + r * c;
                    int ch = 0;
                    for (; ch + 4 * lanes <= cv; ch += 4 * lanes) {
                        final int bx = eb0 + ch, by = wb0 + ch, bz = gb0 + ch;
                        DoubleVector acc0 = DoubleVector.fromArray(DS, gradH, hb + ch);
                        DoubleVector acc1 = DoubleVector.fromArray(DS, gradH, hb + ch + lanes);
                        DoubleVector acc2 = DoubleVector.fromArray(DS, gradH, hb + ch + 2 * lanes);
                        DoubleVector acc3 = DoubleVector.fromArray(DS, gradH, hb + ch + 3 * lanes);
                        for (int q = q0; q < q1; q++) {
                            final int x = bx + idx[3 * q], y = by + idx[3 * q + 1], z = bz + idx[3 * q + 2];
                            final double v = val[q];
                            acc0 = acc0.add(DoubleVector.fromArray(DS, w, y).mul(DoubleVector.fromArray(DS, e, x)).mul(v)
                                    .mul(DoubleVector.fromArray(DS, gradOut, z)));
                            acc1 = acc1.add(DoubleVector.fromArray(DS, w, y + lanes).mul(DoubleVector.fromArray(DS, e, x + lanes)).mul(v)
                                    .mul(DoubleVector.fromArray(DS, gradOut, z + lanes)));
                            acc2 = acc2.add(DoubleVector.fromArray(DS, w, y + 2 * lanes).mul(DoubleVector.fromArray(DS, e, x + 2 * lanes)).mul(v)
                                    .mul(DoubleVector.fromArray(DS, gradOut, z + 2 * lanes)));
                            acc3 = acc3.add(DoubleVector.fromArray(DS, w, y + 3 * lanes).mul(DoubleVector.fromArray(DS, e, x + 3 * lanes)).mul(v)
                                    .mul(DoubleVector.fromArray(DS, gradOut, z + 3 * lanes)));
                        }
                        acc0.intoArray(gradH, hb + ch);
                        acc1.intoArray(gradH, hb + ch + lanes);
                        acc2.intoArray(gradH, hb + ch + 2 * lanes);
                        acc3.intoArray(gradH, hb + ch + 3 * lanes);
                    }
                    for (; ch + 2 * lanes <= cv; ch += 2 * lanes) {
                        final int bx = eb0 + ch, by = wb0 + ch, bz = gb0 + ch;
                        DoubleVector acc0 = DoubleVector.fromArray(DS, gradH, hb + ch);
                        DoubleVector acc1 = DoubleVector.fromArray(DS, gradH, hb + ch + lanes);
                        for (int q = q0; q < q1; q++) {
                            final int x = bx + idx[3 * q], y = by + idx[3 * q + 1], z = bz + idx[3 * q + 2];
                            final double v = val[q];
                            acc0 = acc0.add(DoubleVector.fromArray(DS, w, y).mul(DoubleVector.fromArray(DS, e, x)).mul(v)
                                    .mul(DoubleVector.fromArray(DS, gradOut, z)));
                            acc1 = acc1.add(DoubleVector.fromArray(DS, w, y + lanes).mul(DoubleVector.fromArray(DS, e, x + lanes)).mul(v)
                                    .mul(DoubleVector.fromArray(DS, gradOut, z + lanes)));
                        }
                        acc0.intoArray(gradH, hb + ch);
                        acc1.intoArray(gradH, hb + ch + lanes);
                    }
                    for (; ch + 1 * lanes <= cv; ch += 1 * lanes) {
                        final int bx = eb0 + ch, by = wb0 + ch, bz = gb0 + ch;
                        DoubleVector acc0 = DoubleVector.fromArray(DS, gradH, hb + ch);
                        for (int q = q0; q < q1; q++) {
                            final int x = bx + idx[3 * q], y = by + idx[3 * q + 1], z = bz + idx[3 * q + 2];
                            final double v = val[q];
                            acc0 = acc0.add(DoubleVector.fromArray(DS, w, y).mul(DoubleVector.fromArray(DS, e, x)).mul(v)
                                    .mul(DoubleVector.fromArray(DS, gradOut, z)));
                        }
                        acc0.intoArray(gradH, hb + ch);
                    }
                    for (; ch < c; ch++) {
                        final int eb = eb0 + ch, wb = wb0 + ch, gb = gb0 + ch;
                        double acc = gradH[hb + ch];
                        for (int q = q0; q < q1; q++) {
                            acc += val[q] * (w[wb + idx[3 * q + 1]] * e[eb + idx[3 * q]]) * gradOut[gb + idx[3 * q + 2]];
                        }
                        gradH[hb + ch] = acc;
                    }
                }
            }
        }
    }
}
