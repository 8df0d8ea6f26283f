package org.unite4j.backend.cuda;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-kernel device times, for finding where a program's GPU time goes without a profiler
 * (the device machines' JDK runtime has none): with {@code -Dunite.cuda.profile=true} (or
 * {@link #setEnabled}) every kernel launch and host-device copy of {@link CudaBackend} is bracketed
 * by device synchronizations and its wall time added to a table keyed by kernel name; the table
 * is printed to stderr at exit when enabled by the property. The synchronizations serialize the
 * host with the device, so a profiled program runs slower; the table's total against the
 * program's wall time tells device work from host work.
 */
public final class CudaProfile {
    private static volatile boolean enabled = Boolean.getBoolean("unite.cuda.profile");
    private static final Map<String, long[]> STATS = new LinkedHashMap<>(); // name -> {count, total ns, max ns}

    static {
        if (enabled) Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.print(table(1))));
    }

    private CudaProfile() {
    }

    public static boolean enabled() {
        return enabled;
    }

    public static void setEnabled(boolean on) {
        enabled = on;
    }

    /** Clears the table. */
    public static synchronized void reset() {
        STATS.clear();
    }

    /** Waits for the device, then returns the start time of a profiled call. */
    static long begin(CudaBackend b) {
        b.synchronize();
        return System.nanoTime();
    }

    /** Waits for the device and records the call's time under name. */
    static void end(CudaBackend b, String name, long t0) {
        if (t0 == 0) return; // profiling was switched on during the call
        b.synchronize();
        long dt = System.nanoTime() - t0;
        synchronized (CudaProfile.class) {
            long[] s = STATS.computeIfAbsent(name, k -> new long[3]);
            s[0]++;
            s[1] += dt;
            s[2] = Math.max(s[2], dt);
        }
    }

    /** Total recorded seconds. */
    public static synchronized double totalSeconds() {
        long t = 0;
        for (long[] s : STATS.values()) t += s[1];
        return t * 1e-9;
    }

    /** The table, largest total first; times divided by {@code calls} (e.g. per model step). */
    public static synchronized String table(int calls) {
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(STATS.entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        long total = 0;
        for (long[] s : STATS.values()) total += s[1];
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-28s %10s %12s %8s %12s%n", "kernel / copy", "launches", "ms", "share", "max us"));
        for (Map.Entry<String, long[]> r : rows) {
            long[] s = r.getValue();
            sb.append(String.format(Locale.ROOT, "%-28s %10.1f %12.3f %7.1f%% %12.1f%n", r.getKey(), s[0] / (double) calls,
                    s[1] * 1e-6 / calls, total == 0 ? 0 : 100.0 * s[1] / total, s[2] * 1e-3));
        }
        sb.append(String.format(Locale.ROOT, "%-28s %10s %12.3f%n", "total", "", total * 1e-6 / calls));
        return sb.toString();
    }
}
