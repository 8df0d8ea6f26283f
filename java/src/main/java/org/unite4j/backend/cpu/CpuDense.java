package org.unite4j.backend.cpu;

import static org.unite4j.backend.cpu.CpuKernels.GRAIN;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.unite4j.backend.BlockLayout;
import org.unite4j.backend.LinearPlan;

/**
 * Dense layers on the CPU: the matrix product and the per-irrep linear map with its gradients,
 * float64, register-blocked SIMD kernels in {@link DenseVector} when the vector module is present
 * (same bits as the scalar loops here, which use {@code Math.fma}); see {@link CpuKernels} for the
 * determinism contract.
 */
public final class CpuDense {
    private CpuDense() {
    }

    /**
     * out[m x n] = op(A) op(B), summing over k in increasing order for each output element (from
     * 0.0, s = fma(a_ik, b_kj, s) one product at a time, so every layout below gives the same bits). op(B) = B^T is first
     * copied to k x n, so that the inner loop always runs over contiguous rows of B and out (which
     * the JIT vectorizes); rows of out are done in tiles of {@value #MM_TILE}, so that each row of
     * B is read once per tile and not once per output row. With the SIMD kernels on, {@link DenseVector}
     * does the same sums with 4 rows x 1 vector of columns in registers (the same bits).
     * B^T goes to a per-thread scratch array that stays in the caches (a fresh array lands in
     * memory the allocator has not touched lately and costs as much to zero as to fill).
     */
    public static void matmul(double[] a, double[] b, double[] out, int m, int k, int n, boolean transA,
                              boolean transB) {
        final double[] bk;
        if (transB) {
            bk = grow(MM_SCRATCH, k * n);
            transpose(b, 0, n, k, bk, 0);
        } else {
            bk = b;
        }
        matmulKn(a, bk, out, m, k, n, transA);
    }

    /** Per-thread scratch of {@link #matmul} (B^T) and of {@link #transposedWeights}. */
    private static final ThreadLocal<double[]> MM_SCRATCH = ThreadLocal.withInitial(() -> new double[0]),
            LINEAR_SCRATCH = ThreadLocal.withInitial(() -> new double[0]);

    /**
     * The calling thread's scratch array of at least len elements (contents undefined): valid
     * until the next call on this thread, which no kernel makes while it still needs the last.
     */
    private static double[] grow(ThreadLocal<double[]> scratch, int len) {
        double[] a = scratch.get();
        if (a.length < len) scratch.set(a = new double[len]);
        return a;
    }

    /** out[m x n] = op(A) B with B stored k x n: the kernel of {@link #matmul}. */
    private static void matmulKn(double[] a, double[] bk, double[] out, int m, int k, int n, boolean transA) {
        int rowsPerTask = Math.max(MM_TILE, GRAIN / Math.max(1, k * n));
        int tasks = (m + rowsPerTask - 1) / rowsPerTask;
        // a thread gets at least 4 GRAIN multiply-adds (below that, handing work over costs more)
        int taskGrain = (int) Math.max(1, 4L * GRAIN / Math.max(1L, (long) rowsPerTask * k * n));
        Parallel.forRange(tasks, taskGrain, (lo, hi) -> {
            if (CpuKernels.vectorKernels()) { // all of this thread's rows in one call: a chunk of B serves every one of them
                DenseVector.matmulRows(a, bk, out, m, k, n, transA, lo * rowsPerTask, Math.min(m, hi * rowsPerTask));
                return;
            }
            for (int t = lo; t < hi; t++) {
                int i1 = Math.min(m, (t + 1) * rowsPerTask);
                for (int i0 = t * rowsPerTask; i0 < i1; i0 += MM_TILE) {
                    int ie = Math.min(i1, i0 + MM_TILE);
                    Arrays.fill(out, i0 * n, ie * n, 0.0);
                    for (int kk = 0; kk < k; kk++) {
                        int bb = kk * n;
                        for (int i = i0; i < ie; i++) {
                            double av = transA ? a[kk * m + i] : a[i * k + kk];
                            int ob = i * n;
                            for (int j = 0; j < n; j++) {
                                out[ob + j] = Math.fma(av, bk[bb + j], out[ob + j]);
                            }
                        }
                    }
                }
            }
        });
    }

