package org.unite4j.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD bodies of {@link CpuDense#matmul} and of the per-irrep linear map, written with the
 * Vector API (loaded only when the module {@code jdk.incubator.vector} is present). A block of 4
 * output rows x 1 vector of columns is held in registers while k runs: per k, one row-slice of B
 * is loaded once and used for 4 rows (B is read m/4 times instead of m times, out is written
 * once). Per output element the operations are those of the scalar kernel: out = 0.0, then
 * out = fma(a_ik, b_kj, out) for k in increasing order, one rounding per step (the scalar kernels
 * call {@link Math#fma}), so the bits are the same. The fused multiply-add is 1.5x faster than a
 * multiply and an add on AVX-512, and correctly rounded by definition (IEEE 754 fusedMultiplyAdd),
 * so results do not depend on the machine either. (A CPU without FMA instructions, x86 before
 * 2013, would get the same bits from a much slower software fma.)
 */
final class DenseVector {
    static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

    private DenseVector() {
    }

    /** Size of B (k x n doubles) up to which it is left to the caches as a whole. */
    private static final long B_CACHED_BYTES = 256 << 10;
    /** Rows of B per chunk when B is larger (the gradient of a weight: k = rows of the batch). */
    static final int K_CHUNK = 64;

    /**
     * Rows i0 .. ie-1 of out[m x n] = op(A) B, with B already k x n (row-major) and op(A) = A or
     * A^T (A stored k x m). When B is larger than {@link #B_CACHED_BYTES} (a long k: the gradient
     * of a weight, k = rows of the batch), k is cut into chunks of {@link #K_CHUNK} rows of B, and
     * within a chunk each vector-wide column band of B (K_CHUNK x lanes doubles, 4 KB with
     * AVX-512) serves every 4-row block while it is in L1, instead of streaming all of B from
     * memory once per 4-row block; otherwise each 4-row block runs over all of k for every band
     * (A's rows are read once). The 4 x lanes accumulators are kept in out between chunks; per
     * element the sum is still 0.0, then fma(a_i0, b_0j, .), fma(a_i1, b_1j, .), ... in
     * increasing k, so the bits are those of the scalar kernel.
     */
    static void matmulRows(double[] a, double[] b, double[] out, int m, int k, int n, boolean transA, int i0, int ie) {
        int lanes = DS.length();
        int nv = n - n % lanes;
        int i4 = i0 + (ie - i0) / 4 * 4;
        if (k > K_CHUNK && (long) k * n * Double.BYTES > B_CACHED_BYTES) {
            for (int k0 = 0; k0 < k; k0 += K_CHUNK) { // chunk, band of B, every row block
                int k1 = Math.min(k, k0 + K_CHUNK);
                for (int j = 0; j < nv; j += lanes) {
                    for (int i = i0; i < i4; i += 4) block4(a, b, out, m, k, n, transA, i, j, k0, k1);
                    for (int i = i4; i < ie; i++) block1(a, b, out, m, k, n, transA, i, j, k0, k1);
                }
            }
        } else { // B stays in the caches: row block, every band of B (A's rows are read once)
            for (int i = i0; i < i4; i += 4)
                for (int j = 0; j < nv; j += lanes) block4(a, b, out, m, k, n, transA, i, j, 0, k);
            for (int i = i4; i < ie; i++)
                for (int j = 0; j < nv; j += lanes) block1(a, b, out, m, k, n, transA, i, j, 0, k);
        }
        for (int i = i0; i < ie; i++) {
            scalarTail(a, b, out, m, k, n, transA, i, nv);
        }
    }

    /**
     * out[i..i+3, j..j+lanes) = (k0 == 0 ? 0 : itself) + sum over kk in [k0, k1) of a_(i, kk) b_(kk, j..),
     * one fma per kk in increasing order, the 4 x 1 vector block in registers.
     */
    private static void block4(double[] a, double[] b, double[] out, int m, int k, int n, boolean transA, int i, int j,
                               int k0, int k1) {
        DoubleVector c0, c1, c2, c3;
        if (k0 == 0) {
            c0 = c1 = c2 = c3 = DoubleVector.zero(DS);
        } else {
            c0 = DoubleVector.fromArray(DS, out, i * n + j);
            c1 = DoubleVector.fromArray(DS, out, (i + 1) * n + j);
            c2 = DoubleVector.fromArray(DS, out, (i + 2) * n + j);
            c3 = DoubleVector.fromArray(DS, out, (i + 3) * n + j);
        }
        for (int kk = k0; kk < k1; kk++) {
            DoubleVector bv = DoubleVector.fromArray(DS, b, kk * n + j);
            double a0, a1, a2, a3;
            if (transA) {
                int ab = kk * m + i;
                a0 = a[ab]; a1 = a[ab + 1]; a2 = a[ab + 2]; a3 = a[ab + 3];
            } else {
                a0 = a[i * k + kk]; a1 = a[(i + 1) * k + kk]; a2 = a[(i + 2) * k + kk]; a3 = a[(i + 3) * k + kk];
            }
            c0 = bv.fma(DoubleVector.broadcast(DS, a0), c0);
            c1 = bv.fma(DoubleVector.broadcast(DS, a1), c1);
            c2 = bv.fma(DoubleVector.broadcast(DS, a2), c2);
            c3 = bv.fma(DoubleVector.broadcast(DS, a3), c3);
        }
        c0.intoArray(out, i * n + j);
        c1.intoArray(out, (i + 1) * n + j);
        c2.intoArray(out, (i + 2) * n + j);
        c3.intoArray(out, (i + 3) * n + j);
    }

    /** {@link #block4} for one row. */
    private static void block1(double[] a, double[] b, double[] out, int m, int k, int n, boolean transA, int i, int j,
                               int k0, int k1) {
        DoubleVector c0 = k0 == 0 ? DoubleVector.zero(DS) : DoubleVector.fromArray(DS, out, i * n + j);
        for (int kk = k0; kk < k1; kk++) {
            double a0 = transA ? a[kk * m + i] : a[i * k + kk];
            c0 = DoubleVector.fromArray(DS, b, kk * n + j).fma(DoubleVector.broadcast(DS, a0), c0);
        }
        c0.intoArray(out, i * n + j);
    }

    /** Columns j0 .. n-1 of row i, scalar. */
    private static void scalarTail(double[] a, double[] b, double[] out, int m, int k, int n, boolean transA, int i, int j0) {
        for (int j = j0; j < n; j++) {
            double s = 0.0;
            for (int kk = 0; kk < k; kk++) {
                s = Math.fma(transA ? a[kk * m + i] : a[i * k + kk], b[kk * n + j], s);
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
                    c0 = wv.fma(DoubleVector.broadcast(DS, x[x0 + ci]), c0);
                    c1 = wv.fma(DoubleVector.broadcast(DS, x[x1 + ci]), c1);
                    c2 = wv.fma(DoubleVector.broadcast(DS, x[x2 + ci]), c2);
                    c3 = wv.fma(DoubleVector.broadcast(DS, x[x3 + ci]), c3);
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
                    c0 = DoubleVector.fromArray(DS, wT, wo + ci * mo + j).fma(DoubleVector.broadcast(DS, x[xRow[q] + ci]), c0);
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
                s = Math.fma(wT[wo + ci * mo + co], x[xr + ci], s);
            }
            out[or + co] += s;
        }
    }

    /** Rows per chunk of the weight gradient: its x and g rows stay in L1 while every co x ci block uses them. */
    static final int Q_CHUNK = 64;

    /**
     * Weight gradient of one instruction for output channels co0 .. co1-1:
     * gradW[wo + co mi + ci] = sum_q g[gRow[q] + co] x[xRow[q] + ci], summed from 0.0 over the rows
     * q = 0 .. nq-1 in increasing order with fused multiply-adds (as the scalar kernel), 4 co x 1
     * vector of ci in registers. The rows run in chunks of {@link #Q_CHUNK}: each chunk's x and g
     * rows serve every (co, ci) block while they are in L1, the partial sums wait in gradW between
     * chunks (the order of every sum is unchanged).
     */
    static void linearGradW(double[] g, int[] gRow, double[] x, int[] xRow, int nq, int mi, double[] gradW, int wo,
                            int co0, int co1) {
        int lanes = DS.length();
        int nv = mi - mi % lanes;
        int co4 = co0 + (co1 - co0) / 4 * 4;
        for (int q0 = 0; q0 < nq; q0 += Q_CHUNK) {
            int q1 = Math.min(nq, q0 + Q_CHUNK);
            boolean first = q0 == 0;
            for (int co = co0; co < co4; co += 4) {
                for (int j = 0; j < nv; j += lanes) {
                    int w0 = wo + co * mi + j;
                    DoubleVector c0, c1, c2, c3;
                    if (first) {
                        c0 = c1 = c2 = c3 = DoubleVector.zero(DS);
                    } else {
                        c0 = DoubleVector.fromArray(DS, gradW, w0);
                        c1 = DoubleVector.fromArray(DS, gradW, w0 + mi);
                        c2 = DoubleVector.fromArray(DS, gradW, w0 + 2 * mi);
                        c3 = DoubleVector.fromArray(DS, gradW, w0 + 3 * mi);
                    }
                    for (int q = q0; q < q1; q++) {
                        DoubleVector xv = DoubleVector.fromArray(DS, x, xRow[q] + j);
                        int gr = gRow[q] + co;
                        c0 = xv.fma(DoubleVector.broadcast(DS, g[gr]), c0);
                        c1 = xv.fma(DoubleVector.broadcast(DS, g[gr + 1]), c1);
                        c2 = xv.fma(DoubleVector.broadcast(DS, g[gr + 2]), c2);
                        c3 = xv.fma(DoubleVector.broadcast(DS, g[gr + 3]), c3);
                    }
                    c0.intoArray(gradW, w0);
                    c1.intoArray(gradW, w0 + mi);
                    c2.intoArray(gradW, w0 + 2 * mi);
                    c3.intoArray(gradW, w0 + 3 * mi);
                }
            }
            for (int co = co4; co < co1; co++) {
                for (int j = 0; j < nv; j += lanes) {
                    int w0 = wo + co * mi + j;
                    DoubleVector c0 = first ? DoubleVector.zero(DS) : DoubleVector.fromArray(DS, gradW, w0);
                    for (int q = q0; q < q1; q++) {
                        c0 = DoubleVector.fromArray(DS, x, xRow[q] + j).fma(DoubleVector.broadcast(DS, g[gRow[q] + co]), c0);
                    }
                    c0.intoArray(gradW, w0);
                }
            }
            for (int co = co0; co < co1; co++) {
                for (int ci = nv; ci < mi; ci++) {
                    double s = first ? 0.0 : gradW[wo + co * mi + ci];
                    for (int q = q0; q < q1; q++) {
                        s = Math.fma(g[gRow[q] + co], x[xRow[q] + ci], s);
                    }
                    gradW[wo + co * mi + ci] = s;
                }
            }
        }
    }
}
