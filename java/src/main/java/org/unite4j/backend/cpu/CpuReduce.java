package org.unite4j.backend.cpu;

import static org.unite4j.backend.cpu.CpuKernels.GRAIN;

import java.util.Arrays;

/**
 * Fixed-order sums on the CPU: gathers over a CSR structure (pooling, the scatter-add of a gather
 * written as a gather over the transposed CSR), row selection, and sums over axes. Every output
 * element is summed by one thread in increasing row order, so the bits do not depend on the thread
 * count (see {@link CpuKernels}).
 */
public final class CpuReduce {
    private CpuReduce() {
    }

    // ------------------------------------------------------------------ gathers over CSR

    /** Pooling: out[s, :] = sum_{r=segPtr[s]}^{segPtr[s+1]-1} x[r, :] (rows of width), in increasing r. */
    public static void segmentSum(int[] segPtr, int width, double[] x, double[] out) {
        csrGatherSum(segPtr, null, width, x, out);
    }

    /** Float32 pooling (accumulates in float, increasing r). */
    public static void segmentSum(int[] segPtr, int width, float[] x, float[] out) {
        int ns = segPtr.length - 1;
        checkPtr(segPtr, x.length / Math.max(1, width));
        if (out.length != ns * width || x.length != segPtr[ns] * width) {
            throw new IllegalArgumentException("segmentSum: x has " + x.length + " and out " + out.length
                    + " values; expected " + segPtr[ns] + " and " + ns + " rows of width " + width);
        }
        Parallel.forRange(ns, Math.max(1, GRAIN / Math.max(1, width)), (lo, hi) -> {
            for (int s = lo; s < hi; s++) {
                int ob = s * width;
                Arrays.fill(out, ob, ob + width, 0.0f);
                for (int r = segPtr[s]; r < segPtr[s + 1]; r++) {
                    int xb = r * width;
                    for (int j = 0; j < width; j++) {
                        out[ob + j] += x[xb + j];
                    }
                }
            }
        });
    }

    /**
     * out[a, :] = sum_{k=ptr[a]}^{ptr[a+1]-1} x[col[k], :] in increasing k (col null: col[k] = k).
     * The scatter-add of a gather is written this way, over the transposed CSR, so that no two
     * threads ever add into the same element.
     */
    public static void csrGatherSum(int[] ptr, int[] col, int width, double[] x, double[] out) {
        checkGather(ptr, col, width, x.length, out.length);
        Parallel.forRange(ptr.length - 1, Math.max(1, GRAIN / Math.max(1, width)), (lo, hi) -> {
            for (int a = lo; a < hi; a++) {
                int ob = a * width;
                Arrays.fill(out, ob, ob + width, 0.0);
                for (int k = ptr[a]; k < ptr[a + 1]; k++) {
                    int xb = (col == null ? k : col[k]) * width;
                    for (int j = 0; j < width; j++) {
                        out[ob + j] += x[xb + j];
                    }
                }
            }
        });
    }

    /**
     * {@link #csrGatherSum(int[], int[], int, double[], double[])} of float32 values, summed in
     * double: the same bits as widening x first, without a double copy of x (x is the large side).
     */
    public static void csrGatherSum(int[] ptr, int[] col, int width, float[] x, double[] out) {
        checkGather(ptr, col, width, x.length, out.length);
        Parallel.forRange(ptr.length - 1, Math.max(1, GRAIN / Math.max(1, width)), (lo, hi) -> {
            for (int a = lo; a < hi; a++) {
                int ob = a * width;
                Arrays.fill(out, ob, ob + width, 0.0);
                for (int k = ptr[a]; k < ptr[a + 1]; k++) {
                    int xb = (col == null ? k : col[k]) * width;
                    for (int j = 0; j < width; j++) {
                        out[ob + j] += x[xb + j];
                    }
                }
            }
        });
    }

    private static void checkGather(int[] ptr, int[] col, int width, int xLength, int outLength) {
        int na = ptr.length - 1;
        int xRows = width == 0 ? 0 : xLength / width;
        checkPtr(ptr, col == null ? xRows : Integer.MAX_VALUE);
        if (outLength != na * width || (col == null && ptr[na] != xRows)) {
            throw new IllegalArgumentException("csrGatherSum: x has " + xLength + " and out " + outLength
                    + " values for " + na + " rows of width " + width + " and " + ptr[na] + " entries");
        }
        if (col != null) {
            if (col.length < ptr[na]) {
                throw new IllegalArgumentException("csrGatherSum: col has " + col.length + " entries, ptr needs "
                        + ptr[na]);
            }
            for (int k = 0; k < ptr[na]; k++) {
                if (col[k] < 0 || col[k] >= xRows) {
                    throw new IllegalArgumentException("csrGatherSum: col[" + k + "] = " + col[k]
                            + " outside 0.." + (xRows - 1));
                }
            }
        }
    }

