package org.unite4j.backend.cuda;

/**
 * Prints the CUDA device unite4j would use (name, compute capability, SMs, memory, driver, kernel
 * image) or "no GPU: reason"; exit status 0 or 3. Used by gpu-bundle/run.sh.
 */
public final class CudaInfo {
    private CudaInfo() {}

    public static void main(String[] args) {
        if (!CudaBackend.isAvailable()) {
            System.out.println("no GPU: " + CudaBackend.unavailableReason());
            System.exit(3);
        }
        System.out.println("GPU: " + CudaBackend.get().describe());
    }
}
