package org.unite4j.autograd;

/**
 * Per-thread switch for graph recording. {@code try (var s = GradMode.noGrad()) { ... }} runs
 * inference without recording a tape (no intermediates kept); the previous mode is restored on
 * close.
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[]{true});

    private GradMode() {
    }

    /** Whether ops on this thread record the graph. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Disables recording until the returned scope is closed. */
    public static Scope noGrad() {
        return set(false);
    }

    /** Enables recording until the returned scope is closed. */
    public static Scope enableGrad() {
        return set(true);
    }

    private static Scope set(boolean on) {
        boolean[] cell = ENABLED.get();
        boolean prev = cell[0];
        cell[0] = on;
        return new Scope(cell, prev);
    }

    /** Restores the previous mode on close. */
    public static final class Scope implements AutoCloseable {
        private final boolean[] cell;
        private final boolean prev;

        private Scope(boolean[] cell, boolean prev) {
            this.cell = cell;
            this.prev = prev;
        }

        @Override
        public void close() {
            cell[0] = prev;
        }
    }
}
