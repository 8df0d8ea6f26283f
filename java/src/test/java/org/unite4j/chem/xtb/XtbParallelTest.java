package org.unite4j.chem.xtb;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unite4j.chem.Molecule;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** 200 QM7 molecules featurized on all cores give bitwise the same results as serially. */
class XtbParallelTest {
    @BeforeAll
    static void needLibxtb() {
        Assumptions.assumeTrue(XtbEnvironment.isAvailable(), () -> "libxtb not available: " + XtbEnvironment.availabilityProblem().orElse(""));
    }

    @Test
    void parallelEqualsSerialBitwise() throws Exception {
        Path qm7 = XtbTestMolecules.sharedData("qm7/qm7_pbe0.extxyz");
        Assumptions.assumeTrue(Files.exists(qm7), "shared data not found: " + qm7);
        List<Molecule> mols = XtbTestMolecules.readExtxyz(qm7, 200);
        assertEquals(200, mols.size());
        XtbFeaturizer fz = new XtbFeaturizer(XtbMethod.GFN1);
        List<XtbFeatures> serial = fz.featurizeAll(mols, 1, null);
        int threads = Math.max(4, Runtime.getRuntime().availableProcessors()); // oversubscribe on small machines
        int[] last = {0};
        List<XtbFeatures> parallel = fz.featurizeAll(mols, threads, k -> {
            synchronized (last) { last[0] = Math.max(last[0], k); }
        });
        assertEquals(200, last[0], "progress reached the end");
        for (int i = 0; i < mols.size(); i++) {
            XtbFeatures a = serial.get(i), b = parallel.get(i);
            assertSame(mols.get(i), b.molecule(), "order kept");
            assertEquals(Double.doubleToLongBits(a.energy()), Double.doubleToLongBits(b.energy()), "energy of molecule " + i);
            for (String op : XtbFeatures.OPERATORS)
                assertArrayEquals(a.operator(op), b.operator(op), 0.0, op + " of molecule " + i);
            assertArrayEquals(a.gradient(), b.gradient(), 0.0);
            assertArrayEquals(a.charges(), b.charges(), 0.0);
        }
    }
}
