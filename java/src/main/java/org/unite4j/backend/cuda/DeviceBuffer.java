package org.unite4j.backend.cuda;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * A block of device memory taken from the {@link DeviceMemoryPool} of a {@link CudaBackend}.
 * {@link #close()} gives it back to the pool (it is not freed: the pool caches it for reuse).
 * Sizes are in bytes; the typed helpers copy float32/int32 arrays, synchronously.
 */
public final class DeviceBuffer implements AutoCloseable {
    private final DeviceMemoryPool pool;
    private final long address;
    private final long bytes;       // the size asked for
    private final long capacity;    // the size of the pooled block (>= bytes)
    private volatile boolean closed;

    DeviceBuffer(DeviceMemoryPool pool, long address, long bytes, long capacity) {
        this.pool = pool;
        this.address = address;
        this.bytes = bytes;
        this.capacity = capacity;
    }

    /** The device address (for the raw-pointer kernel entry points and other frameworks). */
    public long address() {
        ensureOpen();
        return address;
    }

    long addressUnchecked() {
        return address;
    }

    public long bytes() {
        return bytes;
    }

    long capacity() {
        return capacity;
    }

    /** Number of 4-byte elements (float32 or int32). */
    public long length4() {
        return bytes / 4;
    }

    CUdeviceptr ptr() {
        ensureOpen();
        return Jcu.devicePtr(address);
    }

    public DeviceBuffer upload(float[] src) {
        checkLen(src.length, "upload(float[])");
        pool.backend().makeCurrent();
        long t0 = CudaProfile.enabled() ? CudaProfile.begin(pool.backend()) : 0;
        CudaException.check(cuMemcpyHtoD(ptr(), Pointer.to(src), 4L * src.length), "cuMemcpyHtoD(" + 4L * src.length + " B)");
        if (CudaProfile.enabled()) CudaProfile.end(pool.backend(), "memcpy HtoD", t0);
        return this;
    }

    public DeviceBuffer upload(int[] src) {
        checkLen(src.length, "upload(int[])");
        pool.backend().makeCurrent();
        long t0 = CudaProfile.enabled() ? CudaProfile.begin(pool.backend()) : 0;
        CudaException.check(cuMemcpyHtoD(ptr(), Pointer.to(src), 4L * src.length), "cuMemcpyHtoD(" + 4L * src.length + " B)");
        if (CudaProfile.enabled()) CudaProfile.end(pool.backend(), "memcpy HtoD", t0);
        return this;
    }

    public float[] download(float[] dst) {
        checkLen(dst.length, "download(float[])");
        pool.backend().makeCurrent();
        long t0 = CudaProfile.enabled() ? CudaProfile.begin(pool.backend()) : 0;
        CudaException.check(cuMemcpyDtoH(Pointer.to(dst), ptr(), 4L * dst.length), "cuMemcpyDtoH(" + 4L * dst.length + " B)");
        if (CudaProfile.enabled()) CudaProfile.end(pool.backend(), "memcpy DtoH", t0);
        return dst;
    }

    public float[] downloadFloats() {
        return download(new float[Math.toIntExact(length4())]);
    }

    public int[] download(int[] dst) {
        checkLen(dst.length, "download(int[])");
        pool.backend().makeCurrent();
        long t0 = CudaProfile.enabled() ? CudaProfile.begin(pool.backend()) : 0;
        CudaException.check(cuMemcpyDtoH(Pointer.to(dst), ptr(), 4L * dst.length), "cuMemcpyDtoH(" + 4L * dst.length + " B)");
        if (CudaProfile.enabled()) CudaProfile.end(pool.backend(), "memcpy DtoH", t0);
        return dst;
    }

    /** Sets every 4-byte word to the bits of {@code v} (e.g. NaN to poison an output). */
    public DeviceBuffer fill(float v) {
        pool.backend().makeCurrent();
        long t0 = CudaProfile.enabled() ? CudaProfile.begin(pool.backend()) : 0;
        CudaException.check(cuMemsetD32(ptr(), Float.floatToRawIntBits(v), length4()), "cuMemsetD32");
        if (CudaProfile.enabled()) CudaProfile.end(pool.backend(), "memset", t0);
        return this;
    }

    /** Copies all of {@code src} (same size) into this buffer, device to device. */
    public DeviceBuffer copyFrom(DeviceBuffer src) {
        if (src.bytes != bytes) throw new IllegalArgumentException("copyFrom: sizes differ (" + src.bytes + " B vs " + bytes + " B)");
        pool.backend().makeCurrent();
        long t0 = CudaProfile.enabled() ? CudaProfile.begin(pool.backend()) : 0;
        CudaException.check(cuMemcpyDtoD(ptr(), src.ptr(), bytes), "cuMemcpyDtoD(" + bytes + " B)");
        if (CudaProfile.enabled()) CudaProfile.end(pool.backend(), "memcpy DtoD", t0);
        return this;
    }

    private void checkLen(int n, String what) {
        if (4L * n > bytes)
            throw new IllegalArgumentException(what + ": " + n + " elements (" + 4L * n + " B) do not fit a device buffer of " + bytes + " B");
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("device buffer already closed");
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        pool.release(this);
    }

    @Override
    public String toString() {
        return "DeviceBuffer[0x" + Long.toHexString(address) + ", " + bytes + " B" + (closed ? ", closed" : "") + "]";
    }
}
