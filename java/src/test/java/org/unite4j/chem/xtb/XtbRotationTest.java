package org.unite4j.chem.xtb;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unite4j.chem.Molecule;
import org.unite4j.irreps.Irrep;
import org.unite4j.irreps.WignerD;
import org.unite4j.tensor.Basis;
import org.unite4j.tensor.IrrepDecomposition;
import org.unite4j.tensor.NBodyTensor;

import java.util.Random;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The decisive test of the AO convention: featurize a molecule and its image under a random
 * rotation (and under an inversion), then T' = D T D^T for T in F, P, S, W, with D block-diagonal
 * over shells from {@link WignerD} matrices D^l(Q) (parity (-1)^l); the energy and charges are invariant, the dipole and
 * gradient rotate. The molecules together contain H, Li, C, N, O, F, Si, P, S, Cl, Fe, Br, I (s, p
 * and d shells, including the d-first shell order of transition metals).
 */
public class XtbRotationTest {
    static final double TOL = 1e-6;

    @BeforeAll
    static void needLibxtb() {
        Assumptions.assumeTrue(XtbEnvironment.isAvailable(), () -> "libxtb not available: " + XtbEnvironment.availabilityProblem().orElse(""));
    }

    /** Tight SCF so that orientation-dependent convergence noise stays far below TOL. */
    static XtbFeaturizer featurizer(XtbMethod method) {
        return new XtbFeaturizer(method, 1e-3, 300, 250);
    }

    public static double[] blockDiagonal(Basis basis, double[][] q, BiFunction<Integer, double[][], double[][]> wigner) {
        int n = basis.numAo();
        double[] d = new double[n * n];
        for (int a = 0; a < basis.numAtoms(); a++)
            for (int s = 0; s < basis.numShells(a); s++) {
                int l = basis.shell(a, s).l();
                int off = basis.aoOffset(a) + basis.shellOffset(a, s);
                double[][] dl = wigner.apply(l, q);
                for (int i = 0; i <= 2 * l; i++)
                    for (int j = 0; j <= 2 * l; j++) d[(off + i) * n + off + j] = dl[i][j];
            }
        return d;
    }

