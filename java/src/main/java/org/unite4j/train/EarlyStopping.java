package org.unite4j.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Early stopping on a validation metric where lower is better.
 *
 * <p>An epoch improves when {@code value < best - minDelta}; then best and bestEpoch are updated
 * and the count of epochs without improvement resets to 0, otherwise it grows by 1. Training
 * should stop ({@link #shouldStop()}) once that count reaches {@code patience}. A NaN or infinite
 * value never improves (a diverged run counts against patience). The state round-trips through
 * {@link #state()} / {@link #fromState} (plain JSON values) so {@code --resume} continues exactly.
 */
public final class EarlyStopping {
    private final int patience;
    private final double minDelta;
    private double best = Double.POSITIVE_INFINITY;
    private int bestEpoch = -1;
    private int bad;

    /**
     * @param patience epochs without improvement before stopping (>= 1)
     * @param minDelta smallest decrease that counts as an improvement (>= 0)
     */
    public EarlyStopping(int patience, double minDelta) {
        if (patience < 1) throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        if (!(minDelta >= 0) || !Double.isFinite(minDelta)) throw new IllegalArgumentException("minDelta must be finite and >= 0, got " + minDelta);
        this.patience = patience;
        this.minDelta = minDelta;
    }

    /** Records the validation value of {@code epoch}; returns true if it is a new best (save the weights then). */
    public boolean update(int epoch, double value) {
        if (epoch <= bestEpoch && bestEpoch >= 0)
            throw new IllegalArgumentException("epoch " + epoch + " is not after the best epoch " + bestEpoch);
        boolean improved = Double.isFinite(value) && (bestEpoch < 0 || value < best - minDelta);
        if (improved) {
            best = value;
            bestEpoch = epoch;
            bad = 0;
        } else {
            bad++;
        }
        return improved;
    }

    /** True once {@code patience} epochs in a row brought no improvement. */
    public boolean shouldStop() { return bad >= patience; }

    /** The best value so far (+Infinity before any finite value). */
    public double bestValue() { return best; }

    /** The epoch of the best value (-1 before any finite value). */
    public int bestEpoch() { return bestEpoch; }

    /** Epochs in a row without improvement. */
    public int epochsWithoutImprovement() { return bad; }

    public int patience() { return patience; }

    public double minDelta() { return minDelta; }

    /** The full state as JSON-ready values. */
    public Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("patience", patience);
        m.put("min_delta", minDelta);
        m.put("best_value", bestEpoch < 0 ? null : best);
        m.put("best_epoch", bestEpoch);
        m.put("epochs_without_improvement", bad);
        return m;
    }

    /** Rebuilds from {@link #state()} (also after a JSON round trip). */
    public static EarlyStopping fromState(Map<String, ?> m) {
        EarlyStopping es = new EarlyStopping(((Number) req(m, "patience")).intValue(), ((Number) req(m, "min_delta")).doubleValue());
        es.bestEpoch = ((Number) req(m, "best_epoch")).intValue();
        Object bv = m.get("best_value");
        es.best = es.bestEpoch < 0 || bv == null ? Double.POSITIVE_INFINITY : ((Number) bv).doubleValue();
        es.bad = ((Number) req(m, "epochs_without_improvement")).intValue();
        return es;
    }

    private static Object req(Map<String, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number)) throw new IllegalArgumentException("early-stopping state: missing or non-numeric \"" + key + "\"");
        return v;
    }
}
