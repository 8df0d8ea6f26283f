package org.unite4j.bindings.cublas;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * cuBLAS through the Foreign Function & Memory API (the few entry points unite4j needs):
 * cublasCreate/Destroy/SetStream and S/D gemmStridedBatched, on raw device pointers (longs), so any
 * framework's buffers work. Column-major, as cuBLAS: for each batch i,
 * C_i = alpha op(A_i) op(B_i) + beta C_i with X_i = X + i * strideX (in elements).
 *
 * <p>Loads libcublas.so.13 (CUDA 13), else libcublas.so.12, from the loader path or from the folder
 * in the system property {@code unite.cublas.dir} (or env {@code UNITE_CUBLAS_DIR}), preloading
 * libcublasLt from the same folder. Why not JCublas: its 12.6 natives link libcublas.so.12 with
 * versioned symbols ({@code libcublas.so.12} only), which CUDA 13 does not ship; FFM binds the
 * unversioned C symbols of whichever major version is installed.
 * The calling thread must have the CUDA primary context current (as org.unite4j.backend.cuda does).
 */
public final class Cublas implements AutoCloseable {
    public static final int OP_N = 0, OP_T = 1;
    private static final String[] VERSIONS = {"13", "12"};
    private static volatile Lib lib;
    private static volatile String reason;
    private static boolean probed;

    private record Lib(String name, MethodHandle create, MethodHandle destroy, MethodHandle setStream, MethodHandle sgemm,
                       MethodHandle dgemm) {}

    private final MemorySegment handle;
    private boolean closed;

    private Cublas(MemorySegment handle) {
        this.handle = handle;
    }

    private static synchronized void probe() {
        if (probed) return;
        probed = true;
        List<String> tried = new ArrayList<>();
        String dir = System.getProperty("unite.cublas.dir", System.getenv("UNITE_CUBLAS_DIR"));
        Arena global = Arena.global();
        for (String v : VERSIONS) {
            String so = "libcublas.so." + v;
            try {
                SymbolLookup look;
                if (dir != null && !dir.isBlank() && Files.exists(Path.of(dir, so))) {
                    Path lt = Path.of(dir, "libcublasLt.so." + v);
                    if (Files.exists(lt)) SymbolLookup.libraryLookup(lt, global);
                    look = SymbolLookup.libraryLookup(Path.of(dir, so), global);
                    so = Path.of(dir, so).toString();
                } else {
                    look = SymbolLookup.libraryLookup(so, global);
                }
                lib = bind(so, look);
                return;
            } catch (IllegalArgumentException | UnsatisfiedLinkError | IllegalStateException e) {
                tried.add(so + ": " + e.getMessage());
            }
        }
        reason = "cuBLAS not found (tried " + String.join("; ", tried) + (dir == null ? "; set -Dunite.cublas.dir=FOLDER" : "") + ")";
    }

