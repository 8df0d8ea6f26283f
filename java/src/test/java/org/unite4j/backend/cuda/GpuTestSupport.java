package org.unite4j.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;

/** Shared helpers of the GPU tests: skip with a printed reason where there is no usable GPU. */
final class GpuTestSupport {
    private GpuTestSupport() {}

    static CudaBackend requireGpu() {
        boolean ok = CudaBackend.isAvailable();
        if (!ok) System.out.println("[cuda] GPU test skipped: " + CudaBackend.unavailableReason());
        assumeTrue(ok, () -> "no usable GPU: " + CudaBackend.unavailableReason());
        return CudaBackend.get();
    }

    static float[] random(SplittableRandom r, long n) {
        float[] a = new float[Math.toIntExact(n)];
        for (int i = 0; i < a.length; i++) a[i] = (float) (2 * r.nextDouble() - 1);
        return a;
    }

    /** A receiver-sorted CSR graph with 0..maxDeg edges per node (some isolated), random senders. */
    static int[][] randomCsr(SplittableRandom r, int n, int maxDeg) {
        int[] rowPtr = new int[n + 1];
        for (int a = 0; a < n; a++) rowPtr[a + 1] = rowPtr[a] + r.nextInt(maxDeg + 1);
        int[] sender = new int[rowPtr[n]];
        for (int k = 0; k < sender.length; k++) sender[k] = r.nextInt(n);
        return new int[][] {rowPtr, sender};
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }

    static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }

    static void assertAllFinite(float[] a, String what) {
        for (int i = 0; i < a.length; i++)
            if (!Float.isFinite(a[i])) throw new AssertionError(what + "[" + i + "] = " + a[i] + " (unwritten or overflow)");
    }

    static boolean bitwiseEqual(float[] a, float[] b) {
        if (a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) return false;
        return true;
    }
}
