package org.unite4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.unite4j.autograd.F;
import org.unite4j.autograd.Tensor;
import org.unite4j.backend.Backend;
import org.unite4j.backend.Backends;
import org.unite4j.backend.DType;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.data.GraphBatch;
import org.unite4j.data.MolecularGraph;
import org.unite4j.nn.Adam;

/**
 * One whole training step of a small {@link UniteModel} on any backend and dtype, for comparing
 * backends: forward (energies, dipoles), the loss
 * L = mean_m (E_m - y_m)^2 + mean_{m,k} (mu_mk - d_mk)^2, backward (gradients of every parameter),
 * one AdamW step (lr {@link #LR}, weight decay {@link #WEIGHT_DECAY}) and the EvNorm running
 * statistics the training forward updated.
 * <p>
 * The molecules are GFN1-xTB features of water, methanol, ammonia and formaldehyde (tau 12),
 * precomputed with {@link #main} into the test resource {@value #RESOURCE} (the GPU machine has no
 * libxtb). Every backend starts from the same weights: a seeded model with N(0, 0.3^2) noise on every
 * parameter (so the zero-initialized readouts pass gradients), rounded to float32 values.
 */
public final class ModelStepFixture {
    public static final String RESOURCE = "/org/unite4j/model/step-molecules.bin";
    public static final double LR = 1e-3, WEIGHT_DECAY = 1e-2;
    /** Synthetic targets (network units), far from the outputs so the loss is not a cancellation. */
    static final double[] TARGET_ENERGY = {1.5, -2.0, 0.75, -0.5};
    static final double[] TARGET_DIPOLE = {0.3, -0.2, 0.9, -0.7, 0.4, 0.1, 0.0, 1.1, -0.6, 0.5, 0.2, -0.3};

    private ModelStepFixture() {
    }

    /** Outputs of one step, all read back to host doubles through the backend's storage API. */
    public record StepResult(double[] energy, double[] dipole, double loss, Map<String, double[]> grads,
                             Map<String, double[]> weights, Map<String, double[]> buffers) {
    }

    public static UniteConfig config(DType dtype) {
        return UniteConfig.fromJson(Map.of("hidden", "8x0e+4x1o+4x2e", "tp_channels", 4, "blocks", 2, "edge_hidden", 8,
                "mlp_hidden", 8, "dtype", dtype == DType.FLOAT32 ? "float32" : "float64"));
    }

    public static Heads heads() {
        return new Heads("e", "kcal/mol", "mu", "D", false, new int[]{1, 6, 7, 8}, new double[]{-1, -2, -3, -4}, 0.5, 2.0, 1.0);
    }

