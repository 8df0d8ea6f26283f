package org.unite4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * Without a GPU: how a long sum is split into runs (CudaComputeBackend.split). Every term lands in
 * exactly one run, the partial buffer stays bounded, and short sums or launches with many outputs
 * are not split (their kernels are unchanged).
 */
class SplitReductionTest {
    @Test
    void runsCoverEveryTermOnceWithBoundedPartials() {
        for (long outputs : new long[] {1, 3, 240, 7680, 100_000, (1L << 18) - 1})
            for (int length : new int[] {1024, 1025, 4096, 65_858, 1_000_003, 2_538_772}) {
                int[] sp = CudaComputeBackend.split(outputs, length);
                int per = sp[0], parts = sp[1];
                assertTrue(parts >= 2, outputs + " x " + length + ": split");
                assertTrue((long) per * parts >= length && (long) per * (parts - 1) < length,
                        outputs + " x " + length + ": runs of " + per + " x " + parts + " cover the terms, none empty");
                assertTrue(parts <= 1024 && per >= 128 || per * 2L > length / 1024, "runs of " + per);
                assertTrue(outputs * parts <= Math.max(2 * outputs, CudaComputeBackend.SPLIT_MAX_PARTIALS), "partials " + outputs * parts);
            }
    }

    @Test
    void shortSumsAndWideLaunchesAreNotSplit() {
        assertArrayEquals(new int[] {1023, 1}, CudaComputeBackend.split(10, 1023));
        assertArrayEquals(new int[] {100_000, 1}, CudaComputeBackend.split(1L << 18, 100_000));
        assertArrayEquals(new int[] {1, 1}, CudaComputeBackend.split(5, 0));
        // a function of the sizes only: the same split on every call (bitwise reproducible sums)
        assertArrayEquals(CudaComputeBackend.split(7680, 65_858), CudaComputeBackend.split(7680, 65_858));
    }
}
