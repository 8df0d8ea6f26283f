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
    void stagedLaunchesFitTheirSharedSlicesIn48KiB() {
        assertEquals(4, LaunchConfig.stagedWarpsPerBlock(47));          // 0e+1o+2e bwd_edge: 6016 B per warp
        assertEquals(3, LaunchConfig.stagedWarpsPerBlock(118));         // 15104 B per warp: 3 fit, 4 do not
        assertEquals(1, LaunchConfig.stagedWarpsPerBlock(384));         // exactly 48 KiB
        assertEquals(0, LaunchConfig.stagedWarpsPerBlock(385));
        for (int f : new int[] {1, 29, 47, 100, 118, 200, 384})
            for (long warps : new long[] {1, 2, 3, 7, 200000}) {
                LaunchConfig cfg = LaunchConfig.forStagedWarps(warps, f);
                int wpb = cfg.blockX() / 32;
                assertEquals(wpb * 32, cfg.blockX());
                assertTrue(cfg.sharedBytes() <= LaunchConfig.MAX_DEFAULT_SHARED);
                assertEquals((long) wpb * f * 32 * 4, cfg.sharedBytes());
                assertTrue(cfg.gridX() * wpb >= warps && (cfg.gridX() - 1) * wpb < warps, "grid covers all warps, one partial block at most");
            }
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.forStagedWarps(10, 385));
    }

    @Test
    void schedulesParseFromPresetsOrTriples() {
        assertEquals(CudaKernels.TpSchedule.STAGED, CudaKernels.TpSchedule.parse("Staged"));
        assertEquals(CudaKernels.TpSchedule.MIXED, CudaKernels.TpSchedule.parse("mixed"));
        CudaKernels.TpSchedule t = CudaKernels.TpSchedule.parse("staged, row ,BLOCK");
        assertEquals(CudaKernels.Kind.STAGED, t.fwd());
        assertEquals(CudaKernels.Kind.ROW, t.edge());
        assertEquals(CudaKernels.Kind.BLOCK, t.node());
        assertThrows(IllegalArgumentException.class, () -> CudaKernels.TpSchedule.parse("fast"));
        assertThrows(IllegalArgumentException.class, () -> CudaKernels.TpSchedule.parse("row,row"));
        // a slice too large for 48 KiB falls back to BLOCK, never to a launch that would fail
        assertEquals(CudaKernels.Kind.BLOCK, CudaKernels.effective(CudaKernels.Kind.STAGED, 10, 385));
        assertEquals(CudaKernels.Kind.STAGED, CudaKernels.effective(CudaKernels.Kind.STAGED, 10, 384));
        assertEquals(CudaKernels.Kind.BLOCK, CudaKernels.effective(CudaKernels.Kind.ROW, 97, 10));
        assertEquals(CudaKernels.Kind.ROW, CudaKernels.effective(CudaKernels.Kind.ROW, 96, 10));
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
