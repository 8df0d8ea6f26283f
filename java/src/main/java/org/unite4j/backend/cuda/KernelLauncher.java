package org.unite4j.backend.cuda;

import jcuda.driver.CUstream;

/**
 * What {@link CudaKernels} needs from a device: launch a kernel of the unite4j module and upload a
 * small int32 table. {@link CudaBackend} is the real one; tests record launches to check every
 * argument list against the kernel signatures in the PTX, without a GPU.
 */
interface KernelLauncher {
    /**
     * Launches {@code kernel} on a 1-D grid. Arguments: {@link DeviceBuffer} or {@link CudaBackend.Ptr}
     * (device addresses, 64-bit), Integer (32-bit), Long (64-bit), Float (32-bit float).
     */
    void launch(String kernel, LaunchConfig cfg, CUstream stream, Object... args);

    /** A device copy of {@code a}. */
    DeviceBuffer upload(int[] a);

    /** An uninitialized device buffer of n float32 values (partial sums of a split reduction). */
    DeviceBuffer allocateFloats(long n);
}