    private static final int MM_TILE = 8;
    /**
     * Widest tile of output channels per task of a per-irrep weight gradient: every task reads all
     * rows of its instruction's x and g, so fewer, wider tiles read them fewer times (narrower ones
     * are used when there would be fewer than two tasks per thread).
     */
    private static final int GRADW_TILE = 32;
    /** Bytes of x and out rows in one row tile of the per-irrep linear map (half an L2). */
    private static final int LINEAR_TILE_BYTES = 256 << 10;


    /**
     * Per-irrep linear map (see {@link LinearPlan}); instructions summed in order:
     * out[r, o, m, co] = sum_j [o = out(j)] (sum_ci W_j[co, ci] x[r, in(j), m, ci]), each inner sum
     * from 0.0 over ci in increasing order (s = fma(W, x, s)). The weights are first transposed to [ci][co] so that the
     * inner loop runs over contiguous output channels (vectorized by the JIT) into a row of partial
     * sums; the order of every sum is unchanged.
     */
    public static void irrepLinear(LinearPlan pl, int rows, double[] x, double[] wt, double[] out) {
        BlockLayout in = pl.in(), ol = pl.out();
        int iw = in.width(), ow = ol.width();
        double[] wT = transposedWeights(pl, wt);
        int maxMo = 0;
        for (int j = 0; j < pl.numInstructions(); j++) {
            maxMo = Math.max(maxMo, ol.mul(pl.outBlock()[j]));
        }
        int accLen = maxMo;
        if (CpuKernels.vectorKernels()) {
            Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, iw + ow)), (lo, hi) -> {
                int[][][] q = new int[pl.numInstructions()][][];
                for (int j = 0; j < q.length; j++) q[j] = linearRows(pl, j, lo, hi);
                // tiles of rows whose x and out stay in L2 while every instruction runs over them
                int tile = Math.max(4, LINEAR_TILE_BYTES / (Double.BYTES * Math.max(1, iw + ow)));
                for (int t0 = lo; t0 < hi; t0 += tile) {
                    int t1 = Math.min(hi, t0 + tile);
                    Arrays.fill(out, t0 * ow, t1 * ow, 0.0);
                    for (int j = 0; j < q.length; j++) {
                        int ib = pl.inBlock()[j], obk = pl.outBlock()[j], dim = in.dim(ib);
                        DenseVector.linearRows(x, q[j][0], wT, pl.weightOffset()[j], in.mul(ib), ol.mul(obk), out, q[j][1],
                                (t0 - lo) * dim, (t1 - lo) * dim);
                    }
                }
            });
            return;
        }
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, iw + ow)), (lo, hi) -> {
            double[] acc = new double[accLen];
            for (int r = lo; r < hi; r++) {
                Arrays.fill(out, r * ow, (r + 1) * ow, 0.0);
                for (int j = 0; j < pl.numInstructions(); j++) {
                    int ib = pl.inBlock()[j], obk = pl.outBlock()[j];
                    int mi = in.mul(ib), mo = ol.mul(obk), dim = in.dim(ib), wo = pl.weightOffset()[j];
                    int xb = r * iw + in.offset(ib), yb = r * ow + ol.offset(obk);
                    for (int m = 0; m < dim; m++) {
                        Arrays.fill(acc, 0, mo, 0.0);
                        int xr = xb + m * mi;
                        for (int ci = 0; ci < mi; ci++) {
                            double xv = x[xr + ci];
                            int wr = wo + ci * mo;
                            for (int co = 0; co < mo; co++) {
                                acc[co] = Math.fma(wT[wr + co], xv, acc[co]);
                            }
                        }
                        int yr = yb + m * mo;
                        for (int co = 0; co < mo; co++) {
                            out[yr + co] += acc[co];
                        }
                    }
                }
            }
        });
    }

    /**
     * Where the rows (r, m) of instruction j start, for r in lo .. hi-1 and m in 0 .. dim-1 in that
     * order: [0] in the input (x), [1] in the output (out or g).
     */
    private static int[][] linearRows(LinearPlan pl, int j, int lo, int hi) {
        BlockLayout in = pl.in(), ol = pl.out();
        int ib = pl.inBlock()[j], obk = pl.outBlock()[j];
        int mi = in.mul(ib), mo = ol.mul(obk), dim = in.dim(ib);
        int n = (hi - lo) * dim;
        int[] xr = new int[n], or = new int[n];
        int q = 0;
        for (int r = lo; r < hi; r++) {
            for (int m = 0; m < dim; m++, q++) {
                xr[q] = r * in.width() + in.offset(ib) + m * mi;
                or[q] = r * ol.width() + ol.offset(obk) + m * mo;
            }
        }
        return new int[][]{xr, or};
    }

    /** The gradW tasks: (instruction, first output channel, end) in tiles of {@code width} channels. */
    private static List<int[]> linearTiles(LinearPlan pl, int width) {
        List<int[]> tiles = new ArrayList<>();
        for (int j = 0; j < pl.numInstructions(); j++) {
            int mo = pl.out().mul(pl.outBlock()[j]);
            for (int c0 = 0; c0 < mo; c0 += width) {
                tiles.add(new int[]{j, c0, Math.min(mo, c0 + width)});
            }
        }
        return tiles;
    }

    /**
     * Each instruction's weight block W_j [mo][mi] copied transposed to [mi][mo], at the same
     * offset, into the calling thread's scratch array (valid until its next call on this thread).
     */
    private static double[] transposedWeights(LinearPlan pl, double[] wt) {
        double[] wT = grow(LINEAR_SCRATCH, wt.length);
        BlockLayout in = pl.in(), ol = pl.out();
        for (int j = 0; j < pl.numInstructions(); j++) {
            int mi = in.mul(pl.inBlock()[j]), mo = ol.mul(pl.outBlock()[j]), wo = pl.weightOffset()[j];
            transpose(wt, wo, mo, mi, wT, wo);
        }
        return wT;
    }

    /** Side of the square tiles of {@link #transpose}: 8 x 8 doubles, eight cache lines each way. */
    private static final int TRANSPOSE_TILE = 8;

    /**
     * dst[dOff + c rows + r] = src[sOff + r cols + c] for a rows x cols matrix, in 8 x 8 tiles so
     * that both the rows read and the rows written stay in L1 (a plain loop writes with a stride of
     * a whole row and misses on every element once the matrix outgrows L1). The weights of a layer
     * are transposed once per call, which is most of the cost of a small batch.
     */
    static void transpose(double[] src, int sOff, int rows, int cols, double[] dst, int dOff) {
        for (int r0 = 0; r0 < rows; r0 += TRANSPOSE_TILE) {
            int r1 = Math.min(rows, r0 + TRANSPOSE_TILE);
            for (int c0 = 0; c0 < cols; c0 += TRANSPOSE_TILE) {
                int c1 = Math.min(cols, c0 + TRANSPOSE_TILE);
                for (int r = r0; r < r1; r++) {
                    int sb = sOff + r * cols;
                    for (int c = c0; c < c1; c++) dst[dOff + c * rows + r] = src[sb + c];
                }
            }
        }
    }

    /**
     * Backward of {@link #irrepLinear}: gradX = W^T g per row; gradW = sum_r sum_m g x^T (rows in
     * order, then m; fused multiply-adds). gradW is computed in tiles of up to {@value #GRADW_TILE}
     * output channels per task, each weight element still summed over r then m in increasing order,
     * so that x and g are read once per tile rather than once per output channel.
     */
    public static void irrepLinearBackward(LinearPlan pl, int rows, double[] x, double[] wt, double[] g,
                                           double[] gradX, double[] gradW) {
        BlockLayout in = pl.in(), ol = pl.out();
        int iw = in.width(), ow = ol.width();
        if (gradX != null) {
            Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, iw + ow)), (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    Arrays.fill(gradX, r * iw, (r + 1) * iw, 0.0);
                    for (int j = 0; j < pl.numInstructions(); j++) {
                        int ib = pl.inBlock()[j], obk = pl.outBlock()[j];
                        int mi = in.mul(ib), mo = ol.mul(obk), dim = in.dim(ib), wo = pl.weightOffset()[j];
                        int xb = r * iw + in.offset(ib), yb = r * ow + ol.offset(obk);
                        for (int m = 0; m < dim; m++) {
                            for (int co = 0; co < mo; co++) {
                                double gv = g[yb + m * mo + co];
                                int wr = wo + co * mi, xr = xb + m * mi;
                                for (int ci = 0; ci < mi; ci++) {
                                    gradX[xr + ci] = Math.fma(wt[wr + ci], gv, gradX[xr + ci]);
                                }
                            }
                        }
                    }
                }
            });
        }
        if (gradW != null) {
            Arrays.fill(gradW, 0.0);
            // tasks = (instruction, tile of output channels): each weight row written by one task
            // as wide as GRADW_TILE while that still leaves two tasks per thread, down to MM_TILE
            int width = GRADW_TILE;
            while (width > MM_TILE && linearTiles(pl, width).size() < 2 * Parallel.threads()) width /= 2;
            List<int[]> tiles = linearTiles(pl, width);
            long tileWork = 0; // multiply-adds of the largest tile
            for (int[] t : tiles) {
                int j = t[0];
                tileWork = Math.max(tileWork, (long) rows * in.dim(pl.inBlock()[j]) * in.mul(pl.inBlock()[j]) * (t[2] - t[1]));
            }
            int tileGrain = (int) Math.max(1, 4L * GRAIN / Math.max(1L, tileWork));
            if (CpuKernels.vectorKernels()) {
                int[][][] q = new int[pl.numInstructions()][][];
                for (int j = 0; j < q.length; j++) {
                    q[j] = linearRows(pl, j, 0, rows);
                }
                Parallel.forRange(tiles.size(), tileGrain, (lo, hi) -> {
                    for (int t = lo; t < hi; t++) {
                        int[] tile = tiles.get(t);
                        int j = tile[0];
                        DenseVector.linearGradW(g, q[j][1], x, q[j][0], q[j][0].length, in.mul(pl.inBlock()[j]), gradW,
                                pl.weightOffset()[j], tile[1], tile[2]);
                    }
                });
                return;
            }
            Parallel.forRange(tiles.size(), tileGrain, (lo, hi) -> {
                for (int t = lo; t < hi; t++) {
                    int[] tile = tiles.get(t);
                    int j = tile[0], c0 = tile[1], c1 = tile[2];
                    int ib = pl.inBlock()[j], obk = pl.outBlock()[j];
                    int mi = in.mul(ib), mo = ol.mul(obk), dim = in.dim(ib), wo = pl.weightOffset()[j];
                    for (int r = 0; r < rows; r++) {
                        int xb = r * iw + in.offset(ib), yb = r * ow + ol.offset(obk);
                        for (int m = 0; m < dim; m++) {
                            int xr = xb + m * mi, gr = yb + m * mo;
                            for (int co = c0; co < c1; co++) {
                                double gv = g[gr + co];
                                int wr = wo + co * mi;
                                for (int ci = 0; ci < mi; ci++) {
                                    gradW[wr + ci] = Math.fma(gv, x[xr + ci], gradW[wr + ci]);
                                }
                            }
                        }
                    }
                }
            });
        }
    }

}
