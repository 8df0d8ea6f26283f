package org.unite4j.chem.gfn1;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.xtb.XtbTestMolecules;
import org.unite4j.chem.xtb.XtbRotationTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Properties of the Java GFN1-xTB that hold without libxtb: symmetry, invariances, errors. */
class Gfn1PropertiesTest {
    @BeforeAll
    static void need() {
        Assumptions.assumeTrue(Files.exists(Gfn1Parameters.defaultPath()), "no GFN1 parameter file at " + Gfn1Parameters.defaultPath());
    }

    @Test
    void operatorsRotateWithWignerMatricesAndEnergyIsInvariant() {
        Random rnd = new Random(5);
        Gfn1Calculator calc = new Gfn1Calculator();
        double[][] inversion = {{-1, 0, 0}, {0, -1, 0}, {0, 0, -1}};
        for (Molecule m : new Molecule[]{XtbTestMolecules.mixed(), XtbTestMolecules.ironPentacarbonyl()})
            for (double[][] q : new double[][][]{XtbTestMolecules.randomRotation(rnd), inversion}) {
                Gfn1Result a = calc.singlePoint(m), b = calc.singlePoint(m.transformed(q));
                int n = a.nao();
                double[] d = XtbRotationTest.blockDiagonal(a.basis(), q, XtbRotationTest::wignerD);
                double[][] ops = {a.fock(), a.density(), a.overlap(), a.energyWeighted(), a.h0()};
                double[][] rot = {b.fock(), b.density(), b.overlap(), b.energyWeighted(), b.h0()};
                String[] names = {"F", "P", "S", "W", "H0"};
                for (int k = 0; k < ops.length; k++) {
                    double err = XtbRotationTest.equivarianceError(ops[k], rot[k], d, n);
                    assertTrue(err < 1e-9, m.formula() + ": max |" + names[k] + "' - D " + names[k] + " D^T| = " + err);
                }
                double changed = Gfn1AgreementTest.maxDiff(a.density(), b.density());
                assertTrue(changed > 1e-3, "the transformation did not change P; the test would be vacuous");
                assertEquals(a.electronicEnergy(), b.electronicEnergy(), 1e-10, "energy invariant");
            }
    }

    @Test
    void translationChangesNothing() {
        Molecule m = XtbTestMolecules.mixed();
        double[] r = m.positions();
        for (int i = 0; i < m.size(); i++) { r[3 * i] += 3.7; r[3 * i + 1] -= 11.2; r[3 * i + 2] += 0.9; }
        Gfn1Calculator calc = new Gfn1Calculator();
        Gfn1Result a = calc.singlePoint(m), b = calc.singlePoint(m.withPositions(r));
        assertTrue(Gfn1AgreementTest.maxDiff(a.fock(), b.fock()) < 1e-10);
        assertTrue(Gfn1AgreementTest.maxDiff(a.density(), b.density()) < 1e-10);
        assertEquals(a.electronicEnergy(), b.electronicEnergy(), 1e-10);
    }

    @Test
    void densityHasTheRightTraceAndIdempotencyAtZeroTemperatureLimit() {
        Molecule m = XtbTestMolecules.mixed();
        Gfn1Result r = new Gfn1Calculator().singlePoint(m);
        int n = r.nao();
        double tr = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) tr += r.density()[i * n + j] * r.overlap()[j * n + i];
        assertEquals(org.unite4j.chem.xtb.XtbBasisSet.valenceElectrons(m), tr, 1e-10, "tr(PS) = electrons");
        double q = 0;
        for (double c : r.charges()) q += c;
        assertEquals(m.charge(), q, 1e-10, "charges sum to the total charge");
        // P S P = 2 P for a closed shell with a gap (occupations 2 or 0 to machine precision).
        double err = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) for (int l = 0; l < n; l++) s += r.density()[i * n + k] * r.overlap()[k * n + l] * r.density()[l * n + j];
                err = Math.max(err, Math.abs(s - 2 * r.density()[i * n + j]));
            }
        assertTrue(err < 1e-9, "P S P = 2 P, error " + err);
    }

    @Test
    void badInputGivesClearErrors() {
        Gfn1Calculator calc = new Gfn1Calculator();
        Molecule fr = new Molecule(new int[]{87, 1}, new double[]{0, 0, 0, 0, 0, 2}, 0, 1, "", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> calc.singlePoint(fr));
        assertTrue(e.getMessage().contains("Fr") && e.getMessage().contains("atom 0"), e.getMessage());
        Molecule close = new Molecule(new int[]{1, 1}, new double[]{0, 0, 0, 0, 0, 0.05}, 0, 1, "", null);
        e = assertThrows(IllegalArgumentException.class, () -> calc.singlePoint(close));
        assertTrue(e.getMessage().contains("0.1 A"), e.getMessage());
        Molecule w = XtbTestMolecules.water();
        Molecule bad = new Molecule(w.atomicNumbers(), w.positions(), 0, 2, "water", null);
        e = assertThrows(IllegalArgumentException.class, () -> calc.singlePoint(bad));
        assertTrue(e.getMessage().contains("multiplicity 2"), e.getMessage());
    }

    @Test
    void scfThatDoesNotConvergeNamesTheMolecule() {
        Gfn1Calculator two = new Gfn1Calculator(Gfn1Parameters.load(), new Gfn1Calculator.Options(300, 2, 1e-11, 1e-13, 0.4));
        Gfn1Exception e = assertThrows(Gfn1Exception.class, () -> two.singlePoint(XtbTestMolecules.mixed()));
        assertTrue(e.getMessage().contains("did not converge") && e.getMessage().contains("BrClFC"), e.getMessage());
    }

    @Test
    void malformedParameterFileNamesFileAndLine() throws Exception {
        Path f = Files.createTempFile("gfn1", ".txt");
        try {
            Files.writeString(f, "$globpar\nks 1.85\n$end\n$Z= 1\n ao=1s2s\n lev= -10.9 abc\n exp= 1.2 1.9\n GAM= 0.47\n$end\n");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gfn1Parameters.read(f));
            assertTrue(e.getMessage().contains(f.toString() + ":4") && e.getMessage().contains("abc"), e.getMessage());
            Path missing = f.resolveSibling("no-such-param-file.txt");
            e = assertThrows(IllegalArgumentException.class, () -> Gfn1Parameters.read(missing));
            assertTrue(e.getMessage().contains("not found"), e.getMessage());
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
