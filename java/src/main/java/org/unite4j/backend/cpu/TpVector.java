package org.unite4j.backend.cpu;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.unite4j.backend.CsrGraph;
import org.unite4j.backend.TpPlan;

/**
 * SIMD bodies of the fused CG tensor product kernels of {@link CpuKernels}, written with the
 * Vector API ({@code jdk.incubator.vector}; loaded only when that module is present). The C
 * channels of every (edge, path, CG entry) are processed in vectors of the preferred width
 * (lanes over channels, the innermost and contiguous axis of the "ir_mul" layout); the channels
 * left over (C mod lanes) run the same arithmetic in scalar code. Per output element the
 * operations and their order are exactly those of the scalar reference kernels (edges in CSR
 * order, paths in p order, CG entries in table order; no fused multiply-add), so results are
 * bitwise identical to them, run to run and for any thread count:
 * out[a, oOff+i3+c] += (value * (w[k,p,c] * e[k, eOff+i1+c])) * h[sender k, hOff+i2+c].
 */
final class TpVector {
    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

    private TpVector() {
    }

    // ------------------------------------------------------------------ float32

    /** Forward for receiver rows [lo, hi): see {@link CpuKernels#tpForward(TpPlan, CsrGraph, float[], float[], float[], float[])}. */
    static void forward(TpPlan pl, CsrGraph g, float[] e, float[] h, float[] w, float[] val, float[] out,
                        int lo, int hi) {
        final int c = pl.channels(), ew = pl.edgeWidth(), hw = pl.nodeWidth(), ow = pl.outWidth();
        final int ww = pl.weightWidth(), np = pl.numPaths();
        final int[] rowPtr = g.rowPtr(), sender = g.sender(), eOff = pl.eOff(), hOff = pl.hOff(),
                oOff = pl.oOff(), cs = pl.cgStart(), i1 = pl.i1(), i2 = pl.i2(), i3 = pl.i3();
        final int lanes = FS.length(), cv = c - c % lanes;
        for (int a = lo; a < hi; a++) {
            final int ob = a * ow;
            Arrays.fill(out, ob, ob + ow, 0.0f);
            for (int k = rowPtr[a]; k < rowPtr[a + 1]; k++) {
                final int eb = k * ew, hb = sender[k] * hw, wb = k * ww;
                for (int p = 0; p < np; p++) {
                    final int eo = eb + eOff[p], ho = hb + hOff[p], oo = ob + oOff[p], wo = wb + p * c;
                    final int j0 = cs[p], j1 = cs[p + 1];
                    for (int ch = 0; ch < cv; ch += lanes) {
                        FloatVector wv = FloatVector.fromArray(FS, w, wo + ch);
                        for (int j = j0; j < j1; j++) {
                            int x3 = oo + i3[j] + ch;
                            FloatVector we = wv.mul(FloatVector.fromArray(FS, e, eo + i1[j] + ch));
                            FloatVector t = we.mul(val[j]).mul(FloatVector.fromArray(FS, h, ho + i2[j] + ch));
                            FloatVector.fromArray(FS, out, x3).add(t).intoArray(out, x3);
                        }
                    }
                    for (int ch = cv; ch < c; ch++) {
                        float wc = w[wo + ch];
                        for (int j = j0; j < j1; j++) {
                            out[oo + i3[j] + ch] += val[j] * (wc * e[eo + i1[j] + ch]) * h[ho + i2[j] + ch];
                        }
                    }
                }
            }
        }
    }

