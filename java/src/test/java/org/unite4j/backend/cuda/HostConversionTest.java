package org.unite4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.unite4j.backend.cpu.Parallel;

/** Without a GPU: the float64 <-> float32 conversions around uploads give the same bits on any thread count. */
class HostConversionTest {
    @Test
    void conversionsAreElementwiseOnAnyThreadCount() {
        SplittableRandom r = new SplittableRandom(3);
        double[] x = new double[3 * CudaComputeBackend.CONVERT_GRAIN + 17];
        for (int i = 0; i < x.length; i++) x[i] = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-30, 30));
        x[5] = Double.NaN;
        x[6] = Double.NEGATIVE_INFINITY;
        x[7] = 1e300; // overflows float32 to +inf, as a cast does
        int before = Parallel.threads();
        try {
            Parallel.setThreads(3);
            Parallel.setIgnoreGrain(true);
            float[] f = CudaComputeBackend.toFloats(x);
            double[] back = CudaComputeBackend.widen(f);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits((float) x[i]), Float.floatToRawIntBits(f[i]), "element " + i);
                assertEquals(Double.doubleToRawLongBits((double) f[i]), Double.doubleToRawLongBits(back[i]), "element " + i);
            }
        } finally {
            Parallel.setIgnoreGrain(false);
            Parallel.setThreads(before);
        }
    }
}
