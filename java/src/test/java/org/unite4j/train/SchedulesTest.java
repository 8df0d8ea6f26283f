package org.unite4j.train;

import org.junit.jupiter.api.Test;
import org.unite4j.io.Json;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SchedulesTest {

    @Test
    void warmupIsLinearAndReachesLr0() {
        Schedules.Schedule s = Schedules.warmupCosine(1e-3, 1e-5, 10, 110);
        for (int i = 0; i < 10; i++) assertEquals(1e-3 * (i + 1) / 10, s.lr(i), 1e-18);
        assertEquals(1e-3, s.lr(9), 1e-18);
        assertEquals(1e-3, s.lr(10), 1e-18, "cosine starts at lr0");
    }

    @Test
    void cosineHalfwayEndpointAndMonotone() {
        double lr0 = 2e-3, lrMin = 2e-5;
        Schedules.Schedule s = Schedules.warmupCosine(lr0, lrMin, 100, 1100);
        assertEquals((lr0 + lrMin) / 2, s.lr(600), 1e-15, "midpoint of the cosine is the mean");
        assertEquals(lrMin + (lr0 - lrMin) * 0.5 * (1 + Math.cos(Math.PI * 0.25)), s.lr(350), 1e-15);
        assertEquals(lrMin, s.lr(1100), 0);
        assertEquals(lrMin, s.lr(1_000_000), 0);
        for (int i = 100; i < 1100; i++) assertTrue(s.lr(i + 1) <= s.lr(i), "non-increasing at " + i);
        for (int i = 0; i < 99; i++) assertTrue(s.lr(i + 1) > s.lr(i), "increasing warm-up at " + i);
        // symmetric around the midpoint: lr(W + t) + lr(T - t) = lr0 + lrMin
        for (int t = 0; t <= 1000; t += 37) assertEquals(lr0 + lrMin, s.lr(100 + t) + s.lr(1100 - t), 1e-15);
    }

    @Test
    void noWarmupAndConstantAndValidation() {
        Schedules.Schedule s = Schedules.warmupCosine(1.0, 0.0, 0, 4);
        assertArrayEquals(new double[]{1.0, 0.5 * (1 + Math.cos(Math.PI / 4)), 0.5, 0.5 * (1 + Math.cos(3 * Math.PI / 4)), 0.0},
                new double[]{s.lr(0), s.lr(1), s.lr(2), s.lr(3), s.lr(4)}, 1e-15);
        assertEquals(3e-4, Schedules.constant(3e-4).lr(123456), 0);
        assertThrows(IllegalArgumentException.class, () -> Schedules.warmupCosine(1e-3, 1e-5, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> Schedules.warmupCosine(1e-3, 1e-2, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> Schedules.warmupCosine(Double.NaN, 0, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> Schedules.constant(-1));
        assertThrows(IllegalArgumentException.class, () -> s.lr(-1));
    }

    @Test
    void earlyStoppingCountsPatienceWithMinDelta() {
        EarlyStopping es = new EarlyStopping(3, 0.01);
        assertTrue(es.update(0, 1.0));
        assertTrue(es.update(1, 0.9));
        assertFalse(es.update(2, 0.895), "improvement smaller than minDelta does not count");
        assertFalse(es.update(3, Double.NaN), "NaN never improves");
        assertFalse(es.shouldStop());
        assertTrue(es.update(4, 0.85));
        assertEquals(0, es.epochsWithoutImprovement());
        assertEquals(4, es.bestEpoch());
        assertEquals(0.85, es.bestValue());
        assertFalse(es.update(5, 0.86));
        assertFalse(es.update(6, 0.9));
        assertFalse(es.shouldStop());
        // state survives a JSON round trip (checkpoint + --resume)
        @SuppressWarnings("unchecked")
        EarlyStopping back = EarlyStopping.fromState((Map<String, Object>) Json.parse(Json.write(es.state())));
        assertFalse(back.update(7, 0.845));
        assertTrue(back.shouldStop());
        assertFalse(es.update(7, 0.845));
        assertTrue(es.shouldStop());
        assertEquals(es.state(), back.state());
        assertThrows(IllegalArgumentException.class, () -> es.update(3, 0.1));
    }

    @Test
    void earlyStoppingFirstFiniteValueIsBestAndFreshStateRoundTrips() {
        EarlyStopping es = new EarlyStopping(1, 0);
        assertFalse(es.update(0, Double.POSITIVE_INFINITY));
        assertTrue(es.shouldStop());
        @SuppressWarnings("unchecked")
        EarlyStopping fresh = EarlyStopping.fromState((Map<String, Object>) Json.parse(Json.write(new EarlyStopping(5, 0.1).state())));
        assertEquals(-1, fresh.bestEpoch());
        assertEquals(Double.POSITIVE_INFINITY, fresh.bestValue());
        assertTrue(fresh.update(0, 1e9));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(0, 0));
    }
}
