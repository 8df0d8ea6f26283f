package org.unite4j.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The CPU backend's thread pool. {@link #forRange} splits 0..n-1 into at most {@link #threads()}
 * contiguous chunks; every kernel writes each output element from exactly one chunk, summing in
 * an order that does not depend on the chunking, so results are bitwise identical for any thread
 * count. The count comes from the system property {@code unite.cpu.threads} (default: available
 * processors) and can be changed with {@link #setThreads(int)}. Calls from inside a worker run
 * inline (no nested parallelism, no deadlock).
 */
public final class Parallel {

    /** The body of a parallel loop over [lo, hi). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int lo, int hi);
    }

    private static final class Worker extends Thread {
        Worker(Runnable r) {
            super(r, "unite-cpu-worker");
            setDaemon(true);
        }
    }

    private static final ExecutorService POOL = Executors.newCachedThreadPool(Worker::new);
    private static volatile int threads = initialThreads();
    private static volatile boolean ignoreGrain;

    private Parallel() {
    }

    private static int initialThreads() {
        String p = System.getProperty("unite.cpu.threads");
        if (p != null) {
            try {
                int t = Integer.parseInt(p.trim());
                if (t >= 1) {
                    return t;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the default
            }
            throw new IllegalArgumentException("unite.cpu.threads must be an integer >= 1, got '" + p + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    public static int threads() {
        return threads;
    }

    /** Sets the number of threads used by later kernels (>= 1). */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("thread count must be >= 1, got " + n);
        }
        threads = n;
    }

    /**
     * When on, loops split over all threads even below their grain size: determinism checks use
     * it so that small test inputs really run on several threads.
     */
    public static void setIgnoreGrain(boolean on) {
        ignoreGrain = on;
    }

    /**
     * Runs body over [0, n) in contiguous chunks of at least {@code grain} indices, on up to
     * {@link #threads()} threads; returns when all chunks are done and rethrows their exceptions.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        int t = Math.min(threads, Math.max(1, ignoreGrain ? n : n / Math.max(1, grain)));
        if (t <= 1 || Thread.currentThread() instanceof Worker) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(t - 1);
        for (int i = 1; i < t; i++) {
            int lo = (int) ((long) n * i / t);
            int hi = (int) ((long) n * (i + 1) / t);
            futures.add(POOL.submit(() -> body.run(lo, hi)));
        }
        Throwable first = null;
        try {
            body.run(0, (int) ((long) n / t));
        } catch (Throwable ex) {
            first = ex;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException ex) {
                if (first == null) {
                    first = ex.getCause();
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                if (first == null) {
                    first = ex;
                }
            }
        }
        if (first instanceof RuntimeException re) {
            throw re;
        }
        if (first instanceof Error err) {
            throw err;
        }
        if (first != null) {
            throw new IllegalStateException(first);
        }
    }
}
