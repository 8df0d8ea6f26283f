package org.unite4j.chem.xtb;

import org.unite4j.chem.Molecule;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Featurization throughput (molecules/s) over the first N QM7 molecules, for 1 and 2 threads.
 * Run from the repository root after a test-compile:
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp java/target/classes:java/target/test-classes:bindings/target/classes \
 *      org.unite4j.chem.xtb.FeaturizeBenchmark ../shared/data/qm7/qm7_pbe0.extxyz 300 1,2
 * </pre>
 */
public final class FeaturizeBenchmark {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "../shared/data/qm7/qm7_pbe0.extxyz");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        String[] threads = (args.length > 2 ? args[2] : "1,2").split(",");
        List<Molecule> mols = XtbTestMolecules.readExtxyz(file, n);
        int atoms = 0;
        for (Molecule m : mols) atoms += m.size();
        XtbFeaturizer fz = new XtbFeaturizer(XtbMethod.GFN1);
        fz.featurizeAll(mols.subList(0, Math.min(30, mols.size())), 1, null); // warm-up (JIT, library)
        System.out.printf(Locale.ROOT, "%d molecules, %.1f atoms on average, GFN1-xTB, %d CPUs%n",
                mols.size(), atoms / (double) mols.size(), Runtime.getRuntime().availableProcessors());
        for (String t : threads) {
            int th = Integer.parseInt(t.strip());
            long t0 = System.nanoTime();
            fz.featurizeAll(mols, th, null);
            double s = (System.nanoTime() - t0) * 1e-9;
            System.out.printf(Locale.ROOT, "threads %d: %.2f s, %.1f molecules/s, %.2f ms/molecule%n", th, s, mols.size() / s, 1e3 * s / mols.size());
        }
        // Where the time goes: the libxtb single point alone (no operator construction).
        long t0 = System.nanoTime();
        for (Molecule m : mols) {
            try (XtbEnvironment env = new XtbEnvironment(); XtbMolecule xm = new XtbMolecule(env, m, XtbMethod.GFN1);
                 XtbCalculator calc = new XtbCalculator(env, xm, XtbMethod.GFN1); XtbResults r = calc.singlepoint(xm)) {
                r.energy();
            }
        }
        double s = (System.nanoTime() - t0) * 1e-9;
        System.out.printf(Locale.ROOT, "libxtb single point only, 1 thread: %.2f ms/molecule%n", 1e3 * s / mols.size());
    }
}
