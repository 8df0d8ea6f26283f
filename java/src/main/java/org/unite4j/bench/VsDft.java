package org.unite4j.bench;

import org.unite4j.chem.Molecule;
import org.unite4j.chem.xtb.XtbFeatures;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Wall time per molecule of our path (GFN1-xTB featurization, then prediction) against a DFT
 * single point (psi4 B3LYP/def2-SVP as an external program, {@link Psi4}) on the same molecules
 * and machine; reports the median of each and the ratio median(DFT) / median(ours).
 *
 * <p>"predict" is the UNiTE model's inference ({@link org.unite4j.model.UniteModel#predict}, default
 * configuration, seeded random weights: a trained model costs the same) including the graph of
 * kept blocks (cutoff -ln||T_AB||_F &lt; 12) and its CG decomposition.
 */
public final class VsDft {
    /** What "predict" measures. */
    public static final String PREDICT = "UNiTE model inference (UniteConfig defaults, random weights: same cost as trained), "
            + "incl. block-sparse graph and CG decomposition";

    /** Untimed warm-up of our path before the measurements, seconds. */
    public static final double WARMUP_SECONDS = 2.0;

    private VsDft() {
    }

    /**
     * Per-molecule times in seconds; dft is null when it was not run; forces (our featurizer
     * Jacobian + input gradients) null unless asked, and then dft is a DFT gradient.
     */
    public record Result(List<String> names, double[] featurize, double[] predict, double[] dft, double[] dftEnergy,
                         String predictLabel, int dftThreads, double[] forces) {
        public double[] ours() {
            double[] o = new double[featurize.length];
            for (int i = 0; i < o.length; i++) o[i] = featurize[i] + predict[i] + (forces == null ? 0 : forces[i]);
            return o;
        }

        public String summary() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "molecules: %d%n", names.size()));
            sb.append(String.format(Locale.ROOT, "predict = %s%n", predictLabel));
            sb.append(String.format(Locale.ROOT, "median featurize (GFN1-xTB)  : %10.4f s%n", Timing.median(featurize)));
            sb.append(String.format(Locale.ROOT, "median predict               : %10.4f s%n", Timing.median(predict)));
            if (forces != null)
                sb.append(String.format(Locale.ROOT, "median forces (featurizer Jacobian + gradient): %10.4f s%n", Timing.median(forces)));
            double ours = Timing.median(ours());
            sb.append(String.format(Locale.ROOT, forces == null ? "median featurize + predict   : %10.4f s%n"
                    : "median featurize + predict + forces: %10.4f s%n", ours));
            if (dft != null) {
                double d = Timing.median(dft);
                sb.append(String.format(Locale.ROOT, "median DFT %s (psi4 %s/%s, %d threads): %10.3f s%n", forces == null ? "single point" : "gradient",
                        Psi4.METHOD.toUpperCase(Locale.ROOT), Psi4.BASIS, dftThreads, d));
                sb.append(String.format(Locale.ROOT, "ratio DFT / ours (medians)   : %10.0f x%n", d / ours));
            }
            return sb.toString();
        }
    }

    /**
     * Times every molecule, after running our path (untimed) over every molecule once and for at
     * least {@value #WARMUP_SECONDS} s, so that the JIT has compiled it for all the shapes, as in
     * a long-running prediction service. {@code psi4} may be null (our path only).
     */
    public static Result run(List<Molecule> molecules, int channels, Psi4 psi4, int dftThreads, Consumer<String> log) throws IOException {
        return run(molecules, channels, psi4, dftThreads, false, log);
    }

    /** As {@link #run(List, int, Psi4, int, Consumer)}; with {@code forces} our forces and the DFT gradient are timed too. */
    public static Result run(List<Molecule> molecules, int channels, Psi4 psi4, int dftThreads, boolean forces, Consumer<String> log)
            throws IOException {
        return run(molecules, channels, psi4, dftThreads, forces, org.unite4j.data.FeatureJacobian.Kind.AUTO, log);
    }

    /** As above with the featurizer Jacobian of our forces chosen by {@code jacobianKind}. */
    public static Result run(List<Molecule> molecules, int channels, Psi4 psi4, int dftThreads, boolean forces,
                             org.unite4j.data.FeatureJacobian.Kind jacobianKind, Consumer<String> log) throws IOException {
        if (molecules.isEmpty()) throw new IllegalArgumentException("no molecules to time");
        org.unite4j.data.FeatureJacobian jac = org.unite4j.data.FeatureJacobian.forMethod(jacobianKind,
                org.unite4j.chem.xtb.XtbMethod.GFN1, Runtime.getRuntime().availableProcessors(), null);
        var model = ModelOps.timingModel(7);
        List<String> names = new ArrayList<>();
        int n = molecules.size();
        double[] feat = new double[n], pred = new double[n], dft = psi4 == null ? null : new double[n],
                energy = psi4 == null ? null : new double[n], frc = forces ? new double[n] : null;
        long warmEnd = System.nanoTime() + (long) (WARMUP_SECONDS * 1e9);
        int w = 0;
        do ours(molecules.get(w++ % n), model, new double[3], forces, jac); while (w < n || System.nanoTime() < warmEnd);
        for (int i = 0; i < n; i++) {
            Molecule m = molecules.get(i);
            double[] t = new double[3];
            ours(m, model, t, forces, jac);
            feat[i] = t[0];
            pred[i] = t[1];
            if (forces) frc[i] = t[2];
            names.add(m.name().isEmpty() ? m.formula() : m.name());
            String line = String.format(Locale.ROOT, "  %3d %-14s atoms %3d  featurize %.4f s  predict %.4f s%s", i, m.formula(), m.size(), t[0], t[1],
                    forces ? String.format(Locale.ROOT, "  forces %.4f s", t[2]) : "");
            if (psi4 != null) {
                Psi4.Run r = forces ? psi4.gradient(m) : psi4.singlePoint(m);
                dft[i] = r.seconds();
                energy[i] = r.energyHartree();
                line += String.format(Locale.ROOT, "  DFT %.2f s (E = %.6f Eh)", r.seconds(), r.energyHartree());
            }
            log.accept(line);
        }
        return new Result(names, feat, pred, dft, energy, PREDICT, dftThreads, frc);
    }

    /**
     * t[0] = featurize seconds, t[1] = predict seconds (graph, decomposition, model forward), with
     * {@code forces} t[2] = the featurizer Jacobian and the model's gradient.
     */
    static void ours(Molecule m, org.unite4j.model.UniteModel model, double[] t, boolean forces, org.unite4j.data.FeatureJacobian jac) {
        long t0 = System.nanoTime();
        XtbFeatures f = ScalingInputs.featurize(m, null);
        long t1 = System.nanoTime();
        double e = ModelOps.predictEnergy(f, model);
        long t2 = System.nanoTime();
        if (!Double.isFinite(e)) throw new IllegalStateException("the model predicted " + e + " for " + m.formula());
        t[0] = (t1 - t0) * 1e-9;
        t[1] = (t2 - t1) * 1e-9;
        if (forces) {
            org.unite4j.data.MolecularGraph g = org.unite4j.data.MolecularGraph.of(f, org.unite4j.tensor.NBodyTensor.DEFAULT_TAU);
            double[][] fr = new org.unite4j.model.Calculator(model, jac, 1).calculate(List.of(g), true, null).get(0).forces();
            long t3 = System.nanoTime();
            if (!Double.isFinite(fr[0][0])) throw new IllegalStateException("non-finite force for " + m.formula());
            t[2] = (t3 - t2) * 1e-9;
        }
    }
}
