package org.unite4j.bench;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The least-squares log-log fit recovers known power laws, with and without noise. */
class LogLogFitTest {

    /** t_i = a n_i^k exp(sigma z_i) over n = 10 .. 10^6, z standard normal (seeded). */
    static double[][] data(double a, double k, double sigma, long seed) {
        Random r = new Random(seed);
        int m = 25;
        double[] n = new double[m], t = new double[m];
        for (int i = 0; i < m; i++) {
            n[i] = Math.pow(10, 1 + 5.0 * i / (m - 1));
            t[i] = a * Math.pow(n[i], k) * Math.exp(sigma * r.nextGaussian());
        }
        return new double[][]{n, t};
    }

    @Test
    void exactPowerLawsAreRecoveredToRoundOff() {
        for (double k : new double[]{0.5, 1, 2, 3}) {
            double[][] d = data(3e-7, k, 0, 1);
            LogLogFit f = LogLogFit.fit(d[0], d[1]);
            assertEquals(k, f.exponent(), 1e-12);
            assertEquals(3e-7, f.prefactor(), 3e-7 * 1e-9);
            assertEquals(1.0, f.r2(), 1e-12);
            assertEquals(25, f.points());
            assertEquals(3e-7 * Math.pow(1e4, k), f.predict(1e4), 1e-9 * 3e-7 * Math.pow(1e4, k));
        }
    }

    @Test
    void linearAndQuadraticTimesWithTenPercentNoise() {
        for (long seed = 1; seed <= 20; seed++) {
            LogLogFit lin = LogLogFit.fit(data(2e-6, 1, 0.1, seed)[0], data(2e-6, 1, 0.1, seed)[1]);
            LogLogFit quad = LogLogFit.fit(data(5e-9, 2, 0.1, seed)[0], data(5e-9, 2, 0.1, seed)[1]);
            assertEquals(1.0, lin.exponent(), 0.03, "seed " + seed);
            assertEquals(2.0, quad.exponent(), 0.03, "seed " + seed);
            assertTrue(lin.r2() > 0.99 && lin.r2() < 1, "r2 " + lin.r2());
            assertTrue(quad.r2() > 0.997 && quad.r2() < 1, "r2 " + quad.r2());
        }
    }

    @Test
    void noiseLowersR2() {
        double[][] quiet = data(1e-6, 1, 0.01, 5), loud = data(1e-6, 1, 1.0, 5);
        assertTrue(LogLogFit.fit(quiet[0], quiet[1]).r2() > LogLogFit.fit(loud[0], loud[1]).r2());
    }

    @Test
    void constantTimeHasExponentZero() {
        LogLogFit f = LogLogFit.fit(new double[]{1, 10, 100}, new double[]{2, 2, 2});
        assertEquals(0, f.exponent(), 1e-15);
        assertEquals(1, f.r2());
    }

