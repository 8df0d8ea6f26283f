package org.unite4j.chem.gfn1;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.Units;
import org.unite4j.chem.xtb.XtbTestMolecules;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The analytic derivatives of F, P, S, W, the shell charges and the electronic energy against
 * central differences of the Java GFN1-xTB itself (SCF converged to 1e-13, step 1e-4 A), to 1e-6
 * of the largest entry. Cases: s/p only, d shells (S, Cl, Br), a transition metal, and a radical
 * whose degenerate pi orbitals are half filled (fractional Fermi occupations).
 */
class Gfn1DerivativesTest {
    static final double STEP = 1e-4;
    static final double REL_TOL = 1e-6;

    @BeforeAll
    static void need() {
        Assumptions.assumeTrue(Files.exists(Gfn1Parameters.defaultPath()), "no GFN1 parameter file at " + Gfn1Parameters.defaultPath());
    }

    static double max(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** max |analytic - numerical| / max(|numerical|, floor). */
    static double relErr(double[] analytic, double[] numerical, double floor) {
        double d = 0;
        for (int i = 0; i < analytic.length; i++) d = Math.max(d, Math.abs(analytic[i] - numerical[i]));
        return d / Math.max(max(numerical), floor);
    }

    static double[] diff(double[] plus, double[] minus) {
        double[] out = new double[plus.length];
        // per bohr: (T(+h) - T(-h)) / 2h with h in Angstrom, times Angstrom per bohr
        for (int i = 0; i < out.length; i++) out[i] = (plus[i] - minus[i]) / (2 * STEP) * Units.BOHR_IN_ANGSTROM;
        return out;
    }

    static void check(Molecule m, int... coordinates) {
        // SCF converged to 1e-13 so that its noise over the step stays below the tolerance
        Gfn1Calculator calc = new Gfn1Calculator(Gfn1Parameters.load(), new Gfn1Calculator.Options(300, 500, 1e-13, 1e-14, 0.4));
        Gfn1Derivatives d = calc.derivatives(m);
        double[] grad = d.energyGradient();
        for (int q : coordinates) {
            double[] rp = m.positions(), rm = m.positions();
            rp[q] += STEP;
            rm[q] -= STEP;
            Gfn1Result p = calc.singlePoint(m.withPositions(rp)), n = calc.singlePoint(m.withPositions(rm));
            Gfn1Derivatives.Column c = d.column(q);
            String where = m.formula() + " (multiplicity " + m.multiplicity() + ") coordinate " + q;
            double eS = relErr(c.dS(), diff(p.overlap(), n.overlap()), 1e-3);
            double eF = relErr(c.dF(), diff(p.fock(), n.fock()), 1e-3);
            double eP = relErr(c.dP(), diff(p.density(), n.density()), 1e-3);
            double eW = relErr(c.dW(), diff(p.energyWeighted(), n.energyWeighted()), 1e-3);
            double eQ = relErr(c.dShellCharges(), diff(p.shellCharges(), n.shellCharges()), 1e-3);
            double[] de = {(p.electronicEnergy() - n.electronicEnergy()) / (2 * STEP) * Units.BOHR_IN_ANGSTROM};
            double eE = relErr(new double[]{grad[q]}, de, 1e-3);
            System.out.printf("%s: dS %.1e dF %.1e dP %.1e dW %.1e dq %.1e dE %.1e (|dE| %.2e)%n", where, eS, eF, eP, eW, eQ, eE, Math.abs(de[0]));
            assertTrue(eS < REL_TOL, where + ": dS relative error " + eS);
            assertTrue(eF < REL_TOL, where + ": dF relative error " + eF);
            assertTrue(eP < REL_TOL, where + ": dP relative error " + eP);
            assertTrue(eW < REL_TOL, where + ": dW relative error " + eW);
            assertTrue(eQ < REL_TOL, where + ": dq relative error " + eQ);
            assertTrue(eE < REL_TOL, where + ": dE relative error " + eE);
        }
    }

    @Test
    void waterAllCoordinates() {
        check(XtbTestMolecules.water(), 0, 1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void dShellsAndHalogens() {
        // C (0), Br (1), S (7) and an H bonded to S (9)
        check(XtbTestMolecules.mixed(), 0, 4, 5, 21, 23, 28);
    }

    @Test
    void transitionMetal() {
        check(XtbTestMolecules.ironPentacarbonyl(), 0, 4, 17);
    }

    @Test
    void radicalWithHalfFilledDegenerateOrbitals() {
        Molecule w = XtbTestMolecules.water();
        double[] r = w.positions();
        Molecule oh = new Molecule(new int[]{8, 1}, new double[]{r[0], r[1], r[2], r[3] + 0.01, r[4], r[5]}, 0, 2, "OH", null);
        Gfn1Result res = new Gfn1Calculator().singlePoint(oh);
        boolean fractional = false;
        for (double f : res.occupations()) fractional |= f > 1.2 && f < 1.8;
        assertTrue(fractional, "the OH radical should have fractionally occupied degenerate orbitals");
        check(oh, 0, 1, 2, 3, 4, 5);
    }

    /** The adjoint pass equals the columns contracted with the same output gradients (a linear-algebra identity). */
    @Test
    void vjpEqualsTheColumnsContracted() {
        Molecule w = XtbTestMolecules.water();
        double[] r = w.positions();
        Molecule oh = new Molecule(new int[]{8, 1}, new double[]{r[0], r[1], r[2], r[3] + 0.01, r[4], r[5]}, 0, 2, "OH", null);
        java.util.Random rnd = new java.util.Random(3);
        for (Molecule m : new Molecule[]{XtbTestMolecules.mixed(), XtbTestMolecules.ironPentacarbonyl(), oh}) {
            Gfn1Derivatives d = new Gfn1Calculator().derivatives(m);
            int n = d.result().nao();
            double[][] g = new double[4][n * n];
            for (double[] x : g) for (int k = 0; k < x.length; k++) x[k] = rnd.nextGaussian();
            double[] vjp = d.vjp(g[0], g[1], g[2], g[3]);
            double worst = 0, scale = 0;
            for (int q = 0; q < d.numCoordinates(); q++) {
                Gfn1Derivatives.Column c = d.column(q);
                double[][] cols = {c.dF(), c.dP(), c.dS(), c.dW()};
                double ref = 0;
                for (int o = 0; o < 4; o++) for (int k = 0; k < n * n; k++) ref += g[o][k] * cols[o][k];
                worst = Math.max(worst, Math.abs(ref - vjp[q]));
                scale = Math.max(scale, Math.abs(ref));
            }
            System.out.printf("%s: max |vjp - J^T g| = %.2e of %.2e%n", m.formula(), worst, scale);
            assertTrue(scale > 1e-3, "vacuous");
            assertTrue(worst < 1e-10 * scale, m.formula() + ": vjp differs from J^T g by " + worst + " of " + scale);
        }
    }
}
