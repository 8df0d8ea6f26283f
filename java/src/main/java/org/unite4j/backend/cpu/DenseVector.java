package org.unite4j.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD body of {@link CpuKernels#matmul}, written with the Vector API (loaded only when the module
 * {@code jdk.incubator.vector} is present). A block of 4 output rows x 1 vector of columns is held
 * in registers while k runs: per k, one row-slice of B is loaded once and used for 4 rows
 * (B is read m/4 times instead of m times, out is written once). Per output element the
 * operations are those of the scalar kernel: out = 0.0, then out = out + a_ik * b_kj for k in
 * increasing order (multiply, then add: no fused multiply-add), so the bits are the same.
 */
final class DenseVector {
    static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

    private DenseVector() {
    }

    /**
     * Rows i0 .. ie-1 of out[m x n] = op(A) B, with B already k x n (row-major) and op(A) = A or
     * A^T (A stored k x m).
     */
    static void matmulRows(double[] a, double[] b, double[] out, int m, int k, int n, boolean transA, int i0, int ie) {
        int lanes = DS.length();
        int nv = n - n % lanes;
        int i = i0;
        for (; i + 4 <= ie; i += 4) {
            for (int j = 0; j < nv; j += lanes) {
                DoubleVector c0 = DoubleVector.zero(DS), c1 = c0, c2 = c0, c3 = c0;
                for (int kk = 0; kk < k; kk++) {
                    DoubleVector bv = DoubleVector.fromArray(DS, b, kk * n + j);
                    double a0, a1, a2, a3;
                    if (transA) {
                        int ab = kk * m + i;
                        a0 = a[ab]; a1 = a[ab + 1]; a2 = a[ab + 2]; a3 = a[ab + 3];
                    } else {
                        a0 = a[i * k + kk]; a1 = a[(i + 1) * k + kk]; a2 = a[(i + 2) * k + kk]; a3 = a[(i + 3) * k + kk];
                    }
                    c0 = c0.add(bv.mul(a0));
                    c1 = c1.add(bv.mul(a1));
                    c2 = c2.add(bv.mul(a2));
                    c3 = c3.add(bv.mul(a3));
                }
                c0.intoArray(out, i * n + j);
                c1.intoArray(out, (i + 1) * n + j);
                c2.intoArray(out, (i + 2) * n + j);
                c3.intoArray(out, (i + 3) * n + j);
            }
            for (int r = i; r < i + 4; r++) {
                scalarTail(a, b, out, m, k, n, transA, r, nv);
            }
        }
        for (; i < ie; i++) {
            for (int j = 0; j < nv; j += lanes) {
                DoubleVector c0 = DoubleVector.zero(DS);
                for (int kk = 0; kk < k; kk++) {
                    double a0 = transA ? a[kk * m + i] : a[i * k + kk];
                    c0 = c0.add(DoubleVector.fromArray(DS, b, kk * n + j).mul(a0));
                }
                c0.intoArray(out, i * n + j);
            }
            scalarTail(a, b, out, m, k, n, transA, i, nv);
        }
    }

    /** Columns j0 .. n-1 of row i, scalar. */
    private static void scalarTail(double[] a, double[] b, double[] out, int m, int k, int n, boolean transA, int i, int j0) {
        for (int j = j0; j < n; j++) {
            double s = 0.0;
            for (int kk = 0; kk < k; kk++) {
                s += (transA ? a[kk * m + i] : a[i * k + kk]) * b[kk * n + j];
            }
            out[i * n + j] = s;
        }
    }
    /**
     * One instruction of the per-irrep linear map over rows q0 .. q1-1 (a row = one (r, m) pair;
     * xRow/oRow give where its mi input and mo output channels start):
     * out[oRow[q] + co] += sum_ci wT[wo + ci mo + co] x[xRow[q] + ci], the sum from 0.0 over ci in
     * increasing order (as the scalar kernel), 4 rows x 1 vector of co in registers.
     */
    static void linearRows(double[] x, int[] xRow, double[] wT, int wo, int mi, int mo, double[] out, int[] oRow,
                           int q0, int q1) {
        int lanes = DS.length();
        int nv = mo - mo % lanes;
        int q = q0;
        for (; q + 4 <= q1; q += 4) {
            int x0 = xRow[q], x1 = xRow[q + 1], x2 = xRow[q + 2], x3 = xRow[q + 3];
            for (int j = 0; j < nv; j += lanes) {
                DoubleVector c0 = DoubleVector.zero(DS), c1 = c0, c2 = c0, c3 = c0;
                for (int ci = 0; ci < mi; ci++) {
                    DoubleVector wv = DoubleVector.fromArray(DS, wT, wo + ci * mo + j);
                    c0 = c0.add(wv.mul(x[x0 + ci]));
                    c1 = c1.add(wv.mul(x[x1 + ci]));
                    c2 = c2.add(wv.mul(x[x2 + ci]));
                    c3 = c3.add(wv.mul(x[x3 + ci]));
                }
                addInto(out, oRow[q] + j, c0);
                addInto(out, oRow[q + 1] + j, c1);
                addInto(out, oRow[q + 2] + j, c2);
                addInto(out, oRow[q + 3] + j, c3);
            }
            for (int r = q; r < q + 4; r++) {
                linearTail(x, xRow[r], wT, wo, mi, mo, out, oRow[r], nv);
            }
        }
        for (; q < q1; q++) {
            for (int j = 0; j < nv; j += lanes) {
                DoubleVector c0 = DoubleVector.zero(DS);
                for (int ci = 0; ci < mi; ci++) {
                    c0 = c0.add(DoubleVector.fromArray(DS, wT, wo + ci * mo + j).mul(x[xRow[q] + ci]));
                }
                addInto(out, oRow[q] + j, c0);
            }
            linearTail(x, xRow[q], wT, wo, mi, mo, out, oRow[q], nv);
        }
    }