    @Test
    void badInputIsRejectedWithAReason() {
        var e = assertThrows(IllegalArgumentException.class, () -> LogLogFit.fit(new double[]{1, 2}, new double[]{1, 0}));
        assertTrue(e.getMessage().contains("point 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LogLogFit.fit(new double[]{1}, new double[]{1}));
        assertThrows(IllegalArgumentException.class, () -> LogLogFit.fit(new double[]{3, 3}, new double[]{1, 2}));
        assertThrows(IllegalArgumentException.class, () -> LogLogFit.fit(new double[]{1, 2}, new double[]{1, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> LogLogFit.fit(new double[]{1, 2, 3}, new double[]{1, 2}));
    }

    @Test
    void timingMedianOfOddAndEvenCounts() {
        assertEquals(2, Timing.median(new double[]{3, 1, 2}));
        assertEquals(2.5, Timing.median(new double[]{4, 1, 2, 3}));
        double s = Timing.medianSeconds(() -> { }, 1, 3, 1e-4);
        assertTrue(s >= 0 && s < 1e-3, "an empty op takes " + s + " s per call");
    }

    @Test
    void largeRangeFitSeesThroughAFixedCostThatBendsTheFullFit() {
        // t = 2 ms + 1 us per block: linear, but the fixed cost flattens the small end
        java.util.List<ScalingSweep.Point> pts = new java.util.ArrayList<>();
        for (long nnz : new long[]{10, 100, 1000, 10_000, 100_000}) pts.add(new ScalingSweep.Point(nnz + "", (int) nnz, nnz, 2e-3 + 1e-6 * nnz));
        ScalingSweep.Series s = new ScalingSweep.Series("model_forward", "synthetic", pts);
        assertTrue(s.fitNnz().exponent() < 0.6, "full range: " + s.fitNnz().exponent());
        assertEquals(0.766, s.fitLarge().exponent(), 0.01, "nnz >= 1000 (the 2 ms still weigh on 1000 blocks)");
        assertTrue(s.fitLarge().exponent() > s.fitNnz().exponent() + 0.2);
        java.util.Map<String, Object> json = s.toJson();
        assertEquals(s.fitLarge().exponent(), (Double) json.get("exponent_nnz_ge_1000"), 1e-4);
        // a series with too few large points has no such fit
        ScalingSweep.Series small = new ScalingSweep.Series("pool", "water", pts.subList(0, 3));
        assertNull(small.fitLarge());
        assertFalse(small.toJson().containsKey("exponent_nnz_ge_1000"));
    }

    @Test
    void aGpuSweepFitsItsLargeRangeFromTheBlocksThatFillTheDevice() {
        // t = 50 us + 2 ns per block: a launch-bound device; from 1e5 blocks the line is near 1
        java.util.List<ScalingSweep.Point> pts = new java.util.ArrayList<>();
        for (long nnz : new long[]{1000, 10_000, 100_000, 300_000, 1_000_000, 3_000_000})
            pts.add(new ScalingSweep.Point(nnz + "", (int) nnz, nnz, 5e-5 + 2e-9 * nnz));
        ScalingSweep.Config cuda = ScalingSweep.Config.full("cuda"), cpu = ScalingSweep.Config.full("cpu");
        assertEquals(ScalingSweep.LARGE_NNZ_DEVICE, cuda.largeNnz());
        assertEquals(ScalingSweep.LARGE_NNZ, cpu.largeNnz());
        ScalingSweep.Series gpu = new ScalingSweep.Series("tp_forward", "synthetic", pts, cuda.largeNnz());
        ScalingSweep.Series asCpu = new ScalingSweep.Series("tp_forward", "synthetic", pts, cpu.largeNnz());
        assertTrue(gpu.fitLarge().exponent() > 0.85, "nnz >= 1e5: " + gpu.fitLarge().exponent());
        assertTrue(asCpu.fitLarge().exponent() < gpu.fitLarge().exponent() - 0.2, "nnz >= 1000: " + asCpu.fitLarge().exponent());
        assertTrue(gpu.toJson().containsKey("exponent_nnz_ge_100000"));
        assertFalse(gpu.toJson().containsKey("exponent_nnz_ge_1000"));
        // the GPU sweep goes on to 2.5e6 blocks so that its large range spans more than a decade
        assertEquals(16384, cuda.synthetic()[cuda.synthetic().length - 1]);
        assertEquals(4096, cpu.synthetic()[cpu.synthetic().length - 1]);
        assertEquals(16384, ScalingSweep.Config.quick("cuda").synthetic()[ScalingSweep.Config.quick("cuda").synthetic().length - 1]);
    }

    @Test
    void aSweepCanBeRestrictedToSomeInputFamilies() {
        ScalingSweep.Config c = ScalingSweep.Config.quick("cpu").only(java.util.Set.of("synthetic", "alkane-dense"));
        assertTrue(c.synthetic().length > 0);
        assertEquals(0, c.syntheticDense().length);
        assertEquals(0, c.waters().length);
        assertTrue(c.alkanes().length > 0 && c.alkaneDense());
        ScalingSweep.Config w = ScalingSweep.Config.quick("cpu").only(java.util.Set.of("water"));
        assertEquals(0, w.alkanes().length);
        assertFalse(w.alkaneDense());
        var e = assertThrows(IllegalArgumentException.class, () -> ScalingSweep.Config.quick("cpu").only(java.util.Set.of("benzene")));
        assertTrue(e.getMessage().contains("benzene"), e.getMessage());
    }

    @Test
    void chunkedRandomInputsEqualTheOneChunkOnes() {
        org.unite4j.backend.Backend cpu = org.unite4j.backend.Backends.get("cpu");
        for (org.unite4j.backend.DType dt : new org.unite4j.backend.DType[]{org.unite4j.backend.DType.FLOAT32, org.unite4j.backend.DType.FLOAT64}) {
            double[] one = cpu.toDoubles(ScalingOps.random(cpu, dt, new java.util.SplittableRandom(5), 1001, 1 << 20));
            double[] chunked = cpu.toDoubles(ScalingOps.random(cpu, dt, new java.util.SplittableRandom(5), 1001, 64));
            assertArrayEquals(one, chunked, 0.0, dt + ": chunks of 64 (the last one short)");
            for (double v : one) assertTrue(v >= -1 && v < 1 && v != 0, "value " + v);
        }
    }
}