    /** max |T' - D T D^T|. */
    public static double equivarianceError(double[] t, double[] tRot, double[] d, int n) {
        double[] dt = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++) {
                double dik = d[i * n + k];
                if (dik != 0) for (int j = 0; j < n; j++) dt[i * n + j] += dik * t[k * n + j];
            }
        double max = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += dt[i * n + k] * d[j * n + k];
                max = Math.max(max, Math.abs(tRot[i * n + j] - s));
            }
        return max;
    }

    static void checkEquivariance(Molecule m, XtbMethod method, double[][] q, String what,
                                  BiFunction<Integer, double[][], double[][]> wigner) {
        XtbFeaturizer fz = featurizer(method);
        XtbFeatures f = fz.featurize(m);
        XtbFeatures g = fz.featurize(m.transformed(q));
        int n = f.nao();
        double[] d = blockDiagonal(f.basis(), q, wigner);
        for (String op : XtbFeatures.OPERATORS) {
            double err = equivarianceError(f.operator(op), g.operator(op), d, n);
            assertTrue(err < TOL, method + " " + m + " " + what + ": max |" + op + "' - D " + op + " D^T| = " + err);
        }
        // A wrong convention must be visible: without the rotation the operators differ.
        double changed = 0;
        for (int i = 0; i < n * n; i++) changed = Math.max(changed, Math.abs(f.density()[i] - g.density()[i]));
        assertTrue(changed > 1e-3, "rotation did not change P; the test would be vacuous");
        assertEquals(f.energy(), g.energy(), TOL, "energy invariant");
        for (int i = 0; i < m.size(); i++) assertEquals(f.charges()[i], g.charges()[i], TOL, "charge of atom " + i);
        for (int a = 0; a < 3; a++) {
            double mu = 0;
            for (int b = 0; b < 3; b++) mu += q[a][b] * f.dipole()[b];
            assertEquals(mu, g.dipole()[a], TOL, "dipole rotates, component " + a);
            for (int i = 0; i < m.size(); i++) {
                double gr = 0;
                for (int b = 0; b < 3; b++) gr += q[a][b] * f.gradient()[3 * i + b];
                assertEquals(gr, g.gradient()[3 * i + a], TOL, "gradient rotates, atom " + i);
            }
        }
    }

    static final double[][] INVERSION = {{-1, 0, 0}, {0, -1, 0}, {0, 0, -1}};

    /** D^l(Q) of the project's irreps package, parity (-1)^l for AOs. */
    public static double[][] wignerD(int l, double[][] q) {
        return WignerD.matrix(new Irrep(l, l % 2 == 0 ? 1 : -1), q);
    }

    @Test
    void operatorsRotateWithWignerMatricesForEverySupportedShellType() {
        Random rnd = new Random(20260526);
        for (XtbMethod method : XtbMethod.values())
            for (Molecule m : XtbFeaturizerTest.molecules()) {
                checkEquivariance(m, method, XtbTestMolecules.randomRotation(rnd), "random rotation", XtbRotationTest::wignerD);
                checkEquivariance(m, method, INVERSION, "inversion", XtbRotationTest::wignerD);
            }
    }

    /**
     * Whole pipeline geometry -> xtb -> N-body tensor -> irreps: the CG decomposition of every kept
     * block of F, P, S, W of the rotated molecule equals D^L(Q) times that of the original.
     */
    @Test
    void decomposedOperatorBlocksRotateAsIrreps() {
        Random rnd = new Random(11);
        for (double[][] q : new double[][][]{XtbTestMolecules.randomRotation(rnd), INVERSION}) {
            Molecule m = XtbTestMolecules.mixed();
            XtbFeaturizer fz = featurizer(XtbMethod.GFN1);
            XtbFeatures f = fz.featurize(m), g = fz.featurize(m.transformed(q));
            IrrepDecomposition dec = new IrrepDecomposition(XtbBasisSet.slots(XtbMethod.GFN1), 2);
            assertEquals("s,s',p,d", dec.slots().toString());
            for (String op : XtbFeatures.OPERATORS) {
                NBodyTensor t = f.tensor(op), tr = g.tensor(op);
                for (int b = 0; b < t.numBlocks(); b++) {
                    int[] tu = t.tuple(b);
                    double[] x = dec.decompose(t, b);
                    int br = tr.find(tu);
                    double[] y = br >= 0 ? dec.decompose(tr, br) : new double[dec.dim()];
                    for (int i = 0; i < dec.irreps().size(); i++) {
                        var mi = dec.irreps().get(i);
                        double[][] d = WignerD.matrix(mi.ir(), q);
                        int off = dec.irreps().offset(i), mul = mi.mul();
                        for (int a = 0; a < d.length; a++)
                            for (int u = 0; u < mul; u++) {
                                double s = 0;
                                for (int c = 0; c < d.length; c++) s += d[a][c] * x[off + c * mul + u];
                                assertEquals(s, y[off + a * mul + u], TOL, op + " block " + java.util.Arrays.toString(tu) + " irrep " + mi);
                            }
                    }
                }
            }
        }
    }

    /** The explicit l <= 2 polynomials of our AO convention agree with the irreps package's D. */
    @Test
    void explicitHarmonicsAgreeWithWignerD() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 5; trial++) {
            double[][] q = XtbTestMolecules.randomRotation(rnd);
            if (trial % 2 == 1) for (double[] row : q) for (int k = 0; k < 3; k++) row[k] = -row[k];
            for (int l = 0; l <= 2; l++) {
                double[][] a = ExplicitHarmonics.d(l, q), b = wignerD(l, q);
                for (int i = 0; i <= 2 * l; i++) assertArrayEquals(a[i], b[i], 1e-12, "l = " + l);
            }
        }
    }

    @Test
    void operatorsRotateWithExplicitHarmonicsForEverySupportedShellType() {
        Random rnd = new Random(20260517);
        for (XtbMethod method : XtbMethod.values())
            for (Molecule m : XtbFeaturizerTest.molecules()) {
                checkEquivariance(m, method, XtbTestMolecules.randomRotation(rnd), "random rotation", ExplicitHarmonics::d);
                checkEquivariance(m, method, INVERSION, "inversion", ExplicitHarmonics::d);
                // An improper rotation (rotation times inversion) too.
                double[][] r = XtbTestMolecules.randomRotation(rnd);
                for (double[] row : r) for (int k = 0; k < 3; k++) row[k] = -row[k];
                checkEquivariance(m, method, r, "rotation-inversion", ExplicitHarmonics::d);
            }
    }
}