    /** gradE and gradW for the edges of receiver rows [lo, hi); a null output is skipped. */
    static void backwardEdges(TpPlan pl, CsrGraph g, float[] e, float[] h, float[] w, float[] val, float[] gradOut,
                              float[] gradE, float[] gradW, int lo, int hi) {
        final int c = pl.channels(), ew = pl.edgeWidth(), hw = pl.nodeWidth(), ow = pl.outWidth();
        final int ww = pl.weightWidth(), np = pl.numPaths();
        final int[] rowPtr = g.rowPtr(), sender = g.sender(), eOff = pl.eOff(), hOff = pl.hOff(),
                oOff = pl.oOff(), cs = pl.cgStart(), i1 = pl.i1(), i2 = pl.i2(), i3 = pl.i3();
        final int lanes = FS.length(), cv = c - c % lanes;
        // an output that is not wanted goes to a per-call scratch row at offset 0
        final float[] gE = gradE != null ? gradE : new float[ew];
        final float[] gW = gradW != null ? gradW : new float[ww];
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

    /** gradH for sender rows [lo, hi): a gather over the transposed CSR (tRowPtr, tEdge, receiver). */
    static void backwardNodes(TpPlan pl, int[] tRowPtr, int[] tEdge, int[] receiver, float[] e, float[] w,
                              float[] val, float[] gradOut, float[] gradH, int lo, int hi) {
        final int c = pl.channels(), ew = pl.edgeWidth(), hw = pl.nodeWidth(), ow = pl.outWidth();
        final int ww = pl.weightWidth(), np = pl.numPaths();
        final int[] eOff = pl.eOff(), hOff = pl.hOff(), oOff = pl.oOff(), cs = pl.cgStart(), i1 = pl.i1(),
                i2 = pl.i2(), i3 = pl.i3();
        final int lanes = FS.length(), cv = c - c % lanes;
        for (int b = lo; b < hi; b++) {
            final int hb = b * hw;
            Arrays.fill(gradH, hb, hb + hw, 0.0f);
            for (int t = tRowPtr[b]; t < tRowPtr[b + 1]; t++) {
                final int k = tEdge[t];
                final int eb = k * ew, gb = receiver[k] * ow, wb = k * ww;
                for (int p = 0; p < np; p++) {
                    final int eo = eb + eOff[p], ho = hb + hOff[p], go = gb + oOff[p], wo = wb + p * c;
                    final int j0 = cs[p], j1 = cs[p + 1];
                    for (int ch = 0; ch < cv; ch += lanes) {
                        FloatVector wv = FloatVector.fromArray(FS, w, wo + ch);
                        for (int j = j0; j < j1; j++) {
                            int x2 = ho + i2[j] + ch;
                            FloatVector we = wv.mul(FloatVector.fromArray(FS, e, eo + i1[j] + ch));
                            FloatVector u = we.mul(val[j]).mul(FloatVector.fromArray(FS, gradOut, go + i3[j] + ch));
                            FloatVector.fromArray(FS, gradH, x2).add(u).intoArray(gradH, x2);
                        }
                    }
                    for (int ch = cv; ch < c; ch++) {
                        float wc = w[wo + ch];
                        for (int j = j0; j < j1; j++) {
                            gradH[ho + i2[j] + ch] += val[j] * (wc * e[eo + i1[j] + ch]) * gradOut[go + i3[j] + ch];
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ float64

    /** Forward for receiver rows [lo, hi): see {@link CpuKernels#tpForward(TpPlan, CsrGraph, double[], double[], double[], double[])}. */
    static void forward(TpPlan pl, CsrGraph g, double[] e, double[] h, double[] w, double[] val, double[] out,
                        int lo, int hi) {
        final int c = pl.channels(), ew = pl.edgeWidth(), hw = pl.nodeWidth(), ow = pl.outWidth();
        final int ww = pl.weightWidth(), np = pl.numPaths();
        final int[] rowPtr = g.rowPtr(), sender = g.sender(), eOff = pl.eOff(), hOff = pl.hOff(),
                oOff = pl.oOff(), cs = pl.cgStart(), i1 = pl.i1(), i2 = pl.i2(), i3 = pl.i3();
        final int lanes = DS.length(), cv = c - c % lanes;
        for (int a = lo; a < hi; a++) {
            final int ob = a * ow;
            Arrays.fill(out, ob, ob + ow, 0.0);
            for (int k = rowPtr[a]; k < rowPtr[a + 1]; k++) {
                final int eb = k * ew, hb = sender[k] * hw, wb = k * ww;
                for (int p = 0; p < np; p++) {
                    final int eo = eb + eOff[p], ho = hb + hOff[p], oo = ob + oOff[p], wo = wb + p * c;
                    final int j0 = cs[p], j1 = cs[p + 1];
                    for (int ch = 0; ch < cv; ch += lanes) {
                        DoubleVector wv = DoubleVector.fromArray(DS, w, wo + ch);
                        for (int j = j0; j < j1; j++) {
                            int x3 = oo + i3[j] + ch;
                            DoubleVector we = wv.mul(DoubleVector.fromArray(DS, e, eo + i1[j] + ch));
                            DoubleVector t = we.mul(val[j]).mul(DoubleVector.fromArray(DS, h, ho + i2[j] + ch));
                            DoubleVector.fromArray(DS, out, x3).add(t).intoArray(out, x3);
                        }
                    }
                    for (int ch = cv; ch < c; ch++) {
                        double wc = w[wo + ch];
                        for (int j = j0; j < j1; j++) {
                            out[oo + i3[j] + ch] += val[j] * (wc * e[eo + i1[j] + ch]) * h[ho + i2[j] + ch];
                        }
                    }
                }
            }
        }
    }

    /** gradE and gradW for the edges of receiver rows [lo, hi); a null output is skipped. */
    static void backwardEdges(TpPlan pl, CsrGraph g, double[] e, double[] h, double[] w, double[] val, double[] gradOut,
                              double[] gradE, double[] gradW, int lo, int hi) {
        final int c = pl.channels(), ew = pl.edgeWidth(), hw = pl.nodeWidth(), ow = pl.outWidth();
        final int ww = pl.weightWidth(), np = pl.numPaths();
        final int[] rowPtr = g.rowPtr(), sender = g.sender(), eOff = pl.eOff(), hOff = pl.hOff(),
                oOff = pl.oOff(), cs = pl.cgStart(), i1 = pl.i1(), i2 = pl.i2(), i3 = pl.i3();
        final int lanes = DS.length(), cv = c - c % lanes;
        // an output that is not wanted goes to a per-call scratch row at offset 0
        final double[] gE = gradE != null ? gradE : new double[ew];
        final double[] gW = gradW != null ? gradW : new double[ww];
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

    /** gradH for sender rows [lo, hi): a gather over the transposed CSR (tRowPtr, tEdge, receiver). */
    static void backwardNodes(TpPlan pl, int[] tRowPtr, int[] tEdge, int[] receiver, double[] e, double[] w,
                              double[] val, double[] gradOut, double[] gradH, int lo, int hi) {
        final int c = pl.channels(), ew = pl.edgeWidth(), hw = pl.nodeWidth(), ow = pl.outWidth();
        final int ww = pl.weightWidth(), np = pl.numPaths();
        final int[] eOff = pl.eOff(), hOff = pl.hOff(), oOff = pl.oOff(), cs = pl.cgStart(), i1 = pl.i1(),
                i2 = pl.i2(), i3 = pl.i3();
        final int lanes = DS.length(), cv = c - c % lanes;
        for (int b = lo; b < hi; b++) {
            final int hb = b * hw;
            Arrays.fill(gradH, hb, hb + hw, 0.0);
            for (int t = tRowPtr[b]; t < tRowPtr[b + 1]; t++) {
                final int k = tEdge[t];
                final int eb = k * ew, gb = receiver[k] * ow, wb = k * ww;
                for (int p = 0; p < np; p++) {
                    final int eo = eb + eOff[p], ho = hb + hOff[p], go = gb + oOff[p], wo = wb + p * c;
                    final int j0 = cs[p], j1 = cs[p + 1];
                    for (int ch = 0; ch < cv; ch += lanes) {
                        DoubleVector wv = DoubleVector.fromArray(DS, w, wo + ch);
                        for (int j = j0; j < j1; j++) {
                            int x2 = ho + i2[j] + ch;
                            DoubleVector we = wv.mul(DoubleVector.fromArray(DS, e, eo + i1[j] + ch));
                            DoubleVector u = we.mul(val[j]).mul(DoubleVector.fromArray(DS, gradOut, go + i3[j] + ch));
                            DoubleVector.fromArray(DS, gradH, x2).add(u).intoArray(gradH, x2);
                        }
                    }
                    for (int ch = cv; ch < c; ch++) {
                        double wc = w[wo + ch];
                        for (int j = j0; j < j1; j++) {
                            gradH[ho + i2[j] + ch] += val[j] * (wc * e[eo + i1[j] + ch]) * gradOut[go + i3[j] + ch];
                        }
                    }
                }
            }
        }
    }
}