    /** The precomputed molecules of {@value #RESOURCE}. */
    public static List<MolecularGraph> molecules() throws IOException {
        try (InputStream in = ModelStepFixture.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IOException("test resource " + RESOURCE + " not on the class path");
            DataInputStream d = new DataInputStream(in);
            int n = d.readInt();
            List<MolecularGraph> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[d.readInt()];
                d.readFully(b);
                out.add(MolecularGraph.fromBytes(b, RESOURCE + " #" + i));
            }
            return out;
        }
    }

    /** The shared initial weights (float32-representable doubles). */
    public static Map<String, double[]> initialWeights() {
        UniteModel m = new UniteModel(config(DType.FLOAT64), heads(), 11);
        Map<String, double[]> w = new LinkedHashMap<>();
        for (var e : m.parameters().entrySet()) {
            double[] v = e.getValue().toDoubles();
            Random r = new Random(e.getKey().hashCode());
            for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] + 0.3 * r.nextGaussian());
            w.put(e.getKey(), v);
        }
        return w;
    }

    /** Forward + backward + one AdamW step of a fresh model on {@code backend} in {@code dtype}. */
    public static StepResult step(Backend backend, DType dtype, Map<String, double[]> init, List<MolecularGraph> mols) {
        UniteModel model = new UniteModel(config(dtype), heads(), 11, backend);
        for (var e : init.entrySet()) model.setParameter(e.getKey(), e.getValue());
        model.fitInputStatistics(mols);
        model.setTraining(true);
        int nm = mols.size();
        GraphBatch b = GraphBatch.of(mols, XtbMethod.GFN1);
        UniteModel.Output o = model.forward(b);
        Tensor le = F.mean(F.square(F.sub(o.energy(), Tensor.of(backend, dtype, java.util.Arrays.copyOf(TARGET_ENERGY, nm), nm, 1))));
        Tensor ld = F.mean(F.square(F.sub(o.dipole(), Tensor.of(backend, dtype, java.util.Arrays.copyOf(TARGET_DIPOLE, 3 * nm), nm, 3))));
        Tensor loss = F.add(le, ld);
        List<Tensor> params = new ArrayList<>(model.parameters().values());
        Adam adam = Adam.adamW(params, LR, WEIGHT_DECAY);
        adam.zeroGrad();
        loss.backward();
        Map<String, double[]> grads = new LinkedHashMap<>();
        for (var e : model.parameters().entrySet())
            grads.put(e.getKey(), e.getValue().grad() == null ? new double[e.getValue().size()] : e.getValue().grad().toDoubles());
        adam.step();
        Map<String, double[]> weights = new LinkedHashMap<>();
        for (var e : model.parameters().entrySet()) weights.put(e.getKey(), e.getValue().toDoubles());
        Map<String, double[]> buffers = new LinkedHashMap<>();
        for (var e : model.buffers().entrySet()) buffers.put(e.getKey(), e.getValue().clone());
        return new StepResult(o.energy().toDoubles(), o.dipole().toDoubles(), loss.item(), grads, weights, buffers);
    }

    /** max_i |a_i - b_i| / max_i |b_i| (0 when both are all zero, infinite when only b is). */
    public static double maxRel(double[] a, double[] b) {
        assertEquals(b.length, a.length, "lengths");
        double d = 0, s = 0;
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) return Double.POSITIVE_INFINITY;
            d = Math.max(d, Math.abs(a[i] - b[i]));
            s = Math.max(s, Math.abs(b[i]));
        }
        return d == 0 ? 0 : s == 0 ? Double.POSITIVE_INFINITY : d / s;
    }

    /**
     * Asserts that {@code got} matches the reference step {@code ref} to {@code tol} (relative to each
     * tensor's largest entry). A gradient's scale is floored at 1e-4 of the largest gradient of the
     * model: some gradients vanish analytically (the bias of the charge head: the neutrality correction
     * removes any uniform shift of the charges), and what is left there is rounding of cancelling
     * terms. Updated weights: AdamW's first step moves each weight by about lr * sign(g), so entries
     * whose reference gradient is below 1e-3 of that scale (where rounding may flip the sign) need only
     * stay within 2 lr (+ tol); all others must match to tol.
     */
    public static void assertStepsAgree(StepResult got, StepResult ref, double tol, String what) {
        assertTrue(Double.isFinite(got.loss()) && ref.loss() > 1e-3, what + ": loss " + got.loss() + " vs " + ref.loss());
        check(what + " energy", maxRel(got.energy(), ref.energy()), tol);
        check(what + " dipole", maxRel(got.dipole(), ref.dipole()), tol);
        check(what + " loss", Math.abs(got.loss() - ref.loss()) / Math.abs(ref.loss()), tol);
        int nonzero = 0;
        double global = 0;
        for (double[] g : ref.grads().values()) for (double v : g) global = Math.max(global, Math.abs(v));
        for (String k : ref.grads().keySet()) {
            double[] g = ref.grads().get(k), gg = got.grads().get(k);
            double gmax = 0, gd = 0;
            for (int i = 0; i < g.length; i++) {
                gmax = Math.max(gmax, Math.abs(g[i]));
                gd = Math.max(gd, Double.isFinite(gg[i]) ? Math.abs(gg[i] - g[i]) : Double.POSITIVE_INFINITY);
            }
            if (gmax > 1e-4 * global) nonzero++;
            gmax = Math.max(gmax, 1e-4 * global);
            check(what + " gradient of " + k, gd / gmax, tol);
            double[] wr = ref.weights().get(k), wg = got.weights().get(k);
            double wmax = 0;
            for (double v : wr) wmax = Math.max(wmax, Math.abs(v));
            for (int i = 0; i < wr.length; i++) {
                double d = Math.abs(wg[i] - wr[i]);
                boolean determined = Math.abs(g[i]) > 1e-3 * gmax;
                double bound = determined ? tol * wmax : 2 * LR + tol * wmax;
                if (!(d <= bound))
                    throw new AssertionError(what + ": updated " + k + "[" + i + "] = " + wg[i] + ", reference " + wr[i]
                            + " (gradient " + g[i] + ", bound " + bound + ")");
            }
        }
        assertTrue(nonzero > ref.grads().size() * 3 / 4, what + ": only " + nonzero + " of " + ref.grads().size()
                + " parameters have a non-zero gradient: the comparison would be vacuous");
        for (String k : ref.buffers().keySet()) check(what + " buffer " + k, maxRel(got.buffers().get(k), ref.buffers().get(k)), tol);
    }

    /** One line: relative differences of energy, dipole, loss and the worst gradient (scale as in assertStepsAgree). */
    public static String summary(StepResult got, StepResult ref) {
        double global = 0;
        for (double[] g : ref.grads().values()) for (double v : g) global = Math.max(global, Math.abs(v));
        double worst = 0;
        String at = "-";
        for (String k : ref.grads().keySet()) {
            double[] g = ref.grads().get(k), gg = got.grads().get(k);
            double gmax = 1e-4 * global, gd = 0;
            for (int i = 0; i < g.length; i++) {
                gmax = Math.max(gmax, Math.abs(g[i]));
                gd = Math.max(gd, Math.abs(gg[i] - g[i]));
            }
            if (gd / gmax >= worst) {
                worst = gd / gmax;
                at = k;
            }
        }
        return String.format(java.util.Locale.ROOT, "energy %.2e, dipole %.2e, loss %.2e, worst gradient %.2e (%s)",
                maxRel(got.energy(), ref.energy()), maxRel(got.dipole(), ref.dipole()),
                Math.abs(got.loss() - ref.loss()) / Math.abs(ref.loss()), worst, at);
    }

    private static void check(String what, double rel, double tol) {
        if (!(rel < tol)) throw new AssertionError(what + ": relative difference " + rel + " >= " + tol);
    }

    /** Asserts that two steps produced bit-identical results. */
    public static void assertBitwise(StepResult a, StepResult b, String what) {
        same(what + " energy", a.energy(), b.energy());
        same(what + " dipole", a.dipole(), b.dipole());
        same(what + " loss", new double[]{a.loss()}, new double[]{b.loss()});
        for (String k : a.grads().keySet()) {
            same(what + " gradient of " + k, a.grads().get(k), b.grads().get(k));
            same(what + " updated " + k, a.weights().get(k), b.weights().get(k));
        }
        for (String k : a.buffers().keySet()) same(what + " buffer " + k, a.buffers().get(k), b.buffers().get(k));
    }

    private static void same(String what, double[] a, double[] b) {
        assertEquals(a.length, b.length, what + " length");
        for (int i = 0; i < a.length; i++)
            if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i]))
                throw new AssertionError(what + "[" + i + "]: " + a[i] + " vs " + b[i] + " (not bitwise reproducible)");
    }

    /** The CPU float64 reference step on the resource molecules. */
    public static StepResult cpuReference(Map<String, double[]> init, List<MolecularGraph> mols) {
        return step(Backends.cpu(), DType.FLOAT64, init, mols);
    }

    /**
     * Regenerates {@value #RESOURCE} (needs libxtb):
     * {@code java -cp ... org.unite4j.model.ModelStepFixture java/src/test/resources/org/unite4j/model/step-molecules.bin}.
     */
    public static void main(String[] args) throws IOException {
        XtbFeaturizer x = new XtbFeaturizer(XtbMethod.GFN1);
        Path out = Path.of(args[0]);
        Files.createDirectories(out.getParent());
        try (DataOutputStream d = new DataOutputStream(Files.newOutputStream(out))) {
            var mols = List.of(TestMolecules.water(), TestMolecules.methanol(), TestMolecules.ammonia(), TestMolecules.formaldehyde());
            d.writeInt(mols.size());
            for (var m : mols) {
                byte[] b = MolecularGraph.of(x.featurize(m), 12.0).toBytes();
                d.writeInt(b.length);
                d.write(b);
            }
        }
        System.out.println(out + ": " + Files.size(out) + " bytes");
    }
}
