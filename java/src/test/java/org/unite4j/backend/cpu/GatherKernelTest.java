package org.unite4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.unite4j.backend.DType;
import org.unite4j.backend.Storage;

/**
 * The CSR gather-sum on float32 storage reads the floats directly (no widened copy of x); it must
 * give the bits of the definition out[a, :] = round32(sum over k of (double) x[col[k], :]) in
 * increasing k, and of the double kernel on the widened values.
 */
class GatherKernelTest {
    private final CpuBackend cpu = new CpuBackend();

    @Test
    void float32GatherSumEqualsTheWidenedDoubleSumBitwise() {
        Random r = new Random(3);
        int width = 7, rows = 40, na = 9;
        float[] x = new float[rows * width];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        int[] ptr = new int[na + 1];
        for (int a = 0; a < na; a++) ptr[a + 1] = ptr[a] + r.nextInt(8); // some rows empty
        int[] col = new int[ptr[na]];
        for (int k = 0; k < col.length; k++) col[k] = r.nextInt(rows);
        int[] dense = {0, 10, 10, 25, rows}; // col == null: consecutive rows

        for (int[][] c : new int[][][]{{ptr, col}, {dense, null}}) {
            int[] p = c[0], cl = c[1];
            int n = p.length - 1;
            float[] expect = new float[n * width];
            for (int a = 0; a < n; a++)
                for (int j = 0; j < width; j++) {
                    double s = 0.0;
                    for (int k = p[a]; k < p[a + 1]; k++) s += x[(cl == null ? k : cl[k]) * width + j];
                    expect[a * width + j] = (float) s;
                }
            Storage xs = cpu.wrap(x.clone()), out = cpu.allocate(DType.FLOAT32, n * width);
            cpu.csrGatherSum(p, cl, xs, width, out);
            assertArrayEquals(expect, ((CpuStorage) out).floats(), 0.0f, cl == null ? "col null" : "with col");

            double[] wide = new double[x.length], outD = new double[n * width];
            for (int i = 0; i < x.length; i++) wide[i] = x[i];
            CpuReduce.csrGatherSum(p, cl, width, wide, outD);
            for (int i = 0; i < outD.length; i++) assertEquals((float) outD[i], expect[i], 0.0f);
        }
    }

    @Test
    void float32GatherSumChecksItsIndices() {
        Storage x = cpu.wrap(new float[6]), out = cpu.allocate(DType.FLOAT32, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cpu.csrGatherSum(new int[]{0, 2}, new int[]{1, 2}, x, 3, out));
        assertTrue(e.getMessage().contains("col[1] = 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> cpu.csrGatherSum(new int[]{0, 3}, null, x, 3, out));
    }

    @Test
    void fromDoublesCopiesItsInput() {
        double[] d = {1.0, 2.0, 3.0};
        Storage s64 = cpu.fromDoubles(d, DType.FLOAT64), s32 = cpu.fromDoubles(d, DType.FLOAT32);
        d[0] = 99.0;
        assertArrayEquals(new double[]{1.0, 2.0, 3.0}, cpu.toDoubles(s64), 0.0);
        assertArrayEquals(new double[]{1.0, 2.0, 3.0}, cpu.toDoubles(s32), 0.0);
    }
}
