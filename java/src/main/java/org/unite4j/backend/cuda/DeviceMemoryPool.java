package org.unite4j.backend.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;

/**
 * Caching device-memory allocator (one per {@link CudaBackend}). Requests are rounded up to a size
 * class (a power of two up to 1 MiB, then a multiple of 2 MiB); a closed {@link DeviceBuffer} goes
 * back to the free list of its class and is handed out again without a driver call. When the
 * driver reports out-of-memory the cached blocks are freed and the allocation retried once.
 * Reuse is safe for work on the legacy default stream (all of {@link CudaKernels}' buffer methods
 * and the synchronous copies of {@link DeviceBuffer} run there, in order); a caller that launches on
 * its own streams must keep a buffer open until that work is done.
 */
public final class DeviceMemoryPool {
    private static final long SMALL_LIMIT = 1L << 20, LARGE_STEP = 2L << 20, MIN_BLOCK = 512;

    private final CudaBackend backend;
    private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
    private long bytesInUse, bytesCached, driverAllocs, reuses;

    DeviceMemoryPool(CudaBackend backend) {
        this.backend = backend;
    }

    CudaBackend backend() {
        return backend;
    }

    /** The size class a request of {@code bytes} is served from. */
    static long sizeClass(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative allocation size: " + bytes);
        if (bytes <= MIN_BLOCK) return MIN_BLOCK;
        if (bytes <= SMALL_LIMIT) return Long.highestOneBit(bytes - 1) << 1;
        return (bytes + LARGE_STEP - 1) / LARGE_STEP * LARGE_STEP;
    }

    public synchronized DeviceBuffer allocate(long bytes) {
        long cap = sizeClass(bytes);
        ArrayDeque<Long> q = free.get(cap);
        if (q != null && !q.isEmpty()) {
            long addr = q.pop();
            bytesCached -= cap;
            bytesInUse += cap;
            reuses++;
            return new DeviceBuffer(this, addr, bytes, cap);
        }
        backend.makeCurrent();
        CUdeviceptr p = new CUdeviceptr();
        int rc = cuMemAlloc(p, cap);
        if (rc == CUresult.CUDA_ERROR_OUT_OF_MEMORY && bytesCached > 0) {
            trim();
            rc = cuMemAlloc(p, cap);
        }
        CudaException.check(rc, "cuMemAlloc(" + cap + " B; " + bytesInUse + " B in use)");
        driverAllocs++;
        bytesInUse += cap;
        return new DeviceBuffer(this, Jcu.nativeOf(p), bytes, cap);
    }

    synchronized void release(DeviceBuffer b) {
        bytesInUse -= b.capacity();
        bytesCached += b.capacity();
        free.computeIfAbsent(b.capacity(), k -> new ArrayDeque<>()).push(b.addressUnchecked());
    }

    /** Frees every cached (unused) block back to the driver. */
    public synchronized void trim() {
        backend.makeCurrent();
        for (var e : free.entrySet()) {
            for (long addr : e.getValue()) {
                CudaException.check(cuMemFree(Jcu.devicePtr(addr)), "cuMemFree");
                bytesCached -= e.getKey();
            }
            e.getValue().clear();
        }
    }

    public synchronized long bytesInUse() {
        return bytesInUse;
    }

    public synchronized long bytesCached() {
        return bytesCached;
    }

    /** Number of cuMemAlloc calls made, and of requests served from the cache. */
    public synchronized long[] counts() {
        return new long[] {driverAllocs, reuses};
    }
}
