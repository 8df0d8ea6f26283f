package org.unite4j.chem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DimerTest {
    /** Water (3 atoms) next to an ammonium ion (5 atoms). */
    private static Molecule complex(int charge, Map<String, String> info) {
        int[] z = {8, 1, 1, 7, 1, 1, 1, 1};
        double[] r = new double[3 * z.length];
        for (int i = 0; i < r.length; i++) r[i] = 0.37 * i;
        return new Molecule(z, r, charge, 1, "water-ammonium", info);
    }

    @Test
    void splitsAtNAWithTheGivenChargesAndKeepsCoordinates() {
        Molecule m = complex(1, Map.of("nA", "3", "nB", "5", "chgmultA", "(0, 1)", "chgmultB", "(1, 1)"));
        Dimer d = Dimer.split(m, null);
        assertArrayEquals(new int[]{8, 1, 1}, d.a().atomicNumbers());
        assertArrayEquals(new int[]{7, 1, 1, 1, 1}, d.b().atomicNumbers());
        assertEquals(0, d.a().charge());
        assertEquals(1, d.b().charge());
        assertArrayEquals(java.util.Arrays.copyOfRange(m.positions(), 9, 24), d.b().positions(), 0);
        assertEquals("water-ammonium (B)", d.b().name());
    }

    @Test
    void neutralSingletFragmentsDefaultToTheirElectronParity() {
        int[] z = {1, 1, 1, 1}; // H2 + 2 H atoms: A = H (doublet), B = H3 (odd: doublet)
        Molecule m = new Molecule(z, new double[12], 0, 1, "", Map.of());
        Dimer d = Dimer.split(m, new int[]{1});
        assertEquals(2, d.a().multiplicity());
        assertEquals(3, d.b().size());
        assertEquals(2, d.b().multiplicity());
        assertEquals(1, Dimer.split(m, new int[]{2, 2}).a().multiplicity());
    }

    @Test
    void errorsNameWhatIsWrong() {
        var noSizes = assertThrows(IllegalArgumentException.class, () -> Dimer.split(complex(0, Map.of()), null));
        assertTrue(noSizes.getMessage().contains("nA") && noSizes.getMessage().contains("--fragments"), noSizes.getMessage());
        var sum = assertThrows(IllegalArgumentException.class, () -> Dimer.split(complex(0, Map.of()), new int[]{3, 4}));
        assertTrue(sum.getMessage().contains("3 + 4") && sum.getMessage().contains("8 atoms"), sum.getMessage());
        var charged = assertThrows(IllegalArgumentException.class, () -> Dimer.split(complex(1, Map.of("nA", "3")), null));
        assertTrue(charged.getMessage().contains("chgmultA"), charged.getMessage());
        var mismatch = assertThrows(IllegalArgumentException.class,
                () -> Dimer.split(complex(1, Map.of("nA", "3", "chgmultA", "(0, 1)", "chgmultB", "(0, 2)")), null));
        assertTrue(mismatch.getMessage().contains("charge 1"), mismatch.getMessage());
        var parity = assertThrows(IllegalArgumentException.class,
                () -> Dimer.split(complex(1, Map.of("nA", "3", "chgmultA", "(0, 2)", "chgmultB", "(1, 1)")), null));
        assertTrue(parity.getMessage().contains("multiplicity 2 is impossible with 10 electrons"), parity.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dimer.parseSizes("3,4,5"));
        assertArrayEquals(new int[]{3, 5}, Dimer.parseSizes(" 3 , 5"));
    }
}
