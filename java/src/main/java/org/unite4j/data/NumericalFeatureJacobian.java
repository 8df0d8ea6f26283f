package org.unite4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.unite4j.chem.Molecule;
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
        List<Molecule> runs = new ArrayList<>(2 * n3);
        for (int q = 0; q < n3; q++)
            for (int sgn = 1; sgn >= -1; sgn -= 2) {
                double[] r = r0.clone();
                r[q] += sgn * step;
                runs.add(m.withPositions(r));
            }
        XtbFeaturizer xtb = new XtbFeaturizer(g.method(), accuracy, 300.0, 250);
        List<XtbFeatures> f = xtb.featurizeAll(runs, threads, progress);
        double[][] cols = new double[n3][];
        for (int q = 0; q < n3; q++) {
            double[] plus = g.atSamePairs(f.get(2 * q)).blockValues(), minus = g.atSamePairs(f.get(2 * q + 1)).blockValues();
            double[] c = new double[plus.length];
            for (int j = 0; j < c.length; j++) c[j] = (plus[j] - minus[j]) / (2 * step);
            cols[q] = c;
        }
        // dE_xTB/dR from the same single points, not libxtb's analytic gradient: that one is wrong
        // when a bond to an atom with d shells lies along a coordinate axis (libxtb 6.5.1, GFN1 and
        // GFN2: CH3SH with C-S along y gives dE/dx of C +0.0114 Eh/A where the energy's own
        // derivative is -0.0071; tilted by 0.03 degrees both agree to 1e-6)
        double[] grad = new double[n3];
        for (int q = 0; q < n3; q++) grad[q] = (f.get(2 * q).energy() - f.get(2 * q + 1).energy()) / (2 * step);
        return new Jacobian(cols, grad);
    }

    /** Single points per geometry of n atoms. */
    public static int singlePoints(int atoms) {
        return 6 * atoms;
    }
}
