package org.unite4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.xtb.XtbEnvironment;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.model.TestMolecules;

/**
 * The numerical featurizer Jacobian: the convergence study that fixes its step and accuracy
 * (printed), its precision at the defaults, the locality of dS/dR, and JVP/VJP as adjoints.
 */
class NumericalFeatureJacobianTest {
    static MolecularGraph thiol;

    @BeforeAll
    static void featurize() {
        Assumptions.assumeTrue(XtbEnvironment.isAvailable(), () -> "libxtb not available: " + XtbEnvironment.availabilityProblem().orElse(""));
        thiol = MolecularGraph.of(new XtbFeaturizer(XtbMethod.GFN1).featurize(TestMolecules.methanethiol()), 12.0);
    }

    /** max |a - b| / max |b|. */
    static double rel(double[][] a, double[][] b) {
        double d = 0, m = 0;
        for (int q = 0; q < a.length; q++)
            for (int j = 0; j < a[q].length; j++) {
                d = Math.max(d, Math.abs(a[q][j] - b[q][j]));
                m = Math.max(m, Math.abs(b[q][j]));
            }
        return d / m;
    }

    @Test
    void convergenceStudyFixesStepAndAccuracy() {
        double[] steps = {8e-3, 4e-3, 2e-3, 1e-3, 5e-4, 2.5e-4, 1.25e-4, 6.25e-5, 3.125e-5, 1.5625e-5, 7.8125e-6};
        double[] accuracies = {1.0, 1e-4};
        System.out.println("featurizer Jacobian convergence (CH3SH, GFN1): max|J(h) - J(h/2)| / max|J|");
        System.out.printf(Locale.ROOT, "%10s %14s %14s%n", "h (A)", "accuracy 1", "accuracy 1e-4");
        double[][] diff = new double[accuracies.length][steps.length - 1];
        for (int a = 0; a < accuracies.length; a++) {
            double[][] prev = null;
            for (int s = 0; s < steps.length; s++) {
                FeatureJacobian.Jacobian jac = new NumericalFeatureJacobian(steps[s], accuracies[a], 2, null).of(thiol);
                double[][] j = new double[jac.numCoordinates()][];
                for (int q = 0; q < j.length; q++) j[q] = jac.column(q);
                if (prev != null) diff[a][s - 1] = rel(prev, j);
                prev = j;
            }
        }
        for (int s = 0; s + 1 < steps.length; s++)
            System.out.printf(Locale.ROOT, "%10.2e %14.3e %14.3e%n", steps[s], diff[0][s], diff[1][s]);
        int at = -1, best = 0;
        for (int s = 0; s + 1 < steps.length; s++) {
            if (steps[s] == NumericalFeatureJacobian.DEFAULT_STEP) at = s;
            if (diff[1][s] < diff[1][best]) best = s;
        }
        assertTrue(at >= 0, "the default step is one of the study's steps");
        double atDefault = diff[1][at];
        System.out.printf(Locale.ROOT, "at the default step %.3e A and accuracy %.0e: %.2e relative (smallest at %.3e A: %.2e)%n",
                NumericalFeatureJacobian.DEFAULT_STEP, NumericalFeatureJacobian.DEFAULT_ACCURACY, atDefault, steps[best], diff[1][best]);
        // the stated precision of the numerical Jacobian, and the default near the study's optimum
        // (truncation ~ h^2 above it, SCF noise ~ 1/h below it)
        assertTrue(atDefault < 1e-7, "Jacobian precision at the default step: " + atDefault);
        assertTrue(Math.abs(best - at) <= 2, "the study's best step " + steps[best] + " is far from the default");
        // truncation error shrinks as h^2 where noise does not dominate
        assertEquals(4.0, diff[1][0] / diff[1][1], 0.5);
    }

    @Test
    void overlapBlocksDependOnlyOnTheirTwoAtoms() {
        FeatureJacobian.Jacobian j = new NumericalFeatureJacobian().of(thiol);
        int sIndex = MolecularGraph.OPERATORS.indexOf("S");
        double worstOutside = 0, largestInside = 0;
        for (int a = 0; a < thiol.numAtoms(); a++)
            for (int p = thiol.rowStart(a); p < thiol.rowEnd(a); p++) {
                int b = thiol.partner(p);
                int len = thiol.basis().numAo(a) * thiol.basis().numAo(b);
                int off = thiol.blockOffset(p) + sIndex * len;
                for (int q = 0; q < j.numCoordinates(); q++) {
                    int atom = q / 3;
                    for (int k = 0; k < len; k++) {
                        double v = Math.abs(j.column(q)[off + k]);
                        if (atom == a || atom == b) largestInside = Math.max(largestInside, v);
                        else worstOutside = Math.max(worstOutside, v);
                    }
                }
            }
        assertTrue(largestInside > 0.1, "dS/dR of its own atoms " + largestInside);
        assertTrue(worstOutside < 1e-7, "dS_AB/dR_C for C outside the pair " + worstOutside);
    }

    @Test
    void jvpAndVjpAreAdjointAndMatchADisplacement() {
        FeatureJacobian.Jacobian j = new NumericalFeatureJacobian().of(thiol);
        Random r = new Random(3);
        double[] v = new double[j.numCoordinates()], g = new double[thiol.numBlockValues()];
        for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
        for (int i = 0; i < g.length; i++) g[i] = r.nextGaussian();
        double lhs = 0, rhs = 0;
        double[] jv = j.jvp(v), jg = j.vjp(g);
        for (int i = 0; i < g.length; i++) lhs += g[i] * jv[i];
        for (int i = 0; i < v.length; i++) rhs += jg[i] * v[i];
        assertEquals(lhs, rhs, 1e-10 * Math.abs(lhs));
        // a small displacement along v changes the blocks by J v (first order)
        double eps = 1e-4;
        double[] x = thiol.positions();
        for (int i = 0; i < x.length; i++) x[i] += eps * v[i];
        Molecule moved = new Molecule(thiol.atomicNumbers(), x);
        double[] t1 = thiol.atSamePairs(new XtbFeaturizer(XtbMethod.GFN1, 1e-4, 300, 250).featurize(moved)).blockValues();
        double[] t0 = thiol.atSamePairs(new XtbFeaturizer(XtbMethod.GFN1, 1e-4, 300, 250)
                .featurize(new Molecule(thiol.atomicNumbers(), thiol.positions()))).blockValues();
        double d = 0, m = 0;
        for (int i = 0; i < t0.length; i++) {
            d = Math.max(d, Math.abs((t1[i] - t0[i]) - eps * jv[i]));
            m = Math.max(m, Math.abs(eps * jv[i]));
        }
        assertTrue(d / m < 1e-3, "first-order change " + d / m);
        assertEquals(36, NumericalFeatureJacobian.singlePoints(thiol.numAtoms()));
    }
}
