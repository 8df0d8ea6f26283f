package org.unite4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.*;
import static org.unite4j.backend.cuda.GpuTestSupport.requireGpu;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.unite4j.backend.Backend;
import org.unite4j.backend.Backends;
import org.unite4j.backend.DType;
import org.unite4j.backend.Storage;

/**
 * Device memory of storages nobody references goes back to the pool through a Cleaner, i.e. only
 * after a GC; a program whose host heap barely grows (the model on large inputs, the scaling sweep)
 * must not run the device out of memory with blocks that are already garbage. The pool asks for GCs
 * before an allocation fails, and never hands out a block still in use.
 */
class CudaMemoryGpuTest {
    @Test
    void unreachableStoragesFreeTheirMemoryBeforeAnAllocationFails() {
        CudaBackend gpu = requireGpu();
        Backend cuda = Backends.get("cuda");
        double[] pattern = new SplittableRandom(7).doubles(1 << 20, -1, 1).toArray();
        Storage kept = cuda.fromDoubles(pattern, DType.FLOAT32);
        int n = 1 << 28; // 1 GiB of float32 per storage
        long total = 0, target = gpu.totalMemory() * 3 / 2;
        int count = 0;
        while (total < target) {
            Storage s = cuda.allocate(DType.FLOAT32, n); // dropped at once: garbage for the device only
            assertEquals(n, s.size());
            total += 4L * n;
            count++;
        }
        double[] back = cuda.toDoubles(kept);
        for (int i = 0; i < pattern.length; i++)
            assertEquals((float) pattern[i], (float) back[i], "element " + i + " of a storage still referenced");
        System.out.printf("[cuda] memory: %d x 1 GiB allocated and dropped on a %.1f GiB device, %d GC retries%n",
                count, gpu.totalMemory() / (double) (1L << 30), gpu.pool().gcRetries());
        gpu.pool().trim();
    }
}
