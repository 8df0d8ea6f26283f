package org.unite4j.data;

import org.unite4j.chem.Molecule;
import org.unite4j.chem.Units;
import org.unite4j.chem.gfn1.Gfn1Calculator;
import org.unite4j.chem.gfn1.Gfn1Derivatives;
import org.unite4j.chem.gfn1.Gfn1Exception;
import org.unite4j.chem.xtb.XtbException;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbMethod;

/**
 * dT/dR of GFN1-xTB features from the Java GFN1-xTB's analytic derivatives ({@link Gfn1Derivatives}:
 * explicit integral derivatives plus one charge-response solve per geometry) instead of 6N libxtb
 * single points; its operators equal libxtb's to ~1e-9, so the Jacobian belongs to libxtb's
 * features as well.
 *
 * <p>dE_xTB/dR (the total GFN1 energy, whose repulsion, dispersion and halogen-bond terms the Java
 * code does not have) comes from one libxtb single point with its analytic gradient, computed on
 * the molecule turned by a fixed generic rotation and turned back: libxtb 6.5.1's gradient is
 * wrong when a bond to an atom with d shells lies exactly along a coordinate axis (its electronic
 * part; checked against the Java electronic gradient and central differences), and a rotated
 * frame takes real geometries out of that case.
 */
public final class AnalyticFeatureJacobian implements FeatureJacobian {
    /** The fixed rotation (Euler z-y-z angles 0.7, 1.1, 2.3 rad) libxtb's gradient is computed in. */
    static final double[][] FRAME = rotation(0.7, 1.1, 2.3);

    private final int threads;
    /** Created on first use: it reads the GFN1 parameter file. */
    private volatile Gfn1Calculator calc;

    /** On all cores. */
    public AnalyticFeatureJacobian() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** @param threads coordinates computed in parallel (results do not depend on it) */
    public AnalyticFeatureJacobian(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
    }

    @Override
    public Jacobian of(MolecularGraph g) {
        Molecule m = molecule(g);
        Gfn1Derivatives d = derivatives(g);
        int n3 = d.numCoordinates();
        double[][] cols = new double[n3][];
        java.util.function.IntConsumer one = q -> {
            Gfn1Derivatives.Column c = d.column(q);
            double[] v = g.valuesAtPairs(new double[][]{c.dF(), c.dP(), c.dS(), c.dW()});
            // per bohr -> per Angstrom
            for (int j = 0; j < v.length; j++) v[j] /= Units.BOHR_IN_ANGSTROM;
            cols[q] = v;
        };
        if (threads == 1 || n3 < 6) {
            for (int q = 0; q < n3; q++) one.accept(q);
        } else {
            java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
            try {
                pool.submit(() -> java.util.stream.IntStream.range(0, n3).parallel().forEach(one)).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdown();
            }
        }
        return new Jacobian(cols, referenceGradient(m));
    }

    /** One adjoint pass of the response instead of 3N columns (see {@link Gfn1Derivatives#vjp}). */
    @Override
    public Product vjp(MolecularGraph g, double[] gBlocks) {
        Gfn1Derivatives d = derivatives(g);
        double[][] dense = g.denseFromValues(gBlocks);
        double[] out = d.vjp(dense[0], dense[1], dense[2], dense[3]);
        for (int q = 0; q < out.length; q++) out[q] /= Units.BOHR_IN_ANGSTROM;
        return new Product(out, referenceGradient(molecule(g)));
    }

    private static Molecule molecule(MolecularGraph g) {
        return new Molecule(g.atomicNumbers(), g.positions(), g.charge(), g.multiplicity(), "", java.util.Map.of());
    }

    private Gfn1Derivatives derivatives(MolecularGraph g) {
        if (g.method() != XtbMethod.GFN1)
            throw new IllegalArgumentException("the analytic featurizer Jacobian needs GFN1 features, the graph has " + g.method());
        Molecule m = molecule(g);
        try {
            Gfn1Calculator c = calc;
            if (c == null) calc = c = new Gfn1Calculator();
            return c.derivatives(m);
        } catch (Gfn1Exception e) {
            throw new IllegalArgumentException("featurizer Jacobian of " + m.formula() + ": " + e.getMessage(), e);
        }
    }

    /** dE_GFN1/dR in Hartree per Angstrom from libxtb, computed in {@link #FRAME} and turned back. */
    static double[] referenceGradient(Molecule m) {
        double[] gr;
        try {
            gr = new XtbFeaturizer(XtbMethod.GFN1, NumericalFeatureJacobian.DEFAULT_ACCURACY, 300.0, 250)
                    .featurize(m.transformed(FRAME)).gradient();
        } catch (XtbException e) {
            throw new IllegalArgumentException("featurizer Jacobian of " + m.formula() + ": the libxtb gradient failed: " + e.getMessage(), e);
        }
        double[] out = new double[gr.length];
        for (int a = 0; a < m.size(); a++)
            for (int i = 0; i < 3; i++) {
                double s = 0;
                for (int j = 0; j < 3; j++) s += FRAME[j][i] * gr[3 * a + j];
                out[3 * a + i] = s / Units.BOHR_IN_ANGSTROM;
            }
        return out;
    }

    static double[][] rotation(double alpha, double beta, double gamma) {
        double[][] a = rz(alpha), b = ry(beta), c = rz(gamma);
        return mul(a, mul(b, c));
    }

    private static double[][] rz(double t) {
        return new double[][]{{Math.cos(t), -Math.sin(t), 0}, {Math.sin(t), Math.cos(t), 0}, {0, 0, 1}};
    }

    private static double[][] ry(double t) {
        return new double[][]{{Math.cos(t), 0, Math.sin(t)}, {0, 1, 0}, {-Math.sin(t), 0, Math.cos(t)}};
    }

    private static double[][] mul(double[][] x, double[][] y) {
        double[][] out = new double[3][3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 3; k++) out[i][j] += x[i][k] * y[k][j];
        return out;
    }

    @Override
    public long workUnits(int atoms) {
        return 1;
    }

    @Override
    public String cacheKey() {
        return "analytic-gfn1-v1";
    }
}