    private static Lib bind(String name, SymbolLookup look) {
        Linker L = Linker.nativeLinker();
        java.util.function.Function<String, MemorySegment> sym = s -> look.find(s)
                .orElseThrow(() -> new IllegalStateException("symbol " + s + " missing in " + name));
        MethodHandle create = L.downcallHandle(sym.apply("cublasCreate_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle destroy = L.downcallHandle(sym.apply("cublasDestroy_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle setStream = L.downcallHandle(sym.apply("cublasSetStream_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        FunctionDescriptor gemm = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT);
        MethodHandle sgemm = L.downcallHandle(sym.apply("cublasSgemmStridedBatched"), gemm);
        MethodHandle dgemm = L.downcallHandle(sym.apply("cublasDgemmStridedBatched"), gemm);
        return new Lib(name, create, destroy, setStream, sgemm, dgemm);
    }

    /** Whether a cuBLAS library (13 or 12) could be loaded and bound. Never throws. */
    public static boolean isAvailable() {
        probe();
        return lib != null;
    }

    /** Why {@link #isAvailable()} is false; null when it is true. */
    public static String unavailableReason() {
        probe();
        return lib != null ? null : reason;
    }

    /** The library bound (file name or path). */
    public static String libraryName() {
        probe();
        return lib == null ? null : lib.name();
    }

    private static Lib lib() {
        probe();
        if (lib == null) throw new IllegalStateException(reason);
        return lib;
    }

    /** cublasCreate on the current device (the primary context must be current). */
    public static Cublas create() {
        Lib l = lib();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check((int) l.create().invokeExact(out), "cublasCreate");
            return new Cublas(out.get(ADDRESS, 0));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Runs later calls on the CUDA stream with this raw handle (0 = default stream). */
    public void setStream(long stream) {
        ensureOpen();
        try {
            check((int) lib().setStream().invokeExact(handle, MemorySegment.ofAddress(stream)), "cublasSetStream");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Batched single-precision GEMM on device pointers (column-major; strides in elements). */
    public void sgemmStridedBatched(int transA, int transB, int m, int n, int k, float alpha, long A, int lda, long strideA,
                                    long B, int ldb, long strideB, float beta, long C, int ldc, long strideC, int batch) {
        ensureOpen();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment al = a.allocate(JAVA_FLOAT), be = a.allocate(JAVA_FLOAT);
            al.set(JAVA_FLOAT, 0, alpha);
            be.set(JAVA_FLOAT, 0, beta);
            check((int) lib().sgemm().invokeExact(handle, transA, transB, m, n, k, al, MemorySegment.ofAddress(A), lda, strideA,
                    MemorySegment.ofAddress(B), ldb, strideB, be, MemorySegment.ofAddress(C), ldc, strideC, batch), "cublasSgemmStridedBatched");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Batched double-precision GEMM on device pointers (column-major; strides in elements). */
    public void dgemmStridedBatched(int transA, int transB, int m, int n, int k, double alpha, long A, int lda, long strideA,
                                    long B, int ldb, long strideB, double beta, long C, int ldc, long strideC, int batch) {
        ensureOpen();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment al = a.allocate(JAVA_DOUBLE), be = a.allocate(JAVA_DOUBLE);
            al.set(JAVA_DOUBLE, 0, alpha);
            be.set(JAVA_DOUBLE, 0, beta);
            check((int) lib().dgemm().invokeExact(handle, transA, transB, m, n, k, al, MemorySegment.ofAddress(A), lda, strideA,
                    MemorySegment.ofAddress(B), ldb, strideB, be, MemorySegment.ofAddress(C), ldc, strideC, batch), "cublasDgemmStridedBatched");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("cuBLAS handle already destroyed");
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            check((int) lib().destroy().invokeExact(handle), "cublasDestroy");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static final Map<Integer, String> STATUS = Map.of(0, "CUBLAS_STATUS_SUCCESS", 1, "CUBLAS_STATUS_NOT_INITIALIZED", 3,
            "CUBLAS_STATUS_ALLOC_FAILED", 7, "CUBLAS_STATUS_INVALID_VALUE", 8, "CUBLAS_STATUS_ARCH_MISMATCH", 11,
            "CUBLAS_STATUS_MAPPING_ERROR", 13, "CUBLAS_STATUS_EXECUTION_FAILED", 14, "CUBLAS_STATUS_INTERNAL_ERROR", 15,
            "CUBLAS_STATUS_NOT_SUPPORTED", 16, "CUBLAS_STATUS_LICENSE_ERROR");

    /** The cuBLAS status name of a code. */
    public static String statusName(int code) {
        return STATUS.getOrDefault(code, "CUBLAS_STATUS_" + code);
    }

    static void check(int status, String what) {
        if (status != 0) throw new CublasException(what + " failed: " + statusName(status) + " (" + status + ")", status);
    }

    /** A cuBLAS call that returned a non-success status. */
    public static final class CublasException extends RuntimeException {
        private final int status;

        CublasException(String msg, int status) {
            super(msg);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
