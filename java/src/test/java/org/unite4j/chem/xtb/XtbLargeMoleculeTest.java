package org.unite4j.chem.xtb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.unite4j.bench.Geometries;
import org.unite4j.chem.Molecule;

/**
 * libxtb keeps large arrays on the calling thread's stack and segfaults (taking the JVM with it)
 * above about 150 atoms on an ordinary thread stack. The featurizer must run it on a thread with a
 * large stack, so a 194-atom alkane works from any caller thread, here one with a small stack.
 */
class XtbLargeMoleculeTest {
    @Test
    void largeAlkaneFromASmallStackThread() throws Exception {
        assumeTrue(XtbEnvironment.isAvailable(), () -> "libxtb not available: " + XtbEnvironment.availabilityProblem().orElse(""));
        Molecule c64 = Geometries.alkane(64);
        assertEquals(194, c64.size());
        XtbFeatures[] out = new XtbFeatures[1];
        Throwable[] err = new Throwable[1];
        Thread small = new Thread(null, () -> {
            try {
                out[0] = new XtbFeaturizer(XtbMethod.GFN1).featurize(c64);
            } catch (Throwable e) {
                err[0] = e;
            }
        }, "small-stack", 512 * 1024);
        small.start();
        small.join();
        if (err[0] != null) throw new AssertionError(err[0]);
        assertTrue(Double.isFinite(out[0].energy()), "energy " + out[0].energy());
        assertEquals(64 * 4 + 130 * 2, out[0].basis().numAo());
    }
}
