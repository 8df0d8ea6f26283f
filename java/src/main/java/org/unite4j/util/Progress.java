package org.unite4j.util;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A progress bar for long loops, printed to stderr.
 *
 * <pre>
 * epoch 3/50  [=========>          ]  412/900  45.8%  38.1 it/s  ETA 0:12  loss 0.123 val MAE 1.23 kcal/mol
 * </pre>
 *
 * <p>Rate = done / elapsed; ETA = (total - done) / rate. On a terminal ({@link Mode#TERMINAL}) the
 * line is redrawn in place with a carriage return, at most every {@code 200 ms} (5 updates/s). When
 * stderr is not a terminal ({@link Mode#PLAIN}, chosen by {@link Mode#AUTO} when {@code
 * System.console()} is null or not a terminal), each update is a full line, at most one every
 * {@code plainIntervalMs} (default 2 s), so CI logs stay readable. {@link #close()} always prints
 * the final state (and the newline on a terminal). {@link Mode#OFF} prints nothing.
 *
 * <p>Thread-safe: {@link #step} and {@link #setSuffix} may be called from any thread; at most one
 * thread renders at a time, and the throttle is decided by a compare-and-set, so counting never
 * blocks on output.
 */
public final class Progress implements AutoCloseable {
    /** Output style. */
    public enum Mode { AUTO, TERMINAL, PLAIN, OFF }

    /** Minimum time between two redraws on a terminal (5 updates/s). */
    public static final long TERMINAL_INTERVAL_MS = 200;
    /** Default minimum time between two lines in plain mode. */
    public static final long PLAIN_INTERVAL_MS = 2000;

    private static final int BAR_WIDTH = 20;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final Mode mode;
    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private final long startNanos;

    private final AtomicLong done = new AtomicLong();
    private final AtomicLong nextRenderNanos;
    private volatile String suffix = "";
    private final Object renderLock = new Object();
    private int lastWidth; // guarded by renderLock
    private boolean closed; // guarded by renderLock

    /** A bar on System.err in AUTO mode; {@code total <= 0} means unknown (no bar, no ETA). */
    public Progress(String label, long total) {
        this(label, total, System.err, Mode.AUTO, PLAIN_INTERVAL_MS, System::nanoTime);
    }

    /**
     * Full control, for tests and embedding.
     *
     * @param plainIntervalMs minimum time between lines in plain mode (terminal mode uses {@value #TERMINAL_INTERVAL_MS} ms)
     * @param nanoClock       a monotonic clock in nanoseconds (System::nanoTime)
     */
    public Progress(String label, long total, PrintStream out, Mode mode, long plainIntervalMs, LongSupplier nanoClock) {
        if (plainIntervalMs < 0) throw new IllegalArgumentException("plainIntervalMs must be >= 0, got " + plainIntervalMs);
        this.label = label == null ? "" : label;
        this.total = total;
        this.out = out;
        this.mode = mode == Mode.AUTO ? detectMode() : mode;
        this.nanoClock = nanoClock;
        this.intervalNanos = (this.mode == Mode.TERMINAL ? TERMINAL_INTERVAL_MS : plainIntervalMs) * 1_000_000L;
        this.startNanos = nanoClock.getAsLong();
        this.nextRenderNanos = new AtomicLong(startNanos + intervalNanos);
    }

    /** TERMINAL when a console is attached to an interactive terminal, else PLAIN. */
    public static Mode detectMode() {
        Console c = System.console();
        return c != null && c.isTerminal() ? Mode.TERMINAL : Mode.PLAIN;
    }

    /** The mode in use (AUTO resolved). */
    public Mode mode() { return mode; }

    /** Adds one to the count. */
    public void step() {
        step(1);
    }

    /**
     * Raises the count to {@code n} if it is below (a total reported from several threads, which
     * may arrive out of order); never lowers it.
     */
    public void advanceTo(long n) {
        long prev = done.getAndAccumulate(n, Math::max);
        if (n > prev) maybeRender();
    }

    /** Adds {@code n} to the count and redraws if the throttle allows. */
    public void step(long n) {
        done.addAndGet(n);
        maybeRender();
    }

    /** Sets the free text shown after the numbers, e.g. "loss 0.123 val MAE 1.23 kcal/mol". */
    public void setSuffix(String text) {
        suffix = text == null ? "" : text;
        maybeRender();
    }

    /** The count so far. */
    public long count() { return done.get(); }

    private void maybeRender() {
        if (mode == Mode.OFF) return;
        long now = nanoClock.getAsLong();
        long next = nextRenderNanos.get();
        if (now - next < 0) return;
        if (!nextRenderNanos.compareAndSet(next, now + intervalNanos)) return; // another thread renders
        render(now, false);
    }

    /**
     * Prints a message line (e.g. an epoch summary) without tearing the bar: on a terminal the bar
     * line is cleared, the message printed, and the bar redrawn below it; in plain mode the message
     * is just printed. In OFF mode the message is still printed (it is output, not progress).
     */
    public void println(String message) {
        synchronized (renderLock) {
            if (mode == Mode.TERMINAL && lastWidth > 0 && !closed) {
                StringBuilder sb = new StringBuilder().append('\r');
                sb.repeat(' ', lastWidth).append('\r').append(message).append(System.lineSeparator());
                String bar = format(nanoClock.getAsLong());
                sb.append(bar);
                lastWidth = bar.length();
                out.print(sb);
            } else {
                out.println(message);
            }
            out.flush();
        }
    }

    /** Prints the current state now, regardless of the throttle. */
    public void refresh() {
        if (mode == Mode.OFF) return;
        long now = nanoClock.getAsLong();
        nextRenderNanos.set(now + intervalNanos);
        render(now, false);
    }

    /** Prints the final state (and ends the line on a terminal). Idempotent. */
    @Override
    public void close() {
        if (mode == Mode.OFF) return;
        render(nanoClock.getAsLong(), true);
    }

    private void render(long now, boolean last) {
        synchronized (renderLock) {
            if (closed) return;
            if (last) closed = true;
            String line = format(now);
            if (mode == Mode.TERMINAL) {
                StringBuilder sb = new StringBuilder(line.length() + 8).append('\r').append(line);
                int pad = lastWidth - line.length();
                if (pad > 0) sb.repeat(' ', pad);
                lastWidth = line.length();
                if (last) sb.append(System.lineSeparator());
                out.print(sb);
            } else {
                out.println(line);
            }
            out.flush();
        }
    }

    /** The text of one update at time {@code now} (package-private for tests). */
    String format(long now) {
        long d = done.get();
        double elapsed = Math.max(0, now - startNanos) * 1e-9;
        StringBuilder sb = new StringBuilder();
        if (!label.isEmpty()) sb.append(label).append("  ");
        if (total > 0) {
            double frac = Math.min(1.0, Math.max(0.0, (double) d / total));
            int filled = (int) Math.floor(frac * BAR_WIDTH);
            sb.append('[');
            for (int i = 0; i < BAR_WIDTH; i++)
                sb.append(i < filled ? '=' : (i == filled && frac < 1 ? '>' : ' '));
            sb.append("]  ").append(d).append('/').append(total);
            sb.append(String.format(Locale.ROOT, "  %5.1f%%", 100 * frac));
        } else {
            sb.append(d);
        }
        double rate = elapsed > 0 ? d / elapsed : 0;
        sb.append("  ").append(formatRate(rate));
        if (total > 0) {
            if (d >= total) sb.append("  ").append(formatDuration(elapsed));
            else if (rate > 0) sb.append("  ETA ").append(formatDuration((total - d) / rate));
            else sb.append("  ETA --:--");
        } else {
            sb.append("  ").append(formatDuration(elapsed));
        }
        String sfx = suffix;
        if (!sfx.isEmpty()) sb.append("  ").append(sfx);
        return sb.toString();
    }

    static String formatRate(double perSecond) {
        if (perSecond >= 1 || perSecond == 0) return String.format(Locale.ROOT, "%.1f it/s", perSecond);
        return String.format(Locale.ROOT, "%.1f s/it", 1 / perSecond);
    }

    /** h:mm:ss or m:ss. */
    static String formatDuration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) return "--:--";
        long s = Math.round(seconds);
        long h = s / 3600, m = (s % 3600) / 60, sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec) : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }
}
