package org.unite4j.bench;

import org.unite4j.chem.Molecule;
import org.unite4j.chem.gfn1.Gfn1Calculator;
import org.unite4j.chem.gfn1.Gfn1Result;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbFeatures;
import org.unite4j.chem.xtb.XtbMethod;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The Java GFN1-xTB against libxtb on a set of molecules: the worst element-wise deviation of F,
 * P, S, W and of the Mulliken charges from libxtb converged tightly (accuracy 1e-4), and the median
 * wall time per single point of each engine on one thread (libxtb at its default accuracy 1 and
 * at 1e-4; Java at its own tolerance, charge change below 1e-11).
 */
public final class Gfn1VsLibxtb {
    private Gfn1VsLibxtb() {
    }

    /** Worst deviations (with the molecule they occur in) and median seconds. */
    public record Result(int molecules, double maxF, double maxP, double maxS, double maxW, double maxCharge,
                         String worstMolecule, double libxtbSeconds, double libxtbTightSeconds, double javaSeconds) {
        public String summary() {
            return String.format(Locale.ROOT, """
                    GFN1-xTB, Java vs libxtb, %d molecules (worst element-wise |difference| from libxtb at accuracy 1e-4):
                      F %.2e Eh   P %.2e   S %.2e   W %.2e Eh   charges %.2e e   (worst molecule: %s)
                    median time per single point, one thread:
                      libxtb (accuracy 1)    %.2f ms
                      libxtb (accuracy 1e-4) %.2f ms
                      Java                   %.2f ms   (%.2fx libxtb at accuracy 1)
                    """, molecules, maxF, maxP, maxS, maxW, maxCharge, worstMolecule,
                    1e3 * libxtbSeconds, 1e3 * libxtbTightSeconds, 1e3 * javaSeconds, libxtbSeconds / javaSeconds);
        }

        public java.util.Map<String, Object> toJson() {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("molecules", molecules);
            m.put("max_abs_diff_F_Eh", maxF);
            m.put("max_abs_diff_P", maxP);
            m.put("max_abs_diff_S", maxS);
            m.put("max_abs_diff_W_Eh", maxW);
            m.put("max_abs_diff_charge_e", maxCharge);
            m.put("worst_molecule", worstMolecule);
            m.put("libxtb_median_ms", 1e3 * libxtbSeconds);
            m.put("libxtb_tight_median_ms", 1e3 * libxtbTightSeconds);
            m.put("java_median_ms", 1e3 * javaSeconds);
            return m;
        }
    }

    public static Result run(List<Molecule> molecules, Consumer<String> progress) {
        XtbFeaturizer fast = new XtbFeaturizer(XtbMethod.GFN1), tight = new XtbFeaturizer(XtbMethod.GFN1, 1e-4, 300, 250);
        Gfn1Calculator java = new Gfn1Calculator();
        int n = molecules.size();
        double[] tFast = new double[n], tTight = new double[n], tJava = new double[n];
        double maxF = 0, maxP = 0, maxS = 0, maxW = 0, maxQ = 0, worst = -1;
        String worstName = "";
        long last = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Molecule m = molecules.get(i);
            long t0, t1, t2, t3;
            XtbFeatures ref;
            Gfn1Result our;
            try {
                t0 = System.nanoTime();
                fast.featurize(m);
                t1 = System.nanoTime();
                ref = tight.featurize(m);
                t2 = System.nanoTime();
                our = java.singlePoint(m);
                t3 = System.nanoTime();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("molecule #" + i + " (" + m.formula() + (m.name().isEmpty() ? "" : ", " + m.name())
                        + "): " + e.getMessage(), e);
            }
            tFast[i] = (t1 - t0) * 1e-9;
            tTight[i] = (t2 - t1) * 1e-9;
            tJava[i] = (t3 - t2) * 1e-9;
            double f = maxDiff(ref.fock(), our.fock()), p = maxDiff(ref.density(), our.density());
            double s = maxDiff(ref.overlap(), our.overlap()), w = maxDiff(ref.energyWeightedDensity(), our.energyWeighted());
            double q = maxDiff(ref.charges(), our.charges());
            maxF = Math.max(maxF, f);
            maxP = Math.max(maxP, p);
            maxS = Math.max(maxS, s);
            maxW = Math.max(maxW, w);
            maxQ = Math.max(maxQ, q);
            double here = Math.max(Math.max(f, p), Math.max(s, w));
            if (here > worst) {
                worst = here;
                worstName = "#" + i + " " + m.formula() + (m.name().isEmpty() ? "" : " " + m.name());
            }
            if (progress != null && (System.nanoTime() - last > 5e9 || i == n - 1)) {
                last = System.nanoTime();
                progress.accept(String.format(Locale.ROOT, "  %d/%d molecules, worst so far %.2e (%s)", i + 1, n, worst, worstName));
            }
        }
        return new Result(n, maxF, maxP, maxS, maxW, maxQ, worstName, Timing.median(tFast), Timing.median(tTight), Timing.median(tJava));
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