    private static void checkPtr(int[] ptr, int maxEnd) {
        if (ptr.length == 0 || ptr[0] != 0) {
            throw new IllegalArgumentException("segment pointer must be non-empty and start at 0");
        }
        for (int s = 0; s + 1 < ptr.length; s++) {
            if (ptr[s + 1] < ptr[s]) {
                throw new IllegalArgumentException("segment pointer decreases at segment " + s);
            }
        }
        if (ptr[ptr.length - 1] > maxEnd) {
            throw new IllegalArgumentException("segment pointer ends at " + ptr[ptr.length - 1]
                    + " but there are only " + maxEnd + " rows");
        }
    }

    /** out[i, :] = x[index[i], :]. */
    public static void indexSelect(double[] x, int width, int[] index, double[] out) {
        int rows = width == 0 ? 0 : x.length / width;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= rows) {
                throw new IllegalArgumentException("indexSelect: index[" + i + "] = " + index[i]
                        + " outside 0.." + (rows - 1));
            }
        }
        Parallel.forRange(index.length, Math.max(1, GRAIN / Math.max(1, width)), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                System.arraycopy(x, index[i] * width, out, i * width, width);
            }
        });
    }


    /** Sums x over the axes with reduce[d]; out keeps those axes with size 1. Fixed row-major order. */
    public static void reduceSum(double[] x, int[] shape, boolean[] reduce, double[] out) {
        int nd = shape.length;
        int lead = 0; // reduced axes 0 .. lead-1, kept axes after them: x is [count][kept] row-major
        while (lead < nd && reduce[lead]) lead++;
        boolean leadingOnly = lead > 0;
        for (int d = lead; d < nd; d++) leadingOnly &= !reduce[d];
        if (leadingOnly) {
            int rows = 1;
            for (int d = 0; d < lead; d++) rows *= shape[d];
            reduceLeading(x, rows, out);
            return;
        }
        int[] xs = new int[nd];
        int stride = 1;
        for (int d = nd - 1; d >= 0; d--) {
            xs[d] = stride;
            stride *= shape[d];
        }
        int count = 1;
        for (int d = 0; d < nd; d++) {
            if (reduce[d]) {
                count *= shape[d];
            }
        }
        // offsets of the reduced sub-array, in row-major order
        int[] red = new int[count];
        int[] idx = new int[nd];
        for (int r = 0; r < count; r++) {
            int off = 0;
            for (int d = 0; d < nd; d++) {
                if (reduce[d]) {
                    off += idx[d] * xs[d];
                }
            }
            red[r] = off;
            for (int d = nd - 1; d >= 0; d--) {
                if (!reduce[d]) {
                    continue;
                }
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        int[] outShape = new int[nd];
        for (int d = 0; d < nd; d++) {
            outShape[d] = reduce[d] ? 1 : shape[d];
        }
        final int cnt = count;
        Parallel.forRange(out.length, Math.max(1, GRAIN / Math.max(1, count)), (lo, hi) -> {
            for (int j = lo; j < hi; j++) {
                int rem = j, base = 0;
                for (int d = nd - 1; d >= 0; d--) {
                    base += (rem % outShape[d]) * xs[d];
                    rem /= outShape[d];
                }
                double s = 0.0;
                for (int r = 0; r < cnt; r++) {
                    s += x[base + red[r]];
                }
                out[j] = s;
            }
        });
    }

    /**
     * out[j] = sum_r x[r n + j] (n = out.length) over r = 0 .. rows-1 in increasing order, from 0.0:
     * the order of the general kernel, but row by row, so that x streams through once and the inner
     * loop (over j) vectorizes; threads split j (at least 64 columns each, summed in a local array
     * so that no two threads write to one cache line row after row).
     */
    private static void reduceLeading(double[] x, int rows, double[] out) {
        int n = out.length;
        if (n == 0) return;
        Parallel.forRange(n, Math.max(64, GRAIN / Math.max(1, rows)), (lo, hi) -> {
            double[] acc = new double[hi - lo];
            for (int r = 0; r < rows; r++) {
                int xb = r * n + lo;
                for (int j = 0; j < acc.length; j++) {
                    acc[j] += x[xb + j];
                }
            }
            System.arraycopy(acc, 0, out, lo, acc.length);
        });
    }

}
