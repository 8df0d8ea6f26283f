package org.unite4j.chem.xtb;

import org.unite4j.bindings.xtb.xtb_h;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An xtb calculation environment ({@code xtb_TEnvironment}): the error stack and output unit of a
 * calculation. Created muted (no printout). Not thread-safe: use one per thread or per call
 * (environments are independent, so several threads may each use their own concurrently).
 * Objects created with it ({@link XtbMolecule}, {@link XtbCalculator}, {@link XtbResults}) must not
 * outlive it.
 */
public final class XtbEnvironment implements AutoCloseable {
    private static final int ERROR_BUFFER = 8192;
    private static final MethodHandle OMP_SET_NUM_THREADS = nativeIntSetter("libgomp.so.1", "omp_set_num_threads");

    static {
        // libxtb's BLAS/LAPACK (OpenBLAS on Debian) single-threaded too: parallelism is over
        // molecules, and a fixed thread count keeps results independent of concurrent callers.
        MethodHandle openblas = nativeIntSetter("libopenblas.so.0", "openblas_set_num_threads");
        if (openblas != null) {
            try {
                openblas.invokeExact(1);
            } catch (Throwable t) {
                throw new ExceptionInInitializerError(t);
            }
        }
    }

    final Arena arena = Arena.ofConfined();
    private MemorySegment handle;

    /** A new muted environment; throws {@link UnsatisfiedLinkError} with advice if libxtb is missing. */
    public XtbEnvironment() {
        handle = xtb_h.xtb_newEnvironment();
        if (handle.equals(MemorySegment.NULL)) {
            arena.close();
            throw new XtbException("xtb_newEnvironment returned NULL");
        }
        xtb_h.xtb_setVerbosity(handle, xtb_h.XTB_VERBOSITY_MUTED());
        // Parallelism is over molecules: keep libxtb's OpenMP regions on the calling thread, which
        // also makes its reductions run in one fixed order (bitwise reproducible results).
        setOpenMpThreadsOfCallingThread(1);
    }

    /** True when libxtb can be loaded and called in this JVM. */
    public static boolean isAvailable() {
        return availabilityProblem().isEmpty();
    }

    /** Why libxtb cannot be used here, or empty when it can. */
    public static Optional<String> availabilityProblem() {
        try {
            xtb_h.xtb_getAPIVersion();
            return Optional.empty();
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError | IllegalCallerException e) {
            return Optional.of(String.valueOf(e.getMessage() != null ? e.getMessage() : e));
        }
    }

    /** libxtb's API version (10000 * major + 100 * minor + patch). */
    public static int apiVersion() {
        return xtb_h.xtb_getAPIVersion();
    }

    /** Sets the printout level: 0 muted (default), 1 minimal, 2 full (to stdout). */
    public void setVerbosity(int level) {
        if (level < 0 || level > 2) throw new IllegalArgumentException("verbosity must be 0, 1 or 2, got " + level);
        xtb_h.xtb_setVerbosity(handle(), level);
    }

    /**
     * Sets the number of OpenMP threads libgomp uses for parallel regions started from the calling
     * thread (a per-thread setting). No effect if libgomp is not loaded.
     */
    public static void setOpenMpThreadsOfCallingThread(int n) {
        if (OMP_SET_NUM_THREADS == null) return;
        try {
            OMP_SET_NUM_THREADS.invokeExact(n);
        } catch (Throwable t) {
            throw new IllegalStateException("omp_set_num_threads failed", t);
        }
    }

    /** A {@code void f(int)} from a library that libxtb loads, or null when absent. */
    private static MethodHandle nativeIntSetter(String library, String symbol) {
        try {
            return SymbolLookup.libraryLookup(library, Arena.global()).find(symbol)
                    .map(a -> Linker.nativeLinker().downcallHandle(a, java.lang.foreign.FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT)))
                    .orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    MemorySegment handle() {
        if (handle == null) throw new IllegalStateException("xtb environment is closed");
        return handle;
    }

    /** True if libxtb has recorded an error in this environment. */
    public boolean hasError() {
        return xtb_h.xtb_checkEnvironment(handle()) != 0;
    }

    /** Returns and clears libxtb's error stack (empty string when there is none). */
    public String takeError() {
        if (!hasError()) return "";
        MemorySegment buf = arena.allocate(ERROR_BUFFER);
        MemorySegment size = arena.allocateFrom(ValueLayout.JAVA_INT, ERROR_BUFFER);
        xtb_h.xtb_getError(handle(), buf, size);
        byte[] bytes = buf.toArray(ValueLayout.JAVA_BYTE);
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) n++;
        return new String(bytes, 0, n, StandardCharsets.UTF_8).strip();
    }

    /** Throws an {@link XtbException} with libxtb's message if the last call recorded an error. */
    void check(String operation) {
        if (hasError()) {
            String msg = takeError().replace('\n', ';').replaceAll("\\s*;\\s*", "; ");
            throw new XtbException(operation + " failed: " + (msg.isEmpty() ? "(no message)" : msg));
        }
    }

    /** Frees a handle through an xtb_del* function that takes a pointer to it. */
    static void delete(MemorySegment h, java.util.function.Consumer<MemorySegment> deleter) {
        if (h == null || h.equals(MemorySegment.NULL)) return;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ValueLayout.ADDRESS);
            p.set(ValueLayout.ADDRESS, 0, h);
            deleter.accept(p);
        }
    }

    @Override
    public void close() {
        if (handle == null) return;
        delete(handle, xtb_h::xtb_delEnvironment);
        handle = null;
        arena.close();
    }
}