    private static void addInto(double[] out, int at, DoubleVector v) {
        DoubleVector.fromArray(DS, out, at).add(v).intoArray(out, at);
    }

    private static void linearTail(double[] x, int xr, double[] wT, int wo, int mi, int mo, double[] out, int or, int co0) {
        for (int co = co0; co < mo; co++) {
            double s = 0.0;
            for (int ci = 0; ci < mi; ci++) {
                s += wT[wo + ci * mo + co] * x[xr + ci];
            }
            out[or + co] += s;
        }
    }

    /**
     * Weight gradient of one instruction for output channels co0 .. co1-1:
     * gradW[wo + co mi + ci] = sum_q g[gRow[q] + co] x[xRow[q] + ci], summed from 0.0 over the rows
     * q = 0 .. nq-1 in increasing order (as the scalar kernel), 4 co x 1 vector of ci in registers.
     */
    static void linearGradW(double[] g, int[] gRow, double[] x, int[] xRow, int nq, int mi, double[] gradW, int wo,
                            int co0, int co1) {
        int lanes = DS.length();
        int nv = mi - mi % lanes;
        int co = co0;
        for (; co + 4 <= co1; co += 4) {
            for (int j = 0; j < nv; j += lanes) {
                DoubleVector c0 = DoubleVector.zero(DS), c1 = c0, c2 = c0, c3 = c0;
                for (int q = 0; q < nq; q++) {
                    DoubleVector xv = DoubleVector.fromArray(DS, x, xRow[q] + j);
                    int gr = gRow[q] + co;
                    c0 = c0.add(xv.mul(g[gr]));
                    c1 = c1.add(xv.mul(g[gr + 1]));
                    c2 = c2.add(xv.mul(g[gr + 2]));
                    c3 = c3.add(xv.mul(g[gr + 3]));
                }
                c0.intoArray(gradW, wo + co * mi + j);
                c1.intoArray(gradW, wo + (co + 1) * mi + j);
                c2.intoArray(gradW, wo + (co + 2) * mi + j);
                c3.intoArray(gradW, wo + (co + 3) * mi + j);
            }
            for (int c = co; c < co + 4; c++) {
                gradWTail(g, gRow, x, xRow, nq, mi, gradW, wo, c, nv);
            }
        }
        for (; co < co1; co++) {
            for (int j = 0; j < nv; j += lanes) {
                DoubleVector c0 = DoubleVector.zero(DS);
                for (int q = 0; q < nq; q++) {
                    c0 = c0.add(DoubleVector.fromArray(DS, x, xRow[q] + j).mul(g[gRow[q] + co]));
                }
                c0.intoArray(gradW, wo + co * mi + j);
            }
            gradWTail(g, gRow, x, xRow, nq, mi, gradW, wo, co, nv);
        }
    }

    private static void gradWTail(double[] g, int[] gRow, double[] x, int[] xRow, int nq, int mi, double[] gradW, int wo,
                                  int co, int ci0) {
        for (int ci = ci0; ci < mi; ci++) {
            double s = 0.0;
            for (int q = 0; q < nq; q++) {
                s += g[gRow[q] + co] * x[xRow[q] + ci];
            }
            gradW[wo + co * mi + ci] = s;
        }
    }
}
