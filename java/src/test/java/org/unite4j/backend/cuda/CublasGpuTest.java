package org.unite4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.unite4j.backend.cuda.GpuTestSupport.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.unite4j.bindings.cublas.Cublas;

/**
 * cuBLAS (FFM binding) on JCuda device buffers: batched GEMM, the per-irrep linear layer's kernel,
 * against a float64 product on the host. Skipped without a GPU or without a cuBLAS library.
 */
class CublasGpuTest {
    @Test
    void stridedBatchedSgemmMatchesHostProduct() {
        CudaBackend b = requireGpu();
        if (!Cublas.isAvailable()) System.out.println("[cuda] cuBLAS test skipped: " + Cublas.unavailableReason());
        assumeTrue(Cublas.isAvailable(), Cublas::unavailableReason);
        System.out.println("[cuda] cuBLAS: " + Cublas.libraryName());
        int m = 37, n = 19, k = 32, batch = 5;   // column-major: C (m x n) = A (m x k) B (k x n)
        SplittableRandom r = new SplittableRandom(3);
        float[] A = random(r, (long) m * k * batch), B = random(r, (long) k * n * batch);
        b.makeCurrent();
        try (DeviceBuffer dA = b.upload(A); DeviceBuffer dB = b.upload(B); DeviceBuffer dC = b.allocateFloats((long) m * n * batch).fill(Float.NaN);
             Cublas blas = Cublas.create()) {
            blas.setStream(0);
            blas.sgemmStridedBatched(Cublas.OP_N, Cublas.OP_N, m, n, k, 1f, dA.address(), m, (long) m * k, dB.address(), k,
                    (long) k * n, 0f, dC.address(), m, (long) m * n, batch);
            b.synchronize();
            float[] C = dC.downloadFloats();
            for (int i = 0; i < batch; i++)
                for (int col = 0; col < n; col++)
                    for (int row = 0; row < m; row++) {
                        double ref = 0;
                        for (int q = 0; q < k; q++) ref += (double) A[i * m * k + q * m + row] * B[i * k * n + col * k + q];
                        assertEquals(ref, C[i * m * n + col * m + row], 1e-5 * (1 + Math.abs(ref)), "batch " + i + " (" + row + "," + col + ")");
                    }
        }
    }
}
