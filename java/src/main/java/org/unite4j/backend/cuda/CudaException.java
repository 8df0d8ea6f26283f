package org.unite4j.backend.cuda;

import jcuda.driver.CUresult;

/**
 * A failed CUDA driver call, with the CUDA error name (e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}) and
 * the operation that failed.
 */
public final class CudaException extends RuntimeException {
    private final int code;

    public CudaException(String message) {
        super(message);
        this.code = -1;
    }

    CudaException(int code, String what) {
        super(what + " failed: " + errorName(code) + " (" + code + ")");
        this.code = code;
    }

    /** The CUresult code, or -1 when the failure did not come from a driver call. */
    public int code() {
        return code;
    }

    /** Throws a {@link CudaException} naming {@code what} when {@code result != CUDA_SUCCESS}. */
    static void check(int result, String what) {
        if (result != CUresult.CUDA_SUCCESS) throw new CudaException(result, what);
    }

    static String errorName(int code) {
        try {
            return CUresult.stringFor(code);
        } catch (Throwable t) {
            return "CUDA error " + code;
        }
    }
}
