package org.unite4j.chem.xtb;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unite4j.chem.Elements;
import org.unite4j.chem.Molecule;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Inputs on which libxtb would crash the JVM (Z > 86 segfaults in 6.5.1), compute nonsense (atoms
 * 0.05 A apart) or fail are rejected with a clear exception, and the JVM survives to run the next
 * calculation.
 */
class XtbBadInputTest {
    @BeforeAll
    static void needLibxtb() {
        Assumptions.assumeTrue(XtbEnvironment.isAvailable(), () -> "libxtb not available: " + XtbEnvironment.availabilityProblem().orElse(""));
    }

    static final XtbFeaturizer GFN1 = new XtbFeaturizer(XtbMethod.GFN1);

    static Molecule diatomic(int z1, int z2, double distance) {
        return new Molecule(new int[]{z1, z2}, new double[]{0, 0, 0, 0, 0, distance});
    }

    @Test
    void unsupportedElementIsRejectedBeforeLibxtbCrashes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GFN1.featurize(diatomic(87, 1, 2.0)));
        assertTrue(e.getMessage().contains("Fr") && e.getMessage().contains("Z = 87"), e.getMessage());
        for (XtbMethod m : XtbMethod.values())
            assertThrows(IllegalArgumentException.class, () -> new XtbFeaturizer(m).featurize(diatomic(1, 92, 2.0)));
        // Unknown element symbols never make it into a Molecule.
        assertThrows(IllegalArgumentException.class, () -> Elements.number("Xx"));
        assertEquals(-1.0, Math.signum(GFN1.featurize(diatomic(1, 1, 0.74)).energy()), "the JVM still works");
    }

    @Test
    void nonFiniteCoordinatesAreRejected() {
        try (XtbEnvironment env = new XtbEnvironment()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                    new XtbMolecule(env, new int[]{8, 1}, new double[]{0, 0, 0, 0, Double.NaN, 1.8}, 0, 1, XtbMethod.GFN1));
            assertTrue(e.getMessage().contains("atom 2") && e.getMessage().contains("NaN"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () ->
                    new XtbMolecule(env, new int[]{8, 1}, new double[]{0, 0, 0, 0, Double.POSITIVE_INFINITY, 1.8}, 0, 1, XtbMethod.GFN1));
        }
        assertThrows(IllegalArgumentException.class, () -> new Molecule(new int[]{1}, new double[]{0, Double.NaN, 0}));
    }

    @Test
    void atomsOnTopOfEachOtherAreRejected() {
        for (double d : new double[]{0.0, 0.05, 0.0999}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GFN1.featurize(diatomic(8, 1, d)));
            assertTrue(e.getMessage().contains("atoms 1 (O) and 2 (H)"), e.getMessage());
        }
        GFN1.featurize(diatomic(1, 1, 0.5)); // close but allowed
        try (XtbEnvironment env = new XtbEnvironment();
             XtbMolecule mol = new XtbMolecule(env, new int[]{1, 1}, new double[]{0, 0, 0, 0, 0, 1.4}, 0, 0, XtbMethod.GFN1)) {
            assertThrows(IllegalArgumentException.class, () -> mol.updatePositions(new double[]{0, 0, 0, 0, 0, 0.01}));
        }
    }

    @Test
    void impossibleChargeOrSpinIsRejected() {
        Molecule oh = new Molecule(new int[]{8, 1}, new double[]{0, 0, 0, 0, 0, 0.97}, 0, 1, "OH", Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GFN1.featurize(oh));
        assertTrue(e.getMessage().contains("multiplicity 1"), e.getMessage());
        Molecule ohRadical = new Molecule(new int[]{8, 1}, new double[]{0, 0, 0, 0, 0, 0.97}, 0, 2, "OH", Map.of());
        assertEquals(7, Math.round(traceOfOccupations(GFN1.featurize(ohRadical))));
        Molecule stripped = new Molecule(new int[]{1, 1}, new double[]{0, 0, 0, 0, 0, 0.74}, 20, 1, "H2", Map.of());
        assertThrows(IllegalArgumentException.class, () -> GFN1.featurize(stripped));
    }

    static double traceOfOccupations(XtbFeatures f) {
        double s = 0;
        for (double o : f.occupations()) s += o;
        return s;
    }

    @Test
    void failedScfBecomesAnExceptionWithLibxtbsMessage() {
        XtbFeaturizer oneIteration = new XtbFeaturizer(XtbMethod.GFN1, 1.0, 300, 1);
        XtbException e = assertThrows(XtbException.class, () -> oneIteration.featurize(XtbTestMolecules.mixed()));
        assertTrue(e.getMessage().toLowerCase().contains("converge"), e.getMessage());
        // and the batch API names the molecule
        XtbException b = assertThrows(XtbException.class,
                () -> oneIteration.featurizeAll(List.of(XtbTestMolecules.water(), XtbTestMolecules.mixed()), 2, null));
        assertTrue(b.getMessage().startsWith("molecule "), b.getMessage());
    }

    @Test
    void closedHandlesAreNotUsedAndCloseIsIdempotent() {
        XtbEnvironment env = new XtbEnvironment();
        XtbMolecule mol = new XtbMolecule(env, new int[]{1, 1}, new double[]{0, 0, 0, 0, 0, 1.4}, 0, 0, XtbMethod.GFN1);
        mol.close();
        mol.close();
        assertThrows(IllegalStateException.class, () -> mol.updatePositions(new double[]{0, 0, 0, 0, 0, 1.5}));
        env.close();
        env.close();
        assertThrows(IllegalStateException.class, env::hasError);
        assertThrows(IllegalArgumentException.class, () -> XtbMethod.parse("gfn3"));
        assertEquals(XtbMethod.GFN2, XtbMethod.parse("GFN2-xTB"));
    }
}
