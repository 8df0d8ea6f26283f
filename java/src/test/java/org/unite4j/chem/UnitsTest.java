package org.unite4j.chem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.unite4j.chem.Units;

class UnitsTest {
    @Test
    void energyConversionsMatchPublishedConstants() {
        assertEquals(627.509474, Units.convert(1, "Eh", "kcal/mol"), 1e-9);
        assertEquals(27.211386, Units.convert(1, "hartree", "eV"), 1e-9);
        assertEquals(27211.386, Units.convert(1, "Ha", "meV"), 1e-6);
        assertEquals(4.184, Units.convert(1, "kcal/mol", "kJ/mol"), 1e-12);
        // 1 eV = 23.0605 kcal/mol (627.509474 / 27.211386)
        assertEquals(23.060548, Units.convert(1, "eV", "kcal/mol"), 1e-5);
        double x = 1.2345;
        assertEquals(x, Units.convert(Units.convert(x, "kJ/mol", "meV"), "meV", "kJ/mol"), 1e-13);
    }

    @Test
    void lengthDipoleAndForce() {
        assertEquals(0.529177210903, Units.convert(1, "bohr", "A"), 1e-15);
        assertEquals(1 / 0.529177210903, Units.convert(1, "Angstrom", "bohr"), 1e-12);
        assertEquals(0.393430, Units.convert(1, "D", "e*bohr"), 1e-12);
        // 1 e*A = 1/0.529177 e*bohr = 4.8032 D
        assertEquals(4.80320, Units.convert(1, "e*A", "Debye"), 1e-4);
        // 1 Eh/bohr = 627.509474/0.529177210903 kcal/mol/A = 1185.8212 kcal/mol/A
        assertEquals(627.509474 / 0.529177210903, Units.convert(1, "Eh/bohr", "kcal/mol/A"), 1e-9);
        assertEquals(Units.Kind.FORCE, Units.parse("eV/A").kind());
        assertEquals(27.211386 / 0.529177210903, Units.convert(1, "hartree/bohr", "eV/Angstrom"), 1e-9);
    }

    @Test
    void unknownAndMismatchedUnitsAreClearErrors() {
        var e = assertThrows(IllegalArgumentException.class, () -> Units.parse("furlong"));
        assertTrue(e.getMessage().contains("'furlong'") && e.getMessage().contains("kcal/mol") && e.getMessage().contains("e*bohr"),
                e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Units.convert(1, "eV", "D"));
        assertTrue(e2.getMessage().contains("energy") && e2.getMessage().contains("dipole"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> Units.parse("D", Units.Kind.ENERGY));
        assertTrue(e3.getMessage().contains("dipole"), e3.getMessage());
    }
}
