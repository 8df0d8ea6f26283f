package org.unite4j.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.unite4j.backend.DType;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.irreps.Irrep;
import org.unite4j.irreps.Irreps;

/**
 * Architecture of a UNiTE network (JSON object; every key optional, defaults below, unknown keys
 * are an error). Defaults are sized for training on 2 CPU cores.
 *
 * <pre>
 * method "gfn1"      featurizing xTB method        tau 12           block cutoff -ln||T_AB||_F &lt; tau
 * accuracy 1.0       libxtb accuracy               blocks 3         interaction blocks T
 * hidden "32x0e+16x1o+8x2e"  node features h_A (first block must be 0e)
 * tp_channels 16     C of the channel-wise TPs     tp_irreps "0e+1o+2e"   node/out irreps of the TPs (C each)
 * edge_irreps "0e+1o+1e+2e+2o"  irreps of e_AB = Linear(t_AB) (C each)
 * radial_basis 8     Gaussians on |r_AB| over 0..radial_cutoff (Angstrom, 8)
 * edge_hidden 32     width of the MLP of edge invariants   mlp_hidden 32  width of gate/readout MLPs
 * parameter_free_norm false   EvNorm variant          dtype "float64"  parameters and activations
 *                                                    (a float32-only backend, CUDA, computes in float32)
 * </pre>
 */
public record UniteConfig(String method, double tau, double accuracy, int blocks, String hidden, int tpChannels,
                          String tpIrreps, String edgeIrreps, int radialBasis, double radialCutoff, int edgeHidden,
                          int mlpHidden, boolean parameterFreeNorm, String dtype) {

    public static final int VERSION = 1;

    private static final Set<String> KEYS = Set.of("version", "method", "tau", "accuracy", "blocks", "hidden", "tp_channels",
            "tp_irreps", "edge_irreps", "radial_basis", "radial_cutoff", "edge_hidden", "mlp_hidden",
            "parameter_free_norm", "dtype");

    public UniteConfig {
        XtbMethod.parse(method);
        if (!(tau > 0)) throw new IllegalArgumentException("config: tau must be > 0, got " + tau);
        if (!(accuracy > 0)) throw new IllegalArgumentException("config: accuracy must be > 0, got " + accuracy);
        if (blocks < 1) throw new IllegalArgumentException("config: blocks must be >= 1, got " + blocks);
        Irreps h = Irreps.parse(hidden);
        if (!h.get(0).ir().equals(new Irrep(0, 1)))
            throw new IllegalArgumentException("config: hidden irreps must start with the scalars (0e), got " + hidden);
        for (int i = 1; i < h.size(); i++)
            if (h.get(i).ir().equals(new Irrep(0, 1)))
                throw new IllegalArgumentException("config: hidden irreps must have one 0e block, got " + hidden);
        if (tpChannels < 1) throw new IllegalArgumentException("config: tp_channels must be >= 1");
        Irreps.parse(tpIrreps);
        Irreps.parse(edgeIrreps);
        if (radialBasis < 1 || !(radialCutoff > 0)) throw new IllegalArgumentException("config: radial_basis >= 1 and radial_cutoff > 0 needed");
        if (edgeHidden < 1 || mlpHidden < 1) throw new IllegalArgumentException("config: edge_hidden and mlp_hidden must be >= 1");
        dtype();
    }

    /** The defaults. */
    public static UniteConfig defaults() {
        return new UniteConfig("gfn1", 12.0, 1.0, 3, "32x0e+16x1o+8x2e", 16, "0e+1o+2e", "0e+1o+1e+2e+2o", 8, 8.0, 32, 32,
                false, "float64");
    }

    public XtbMethod xtbMethod() { return XtbMethod.parse(method); }

    public DType dataType() {
        return switch (dtype.toLowerCase(java.util.Locale.ROOT)) {
            case "float32", "f32" -> DType.FLOAT32;
            case "float64", "f64" -> DType.FLOAT64;
            default -> throw new IllegalArgumentException("config: dtype must be float32 or float64, got '" + dtype + "'");
        };
    }

    public UniteConfig withDtype(DType d) {
        return new UniteConfig(method, tau, accuracy, blocks, hidden, tpChannels, tpIrreps, edgeIrreps, radialBasis, radialCutoff,
                edgeHidden, mlpHidden, parameterFreeNorm, d == DType.FLOAT32 ? "float32" : "float64");
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", VERSION);
        m.put("method", method);
        m.put("tau", tau);
        m.put("accuracy", accuracy);
        m.put("blocks", blocks);
        m.put("hidden", hidden);
        m.put("tp_channels", tpChannels);
        m.put("tp_irreps", tpIrreps);
        m.put("edge_irreps", edgeIrreps);
        m.put("radial_basis", radialBasis);
        m.put("radial_cutoff", radialCutoff);
        m.put("edge_hidden", edgeHidden);
        m.put("mlp_hidden", mlpHidden);
        m.put("parameter_free_norm", parameterFreeNorm);
        m.put("dtype", dtype);
        return m;
    }

    /** Defaults overridden by the keys present; unknown keys and a newer version are errors. */
    public static UniteConfig fromJson(Map<String, ?> m) {
        for (String k : m.keySet())
            if (!KEYS.contains(k)) throw new IllegalArgumentException("config: unknown key \"" + k + "\" (known: " + new java.util.TreeSet<>(KEYS) + ")");
        if (m.containsKey("version") && ((Number) m.get("version")).intValue() > VERSION)
            throw new IllegalArgumentException("config: version " + m.get("version") + " is newer than this unite4j (" + VERSION + ")");
        UniteConfig d = defaults();
        return new UniteConfig(str(m, "method", d.method), num(m, "tau", d.tau), num(m, "accuracy", d.accuracy),
                (int) num(m, "blocks", d.blocks), str(m, "hidden", d.hidden), (int) num(m, "tp_channels", d.tpChannels),
                str(m, "tp_irreps", d.tpIrreps), str(m, "edge_irreps", d.edgeIrreps), (int) num(m, "radial_basis", d.radialBasis),
                num(m, "radial_cutoff", d.radialCutoff), (int) num(m, "edge_hidden", d.edgeHidden),
                (int) num(m, "mlp_hidden", d.mlpHidden), bool(m, "parameter_free_norm", d.parameterFreeNorm),
                str(m, "dtype", d.dtype));
    }

    private static String str(Map<String, ?> m, String k, String def) {
        Object v = m.get(k);
        if (v == null) return def;
        if (v instanceof String s) return s;
        throw new IllegalArgumentException("config: \"" + k + "\" must be a string, got " + v);
    }

    private static double num(Map<String, ?> m, String k, double def) {
        Object v = m.get(k);
        if (v == null) return def;
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException("config: \"" + k + "\" must be a number, got " + v);
    }

    private static boolean bool(Map<String, ?> m, String k, boolean def) {
        Object v = m.get(k);
        if (v == null) return def;
        if (v instanceof Boolean b) return b;
        throw new IllegalArgumentException("config: \"" + k + "\" must be true or false, got " + v);
    }
}
