package org.unite4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.unite4j.backend.BlockLayout;
import org.unite4j.backend.LinearPlan;

/**
 * The tiled matmul and per-irrep linear kernels against the plain loops that define them: each
 * output element summed from 0.0 over k (or ci) in increasing order with fused multiply-adds
 * (s = fma(a, b, s)). The tiled kernels promise the
 * same order, so the comparison is bitwise, for every transpose combination, sizes that are not
 * multiples of the tile or of the vector width, 1 and 2 threads, SIMD on and off.
 */
class DenseKernelTest {

    static double[] rand(Random r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian();
        }
        return a;
    }

    static double[] naiveMatmul(double[] a, double[] b, int m, int k, int n, boolean tA, boolean tB) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0.0;
                for (int kk = 0; kk < k; kk++) {
                    s = Math.fma(tA ? a[kk * m + i] : a[i * k + kk], tB ? b[j * k + kk] : b[kk * n + j], s);
                }
                out[i * n + j] = s;
            }
        }
        return out;
    }

    @Test
    void matmulEqualsNaiveLoopBitwise() {
        Random r = new Random(7);
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {17, 8, 32}, {9, 33, 1}, {1000, 8, 32}, {32, 1000, 16}, {13, 32, 240}, {7, 56, 19},
                {13, 2100, 25}, {9, 1500, 40}, {9, 5000, 7}}; // the last three: B over 256 KB, k in chunks (the last: n < lanes)
        forEachVariant(false, (threads, simd) -> {
            for (int[] s : shapes) {
                for (int c = 0; c < 4; c++) {
                    boolean tA = (c & 1) != 0, tB = (c & 2) != 0;
                    double[] a = rand(r, s[0] * s[1]), b = rand(r, s[1] * s[2]);
                    double[] out = new double[s[0] * s[2]];
                    Arrays.fill(out, Double.NaN); // must be overwritten
                    CpuDense.matmul(a, b, out, s[0], s[1], s[2], tA, tB);
                    assertArrayEquals(naiveMatmul(a, b, s[0], s[1], s[2], tA, tB), out, 0.0,
                            () -> "shape " + Arrays.toString(s) + " transA=" + tA + " transB=" + tB + " threads=" + threads + " simd=" + simd);
                }
            }
        });
    }

    /**
     * Runs body for 1 and 2 threads, with the SIMD kernels off and (where the module is present)
     * on, restoring the settings afterwards; ignoreGrain splits even small inputs over the threads.
     */
    static void forEachVariant(boolean ignoreGrain, java.util.function.BiConsumer<Integer, Boolean> body) {
        int prev = Parallel.threads();
        boolean prevVector = CpuKernels.vectorKernels();
        try {
            for (int variant = 0; variant < 4; variant++) {
                int threads = 1 + (variant & 1);
                boolean simd = (variant & 2) != 0;
                if (simd && !CpuKernels.vectorAvailable()) {
                    continue;
                }
                Parallel.setThreads(threads);
                CpuKernels.setVectorKernels(simd);
                Parallel.setIgnoreGrain(ignoreGrain);
                body.accept(threads, simd);
            }
        } finally {
            Parallel.setIgnoreGrain(false);
            Parallel.setThreads(prev);
            CpuKernels.setVectorKernels(prevVector);
        }
    }

    @Test
    void irrepLinearEqualsNaiveLoopBitwise() {
        // in: 12x(dim1) + 5x(dim3) + 19x(dim1); out: 41x(dim1) + 3x(dim3); tags pair dim-1 blocks
        // (41 output channels: gradW tiles that start past channel 0)
        BlockLayout in = new BlockLayout(new int[]{12, 5, 19}, new int[]{1, 3, 1});
        BlockLayout out = new BlockLayout(new int[]{41, 3}, new int[]{1, 3});
        LinearPlan pl = LinearPlan.between(in, out, new Object[]{"s", "v", "s"}, new Object[]{"s", "v"});
        Random r = new Random(11);
        int rows = 1001; // several row tiles of the forward and row chunks of grad W
        double[] x = rand(r, rows * in.width()), w = rand(r, pl.numWeights()), g = rand(r, rows * out.width());
        // reference: out[r, o, m, co] = sum_j (sum_ci W_j[co, ci] x[r, in(j), m, ci]) in instruction order
        double[] ref = new double[rows * out.width()];
        double[] refGx = new double[rows * in.width()], refGw = new double[pl.numWeights()];
        for (int j = 0; j < pl.numInstructions(); j++) {
            int ib = pl.inBlock()[j], ob = pl.outBlock()[j], mi = in.mul(ib), mo = out.mul(ob), wo = pl.weightOffset()[j];
            for (int co = 0; co < mo; co++) {
                for (int ci = 0; ci < mi; ci++) {
                    double s = 0.0;
                    for (int row = 0; row < rows; row++) {
                        for (int m = 0; m < in.dim(ib); m++) {
                            s = Math.fma(g[row * out.width() + out.offset(ob) + m * mo + co], x[row * in.width() + in.offset(ib) + m * mi + ci], s);
                        }
                    }
                    refGw[wo + co * mi + ci] = s;
                }
            }
        }
        for (int row = 0; row < rows; row++) {
            for (int j = 0; j < pl.numInstructions(); j++) {
                int ib = pl.inBlock()[j], ob = pl.outBlock()[j], mi = in.mul(ib), mo = out.mul(ob), wo = pl.weightOffset()[j];
                for (int m = 0; m < in.dim(ib); m++) {
                    for (int co = 0; co < mo; co++) {
                        double s = 0.0;
                        for (int ci = 0; ci < mi; ci++) {
                            s = Math.fma(w[wo + co * mi + ci], x[row * in.width() + in.offset(ib) + m * mi + ci], s);
                        }
                        ref[row * out.width() + out.offset(ob) + m * mo + co] += s;
                    }
                    for (int co = 0; co < mo; co++) {
                        double gv = g[row * out.width() + out.offset(ob) + m * mo + co];
                        for (int ci = 0; ci < mi; ci++) {
                            refGx[row * in.width() + in.offset(ib) + m * mi + ci] = Math.fma(w[wo + co * mi + ci], gv, refGx[row * in.width() + in.offset(ib) + m * mi + ci]);
                        }
                    }
                }
            }
        }
        forEachVariant(true, (threads, simd) -> {
            double[] y = new double[ref.length], gx = new double[refGx.length], gw = new double[refGw.length];
            Arrays.fill(y, Double.NaN);
            Arrays.fill(gx, Double.NaN);
            Arrays.fill(gw, Double.NaN);
            CpuDense.irrepLinear(pl, rows, x, w, y);
            CpuDense.irrepLinearBackward(pl, rows, x, w, g, gx, gw);
            String where = ", threads=" + threads + " simd=" + simd;
            assertArrayEquals(ref, y, 0.0, "forward" + where);
            assertArrayEquals(refGx, gx, 0.0, "grad x" + where);
            assertArrayEquals(refGw, gw, 0.0, "grad W" + where);
        });
    }

    @Test
    void reduceSumEqualsNaiveLoopBitwise() {
        // leading axes reduced (the row-streaming path) and others (the general path)
        int[][] shapes = {{1000, 37}, {7, 5, 33}, {3, 1}, {5, 6, 7}, {0, 5}, {3, 0}, {20000, 3}};
        boolean[][][] reductions = {{{true, false}, {false, true}}, {{true, true, false}, {true, false, false}, {false, true, true}},
                {{true, false}}, {{false, true, false}, {true, true, true}}, {{true, false}}, {{true, false}, {false, true}},
                {{true, false}}};
        Random r = new Random(5);
        forEachVariant(true, (threads, simd) -> {
            for (int c = 0; c < shapes.length; c++) {
                int[] sh = shapes[c];
                double[] x = rand(r, Arrays.stream(sh).reduce(1, (p, q) -> p * q));
                for (boolean[] red : reductions[c]) {
                    int[] os = new int[sh.length];
                    for (int d = 0; d < sh.length; d++) os[d] = red[d] ? 1 : sh[d];
                    double[] ref = new double[Arrays.stream(os).reduce(1, (p, q) -> p * q)];
                    // definition: each output summed from 0.0 over the reduced index in row-major order
                    int[] idx = new int[sh.length];
                    for (int i = 0; i < x.length; i++) {
                        int o = 0;
                        for (int d = 0; d < sh.length; d++) o = o * os[d] + (red[d] ? 0 : idx[d]);
                        ref[o] += x[i];
                        for (int d = sh.length - 1; d >= 0 && ++idx[d] == sh[d]; d--) idx[d] = 0;
                    }
                    double[] out = new double[ref.length];
                    Arrays.fill(out, Double.NaN);
                    CpuReduce.reduceSum(x, sh, red, out);
                    assertArrayEquals(ref, out, 0.0, Arrays.toString(sh) + " reduce " + Arrays.toString(red) + " threads=" + threads);
                }
            }
        });
    }

    @Test
    void broadcastBinaryEqualsNaiveIndexing() {
        Random r = new Random(3);
        int[][][] cases = { // {aShape, bShape, outShape}
                {{3, 4, 5}, {5}, {3, 4, 5}}, {{3, 4, 5}, {4, 1}, {3, 4, 5}}, {{1, 4, 5}, {3, 1, 5}, {3, 4, 5}},
                {{3, 1, 1}, {3, 4, 5}, {3, 4, 5}}, {{7, 1}, {1, 1}, {7, 1}}, {{2000, 33}, {33}, {2000, 33}},
                {{6}, {1}, {6}}, {{4, 6}, {4, 6}, {4, 6}}};
        for (org.unite4j.backend.BinaryOp op : org.unite4j.backend.BinaryOp.values()) {
            for (int[][] c : cases) {
                int na = java.util.Arrays.stream(c[0]).reduce(1, (x, y) -> x * y), nb = java.util.Arrays.stream(c[1]).reduce(1, (x, y) -> x * y);
                int n = java.util.Arrays.stream(c[2]).reduce(1, (x, y) -> x * y);
                double[] a = rand(r, na), b = rand(r, nb), out = new double[n], ref = new double[n];
                int[] as = CpuKernels.broadcastStrides(c[0], c[2]), bs = CpuKernels.broadcastStrides(c[1], c[2]);
                for (int i = 0; i < n; i++) {
                    int rem = i, ia = 0, ib = 0;
                    for (int d = c[2].length - 1; d >= 0; d--) {
                        int k = rem % c[2][d];
                        rem /= c[2][d];
                        ia += k * as[d];
                        ib += k * bs[d];
                    }
                    ref[i] = op.apply(a[ia], b[ib]);
                }
                java.util.Arrays.fill(out, Double.NaN);
                CpuKernels.binary(op, a, c[0], b, c[1], out, c[2]);
                assertArrayEquals(ref, out, 0.0, op + " " + java.util.Arrays.deepToString(c));
            }
        }
    }
}
