package org.unite4j.backend.cuda;

/**
 * A 1-D launch: {@code gridX} blocks of {@code blockX} threads. The tensor-product kernels use one
 * warp (32 lanes = channels) per (row, irrep block, 32-channel tile) and 128-thread blocks; the
 * elementwise kernels one thread per element and 256-thread blocks.
 */
public record LaunchConfig(long gridX, int blockX, int sharedBytes) {
    public static final int WARP = 32, TP_BLOCK = 128, ELEMENT_BLOCK = 256;
    /** gridDim.x limit of every CUDA device since compute capability 3.0. */
    public static final long MAX_GRID_X = Integer.MAX_VALUE;

    /** Dynamic shared memory available to a block without opting in (48 KiB on every CUDA device). */
    public static final int MAX_DEFAULT_SHARED = 48 * 1024;

    public LaunchConfig(long gridX, int blockX) {
        this(gridX, blockX, 0);
    }

    public LaunchConfig {
        if (sharedBytes < 0 || sharedBytes > MAX_DEFAULT_SHARED)
            throw new IllegalArgumentException(sharedBytes + " B of dynamic shared memory exceeds " + MAX_DEFAULT_SHARED + " B");
        if (gridX < 0 || gridX > MAX_GRID_X)
            throw new IllegalArgumentException("grid of " + gridX + " blocks exceeds the CUDA limit of " + MAX_GRID_X);
        if (blockX <= 0 || blockX > 1024) throw new IllegalArgumentException("block of " + blockX + " threads");
    }

    public static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** Channel tiles of one warp each: ceil(C / 32). */
    public static int channelTiles(int channels) {
        if (channels <= 0) throw new IllegalArgumentException("channel count must be positive: " + channels);
        return (int) ceilDiv(channels, WARP);
    }

    /** Warps for a kernel over rows x blocks x channel tiles. */
    public static long tpWarps(long rows, int blocks, int channels) {
        return Math.multiplyExact(Math.multiplyExact(rows, (long) blocks), (long) channelTiles(channels));
    }

    /** Enough 128-thread blocks for {@code warps} warps. */
    public static LaunchConfig forWarps(long warps) {
        return new LaunchConfig(ceilDiv(Math.multiplyExact(warps, (long) WARP), TP_BLOCK), TP_BLOCK);
    }

    /**
     * The "row" tensor-product kernels: one warp per (row, 32-channel tile), each warp with a
     * shared-memory slice of {@code dim} x 32 floats.
     */
    public static LaunchConfig forRowWarps(long warps, int dim) {
        return new LaunchConfig(ceilDiv(Math.multiplyExact(warps, (long) WARP), TP_BLOCK), TP_BLOCK, rowSharedBytes(dim));
    }

    /** Shared memory of a 128-thread block of a row kernel: 4 warps x dim x 32 floats. */
    public static int rowSharedBytes(int dim) {
        return Math.toIntExact((long) (TP_BLOCK / WARP) * dim * WARP * 4);
    }

    /**
     * Warps per block of a "staged" kernel whose warps each own {@code floatsPerChannel} x 32 floats
     * of shared memory: as many as fit 48 KiB, at most 4; 0 when not even one fits.
     */
    public static int stagedWarpsPerBlock(int floatsPerChannel) {
        if (floatsPerChannel <= 0) throw new IllegalArgumentException("staged slice of " + floatsPerChannel + " floats");
        long perWarp = (long) floatsPerChannel * WARP * 4;
        return (int) Math.min(TP_BLOCK / WARP, MAX_DEFAULT_SHARED / perWarp);
    }

    /** The "staged" tensor-product kernels: one warp per (row, 32-channel tile), {@link #stagedWarpsPerBlock} per block. */
    public static LaunchConfig forStagedWarps(long warps, int floatsPerChannel) {
        int wpb = stagedWarpsPerBlock(floatsPerChannel);
        if (wpb == 0)
            throw new IllegalArgumentException("a staged slice of " + floatsPerChannel + " floats per channel exceeds " + MAX_DEFAULT_SHARED + " B");
        return new LaunchConfig(ceilDiv(warps, wpb), wpb * WARP, wpb * floatsPerChannel * WARP * 4);
    }

    /** One thread per element, 256 per block. */
    public static LaunchConfig forElements(long n) {
        return new LaunchConfig(ceilDiv(n, ELEMENT_BLOCK), ELEMENT_BLOCK);
    }

    public long threads() {
        return gridX * blockX;
    }
}
