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
 * driver reports out-of-memory the cached blocks are freed and the allocation retried; if the
 * device is still full, up to {@value #GC_RETRIES} GCs are asked for, so that storages nobody
 * references any more hand their blocks back, before the allocation fails.
 * Reuse is safe for work on the legacy default stream (all of {@link CudaKernels}' buffer methods
 * and the synchronous copies of {@link DeviceBuffer} run there, in order); a caller that launches on
 * its own streams must keep a buffer open until that work is done.
 */
public final class DeviceMemoryPool {
    private static final long SMALL_LIMIT = 1L << 20, LARGE_STEP = 2L << 20, MIN_BLOCK = 512;

    private final CudaBackend backend;
    private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
    private static final int GC_RETRIES = 4;
    private static final long GC_WAIT_MS = 50;
    private long bytesInUse, bytesCached, driverAllocs, reuses, gcRetries;

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
        DeviceBuffer cached = fromCache(bytes, cap);
        if (cached != null) return cached;
        backend.makeCurrent();
        CUdeviceptr p = new CUdeviceptr();
        int rc = cuMemAlloc(p, cap);
        // Out of memory: free the cached blocks and retry; then the blocks of storages that are
        // unreachable but not yet collected (a CudaStorage hands its buffer back through a Cleaner,
        // which runs only after a GC; device memory fills long before the Java heap does).
        for (int attempt = 0; rc == CUresult.CUDA_ERROR_OUT_OF_MEMORY && attempt <= GC_RETRIES; attempt++) {
            if (attempt > 0) {
                System.gc();
                try {
                    wait(GC_WAIT_MS * attempt); // releases this monitor, so the Cleaner can release()
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                gcRetries++;
                cached = fromCache(bytes, cap);
                if (cached != null) return cached;
            }
            if (bytesCached > 0) trim();
            rc = cuMemAlloc(p, cap);
        }
        CudaException.check(rc, "cuMemAlloc(" + cap + " B; " + bytesInUse + " B in use)");
        driverAllocs++;
        bytesInUse += cap;
        return new DeviceBuffer(this, Jcu.nativeOf(p), bytes, cap);
    }

    private DeviceBuffer fromCache(long bytes, long cap) {
        ArrayDeque<Long> q = free.get(cap);
        if (q == null || q.isEmpty()) return null;
        long addr = q.pop();
        bytesCached -= cap;
        bytesInUse += cap;
        reuses++;
        return new DeviceBuffer(this, addr, bytes, cap);
    }

    /** GCs a full device may ask for before an allocation fails (the last one waits longest). */
    public synchronized long gcRetries() {
        return gcRetries;
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
