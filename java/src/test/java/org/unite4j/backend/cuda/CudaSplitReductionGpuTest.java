package org.unite4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.*;
import static org.unite4j.backend.cuda.GpuTestSupport.requireGpu;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.unite4j.backend.Backend;
import org.unite4j.backend.Backends;
import org.unite4j.backend.BlockLayout;
import org.unite4j.backend.DType;
import org.unite4j.backend.LinearPlan;
import org.unite4j.backend.Storage;

/**
 * The split reductions on the GPU (skipped without one): sums over tens of thousands of rows
 * (bias gradients, weight gradients X^T G, the irrep linear map's weight gradient) agree with the
 * CPU float64 reference to 1e-5 relative (max error over max reference), every output is written
 * (outputs poisoned first), and a rerun is bitwise identical.
 */
class CudaSplitReductionGpuTest {
    static final double TOL = 1e-5;

    static double[] random(SplittableRandom r, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = 2 * r.nextDouble() - 1;
        return d;
    }

    /** Runs op twice on the GPU (outputs poisoned with NaN first), checks parity with ref and bitwise reruns. */
    static void check(String what, Backend cuda, int outSize, java.util.function.Consumer<Storage> op, double[] ref) {
        double[][] runs = new double[2][];
        for (int k = 0; k < 2; k++) {
            double[] nan = new double[outSize];
            java.util.Arrays.fill(nan, Double.NaN);
            Storage out = cuda.fromDoubles(nan, DType.FLOAT32);
            op.accept(out);
            runs[k] = cuda.toDoubles(out);
        }
        double maxErr = 0, maxRef = 0;
        for (int i = 0; i < ref.length; i++) {
            assertTrue(Double.isFinite(runs[0][i]), what + "[" + i + "] = " + runs[0][i] + " (unwritten?)");
            maxErr = Math.max(maxErr, Math.abs(runs[0][i] - ref[i]));
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
        }
        double rel = maxErr / maxRef;
        System.out.printf("[cuda] parity %-28s max|err| %.3e  max|ref| %.3e  rel %.2e%n", what, maxErr, maxRef, rel);
        assertTrue(rel < TOL, what + ": relative error " + rel);
        assertArrayEquals(runs[0], runs[1], 0.0, what + ": a rerun is bitwise identical");
    }

    @Test
    void longSumsAgreeWithTheCpuReferenceAndAreReproducible() {
        requireGpu();
        Backend cuda = Backends.get("cuda"), cpu = Backends.get("cpu");
        SplittableRandom r = new SplittableRandom(11);
        // bias gradient: sum over 50,000 rows of 7 columns
        int rows = 50_000, cols = 7;
        double[] x = random(r, rows * cols);
        Storage xr = cpu.fromDoubles(x, DType.FLOAT64), ref = cpu.allocate(DType.FLOAT64, cols);
        cpu.reduceSum(xr, new int[] {rows, cols}, new boolean[] {true, false}, ref);
        Storage xg = cuda.fromDoubles(x, DType.FLOAT32);
        check("reduceSum 50000 rows", cuda, cols, out -> cuda.reduceSum(xg, new int[] {rows, cols}, new boolean[] {true, false}, out),
                cpu.toDoubles(ref));

        // weight gradient X^T G: k = 40,000 rows, 17 x 23 outputs; and with B transposed
        int k = 40_000, m = 17, n = 23;
        double[] a = random(r, k * m), b = random(r, k * n);
        Storage ar = cpu.fromDoubles(a, DType.FLOAT64), br = cpu.fromDoubles(b, DType.FLOAT64), mr = cpu.allocate(DType.FLOAT64, m * n);
        cpu.matmul(ar, br, mr, m, k, n, true, false);
        Storage ag = cuda.fromDoubles(a, DType.FLOAT32), bg = cuda.fromDoubles(b, DType.FLOAT32);
        check("matmul A^T B, k 40000", cuda, m * n, out -> cuda.matmul(ag, bg, out, m, k, n, true, false), cpu.toDoubles(mr));
        double[] bt = random(r, n * k);
        Storage btr = cpu.fromDoubles(bt, DType.FLOAT64), mr2 = cpu.allocate(DType.FLOAT64, m * n);
        cpu.matmul(ar, btr, mr2, m, k, n, true, true);
        Storage btg = cuda.fromDoubles(bt, DType.FLOAT32);
        check("matmul A^T B^T, k 40000", cuda, m * n, out -> cuda.matmul(ag, btg, out, m, k, n, true, true), cpu.toDoubles(mr2));

        // the irrep linear map's weight gradient over 20,000 rows: 32x0e + 16x1o -> 32x0e + 16x1o
        BlockLayout bl = new BlockLayout(new int[] {32, 16}, new int[] {1, 3});
        LinearPlan lp = LinearPlan.between(bl, bl, new Object[] {"0e", "1o"}, new Object[] {"0e", "1o"});
        int lr = 20_000;
        double[] lx = random(r, lr * bl.width()), lg = random(r, lr * bl.width()), lw = random(r, lp.numWeights());
        Storage gwr = cpu.allocate(DType.FLOAT64, lp.numWeights());
        cpu.irrepLinearBackward(lp, lr, cpu.fromDoubles(lx, DType.FLOAT64), cpu.fromDoubles(lw, DType.FLOAT64),
                cpu.fromDoubles(lg, DType.FLOAT64), null, gwr);
        Storage lxg = cuda.fromDoubles(lx, DType.FLOAT32), lwg = cuda.fromDoubles(lw, DType.FLOAT32), lgg = cuda.fromDoubles(lg, DType.FLOAT32);
        check("irrepLinear gradW 20000 rows", cuda, lp.numWeights(), out -> cuda.irrepLinearBackward(lp, lr, lxg, lwg, lgg, null, out),
                cpu.toDoubles(gwr));
    }
}
