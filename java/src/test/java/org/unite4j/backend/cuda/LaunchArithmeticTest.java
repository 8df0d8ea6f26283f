package org.unite4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Launch-configuration and pool size-class arithmetic (no GPU needed). */
class LaunchArithmeticTest {
    @Test
    void channelTilesAreCeilOf32() {
        assertEquals(1, LaunchConfig.channelTiles(1));
        assertEquals(1, LaunchConfig.channelTiles(32));
        assertEquals(2, LaunchConfig.channelTiles(33));
        assertEquals(4, LaunchConfig.channelTiles(128));
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.channelTiles(0));
    }

    @Test
    void tpGridCoversEveryWarpExactlyOnceRoundedToBlocks() {
        for (long rows : new long[] {0, 1, 3, 1000, 123457}) {
            for (int blocks : new int[] {1, 3, 5}) {
                for (int c : new int[] {8, 32, 40, 64}) {
                    long warps = LaunchConfig.tpWarps(rows, blocks, c);
                    assertEquals(rows * blocks * ((c + 31) / 32), warps);
                    LaunchConfig cfg = LaunchConfig.forWarps(warps);
                    assertEquals(128, cfg.blockX());
                    assertTrue(cfg.threads() >= warps * 32, "grid covers all warps");
                    assertTrue(cfg.threads() - warps * 32 < 128, "at most one partial block");
                }
            }
        }
    }

    @Test
    void elementGridAndLimits() {
        assertEquals(0, LaunchConfig.forElements(0).gridX());
        assertEquals(1, LaunchConfig.forElements(1).gridX());
        assertEquals(1, LaunchConfig.forElements(256).gridX());
        assertEquals(2, LaunchConfig.forElements(257).gridX());
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.forElements(256L * Integer.MAX_VALUE + 256));
        assertThrows(ArithmeticException.class, () -> LaunchConfig.tpWarps(Long.MAX_VALUE / 2, 3, 32));
    }

    @Test
    void poolSizeClasses() {
        assertEquals(512, DeviceMemoryPool.sizeClass(0));
        assertEquals(512, DeviceMemoryPool.sizeClass(512));
        assertEquals(1024, DeviceMemoryPool.sizeClass(513));
        assertEquals(1 << 20, DeviceMemoryPool.sizeClass((1 << 20) - 5));
        assertEquals(2L << 20, DeviceMemoryPool.sizeClass((1 << 20) + 1));
        assertEquals(4L << 20, DeviceMemoryPool.sizeClass((2L << 20) + 1));
        for (long b = 0; b < 10_000_000; b += 99_991) {
            long c = DeviceMemoryPool.sizeClass(b);
            assertTrue(c >= b && c <= Math.max(512, 2 * b + (2L << 20)), b + " -> " + c);
        }
        assertThrows(IllegalArgumentException.class, () -> DeviceMemoryPool.sizeClass(-1));
    }
}
