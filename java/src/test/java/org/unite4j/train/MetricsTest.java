package org.unite4j.train;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class MetricsTest {

    @Test
    void scalarMetricsOnAHandExample() {
        double[] ref = {1, 2, 3, 4};
        double[] pred = {1.5, 1.0, 3.0, 6.0}; // errors 0.5, -1, 0, 2
        Metrics.Scalar m = new Metrics.Scalar().addAll(pred, ref);
        assertEquals(3.5 / 4, m.mae(), 1e-15);
        assertEquals(Math.sqrt((0.25 + 1 + 0 + 4) / 4), m.rmse(), 1e-15);
        assertEquals(2.0, m.maxError());
        assertEquals(1 - 5.25 / 5.0, m.r2(), 1e-15); // SS_tot of 1..4 = 5
        assertEquals(2.5, m.referenceMean(), 1e-15);
        assertEquals(Math.sqrt(1.25), m.referenceStd(), 1e-15);
        assertEquals(1.0, Metrics.r2(ref, ref));
        assertTrue(Double.isNaN(new Metrics.Scalar().mae()));
    }

    @Test
    void streamingAndMergedAgreeWithTwoPassOnLargeOffsets() {
        SplittableRandom r = new SplittableRandom(11);
        int n = 10_000;
        double[] ref = new double[n], pred = new double[n];
        for (int i = 0; i < n; i++) {
            ref[i] = -1500 + 300 * r.nextDouble(); // atomization-energy-like values
            pred[i] = ref[i] + r.nextGaussian() * 2;
        }
        double mean = 0;
        for (double v : ref) mean += v;
        mean /= n;
        double sst = 0, sse = 0;
        for (int i = 0; i < n; i++) {
            sst += (ref[i] - mean) * (ref[i] - mean);
            sse += (pred[i] - ref[i]) * (pred[i] - ref[i]);
        }
        Metrics.Scalar a = new Metrics.Scalar(), b = new Metrics.Scalar(), all = new Metrics.Scalar().addAll(pred, ref);
        for (int i = 0; i < n; i++) (i % 3 == 0 ? a : b).add(pred[i], ref[i]);
        a.merge(b);
        assertEquals(1 - sse / sst, all.r2(), 1e-12);
        assertEquals(1 - sse / sst, a.r2(), 1e-12);
        assertEquals(all.mae(), a.mae(), 1e-12);
        assertEquals(all.rmse(), a.rmse(), 1e-12);
        assertEquals(all.maxError(), a.maxError(), 0);
        assertEquals(n, a.count());
    }

    @Test
    void vectorMaeIsMeanNormAndPerComponent() {
        double[] ref = {0, 0, 0, 1, 1, 1};
        double[] pred = {3, 4, 0, 1, 1, -1}; // errors (3,4,0) norm 5 and (0,0,-2) norm 2
        Metrics.Vector v = new Metrics.Vector(3).addAll(pred, ref);
        assertEquals(3.5, v.mae(), 1e-15);
        assertArrayEquals(new double[]{1.5, 2.0, 1.0}, v.maeComponents(), 1e-15);
        assertEquals(Math.sqrt((25 + 4) / 2.0), v.rmse(), 1e-15);
        assertEquals(5.0, v.maxError());
        Metrics.Vector w = new Metrics.Vector(3).add(new double[]{0, 0, 1}, new double[]{0, 0, 0});
        v.merge(w);
        assertEquals((5 + 2 + 1) / 3.0, v.mae(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new Metrics.Vector(3).addAll(new double[4], new double[4]));
    }

    @Test
    void nonFiniteInputsAreRejectedWithTheSample() {
        Metrics.Scalar m = new Metrics.Scalar().add(1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.add(Double.NaN, 1));
        assertTrue(e.getMessage().contains("sample 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Metrics.Vector(2).add(new double[]{0, Double.POSITIVE_INFINITY}, new double[2]));
        assertThrows(IllegalArgumentException.class, () -> Metrics.mae(new double[2], new double[3]));
    }
}
