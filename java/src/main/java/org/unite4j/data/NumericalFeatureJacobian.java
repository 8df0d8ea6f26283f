package org.unite4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.xtb.XtbException;
import org.unite4j.chem.xtb.XtbFeatures;
import org.unite4j.chem.xtb.XtbFeaturizer;

/**
 * dT/dR by central differences of libxtb single points: for every coordinate q,
 * (T(R + h e_q) - T(R - h e_q)) / 2h on g's pairs ({@link MolecularGraph#atSamePairs}), and the
 * same differences of the xTB energy for dE_xTB/dR: 6 N single points per geometry, run in
 * parallel, with the SCF at libxtb's finest accuracy ({@link #DEFAULT_ACCURACY}). The error
 * of a difference is the truncation O(h^2 T''') plus the SCF noise over h; the default step
 * {@link #DEFAULT_STEP} sits at the minimum of their sum in the convergence study of
 * {@code NumericalFeatureJacobianTest} (which prints it): there successive halvings of h change
 * the Jacobian by about 1e-8 of its largest entry (GFN1, CH3SH), and the noise floor, about
 * 1e-9, is reached near 3e-5 Angstrom.
 */
public final class NumericalFeatureJacobian implements FeatureJacobian {
    /** Step of the central differences, Angstrom. */
    public static final double DEFAULT_STEP = 1.25e-4;
    /** libxtb accuracy of the displaced single points (its tightest). */
    public static final double DEFAULT_ACCURACY = 1e-4;

    private final double step, accuracy;
    private final int threads;
    private final IntConsumer progress;

    /** The default step and accuracy, all cores, for g's method and 300 K. */
    public NumericalFeatureJacobian() {
        this(DEFAULT_STEP, DEFAULT_ACCURACY, Runtime.getRuntime().availableProcessors(), null);
    }

    /**
     * @param step     central-difference step, Angstrom (> 0)
     * @param accuracy libxtb accuracy of the single points (1e-4 .. 1e3, smaller is tighter)
     * @param threads  single points in parallel
     * @param progress receives the number of single points done (may be null)
     */
    public NumericalFeatureJacobian(double step, double accuracy, int threads, IntConsumer progress) {
        if (!(step > 0 && step < 0.1)) throw new IllegalArgumentException("Jacobian step must be in (0, 0.1) Angstrom, got " + step);
        if (!(accuracy >= 1e-4 && accuracy <= 1e3)) throw new IllegalArgumentException("accuracy must be in [1e-4, 1e3], got " + accuracy);
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.step = step;
        this.threads = threads;
        this.progress = progress;
        this.accuracy = accuracy;
    }

    public double step() { return step; }

    public double accuracy() { return accuracy; }

    public int threads() { return threads; }

    @Override
    public Jacobian of(MolecularGraph g) {
        int n3 = 3 * g.numAtoms();
        double[] r0 = g.positions();
        Molecule m = new Molecule(g.atomicNumbers(), r0, g.charge(), g.multiplicity(), "", java.util.Map.of());
        // the displaced single points in chunks of a few coordinates, so that only their features
        // (four dense nao x nao operators each) are held at a time
        XtbFeaturizer xtb = new XtbFeaturizer(g.method(), accuracy, 300.0, 250);
        double[][] cols = new double[n3][];
        double[] energyPlus = new double[n3], energyMinus = new double[n3];
        int chunk = Math.max(1, threads);
        for (int q0 = 0; q0 < n3; q0 += chunk) {
            int q1 = Math.min(n3, q0 + chunk);
            List<Molecule> runs = new ArrayList<>(2 * (q1 - q0));
            for (int q = q0; q < q1; q++)
                for (int sgn = 1; sgn >= -1; sgn -= 2) {
                    double[] r = r0.clone();
                    r[q] += sgn * step;
                    runs.add(m.withPositions(r));
                }
            int base = 2 * q0;
            List<XtbFeatures> f;
            try {
                f = xtb.featurizeAll(runs, threads, progress == null ? null : d -> progress.accept(base + d));
            } catch (XtbException | IllegalArgumentException e) {
                throw new IllegalArgumentException("featurizer Jacobian of " + m.formula() + " (" + g.numAtoms() + " atoms): a single point "
                        + "displaced by " + step + " A along a coordinate between " + q0 + " and " + (q1 - 1) + " failed: " + e.getMessage(), e);
            }
            for (int q = q0; q < q1; q++) {
                XtbFeatures plusF = f.get(2 * (q - q0)), minusF = f.get(2 * (q - q0) + 1);
                double[] plus = g.atSamePairs(plusF).blockValues(), minus = g.atSamePairs(minusF).blockValues();
                double[] c = new double[plus.length];
                for (int j = 0; j < c.length; j++) c[j] = (plus[j] - minus[j]) / (2 * step);
                cols[q] = c;
                energyPlus[q] = plusF.energy();
                energyMinus[q] = minusF.energy();
            }
        }
        // dE_xTB/dR from the same single points, not libxtb's analytic gradient: that one is wrong
        // when a bond to an atom with d shells lies along a coordinate axis (libxtb 6.5.1, GFN1 and
        // GFN2: CH3SH with C-S along y gives dE/dx of C +0.0114 Eh/A where the energy's own
        // derivative is -0.0071; tilted by 0.03 degrees both agree to 1e-6)
        double[] grad = new double[n3];
        for (int q = 0; q < n3; q++) grad[q] = (energyPlus[q] - energyMinus[q]) / (2 * step);
        return new Jacobian(cols, grad);
    }

    /** Single points per geometry of n atoms. */
    public static int singlePoints(int atoms) {
        return 6 * atoms;
    }

    @Override
    public long workUnits(int atoms) {
        return singlePoints(atoms);
    }

    @Override
    public String cacheKey() {
        return String.format(java.util.Locale.ROOT, "h%.6e-a%.3e", step, accuracy);
    }

    /** The same Jacobian reporting its single points to another consumer. */
    public NumericalFeatureJacobian withProgress(IntConsumer progress) {
        return new NumericalFeatureJacobian(step, accuracy, threads, progress);
    }
}
