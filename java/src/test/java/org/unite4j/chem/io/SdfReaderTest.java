package org.unite4j.chem.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unite4j.chem.Molecule;

class SdfReaderTest {
    // ammonium (charge in the atom block: field 4 = 3 means +1) with explicit hydrogens, and a data item
    static final String AMMONIUM = """
            ammonium
              test      3D

              5  4  0  0  0  0  0  0  0  0999 V2000
                0.0000    0.0000    0.0000 N   0  3  0  0  0  0  0  0  0  0  0  0
                0.5900    0.5900    0.5900 H   0  0  0  0  0  0  0  0  0  0  0  0
               -0.5900   -0.5900    0.5900 H   0  0  0  0  0  0  0  0  0  0  0  0
               -0.5900    0.5900   -0.5900 H   0  0  0  0  0  0  0  0  0  0  0  0
                0.5900   -0.5900   -0.5900 H   0  0  0  0  0  0  0  0  0  0  0  0
              1  2  1  0  0  0  0
              1  3  1  0  0  0  0
              1  4  1  0  0  0  0
              1  5  1  0  0  0  0
            M  END
            > <energy>
            -56.8

            $$$$
            acetate
              test      3D

              4  3  0  0  0  0  0  0  0  0999 V2000
                0.0000    0.0000    0.0000 C   0  0  0  0  0  0  0  0  0  0  0  0
                1.2500    0.0000    0.0000 O   0  0  0  0  0  0  0  0  0  0  0  0
               -0.6200    1.0800    0.0000 O   0  0  0  0  0  0  0  0  0  0  0  0
               -0.7700   -1.3300    0.0000 C   0  0  0  0  0  0  0  0  0  0  0  0
              1  2  2  0  0  0  0
              1  3  1  0  0  0  0
              1  4  1  0  0  0  0
            M  CHG  1   3  -1
            M  END
            $$$$
            methyl radical
              test      3D

              1  0  0  0  0  0  0  0  0  0999 V2000
                0.0000    0.0000    0.0000 C   0  0  0  0  0  0  0  0  0  0  0  0
            M  RAD  1   1   2
            M  END
            $$$$
            """;

    @Test
    void chargesHydrogensRadicalsAndDataItems() {
        List<Frame> frames = SdfReader.parse(AMMONIUM, "ions.sdf");
        assertEquals(3, frames.size());
        Molecule nh4 = frames.get(0).molecule();
        assertEquals("ammonium", nh4.name());
        assertArrayEquals(new int[]{7, 1, 1, 1, 1}, nh4.atomicNumbers()); // hydrogens as written
        assertEquals(1, nh4.charge());
        assertEquals(1, nh4.multiplicity());
        assertEquals(-56.8, frames.get(0).label("energy"));
        assertArrayEquals(new double[]{0.59, 0.59, 0.59}, new double[]{nh4.x(1, 0), nh4.x(1, 1), nh4.x(1, 2)}, 1e-12);
        Molecule ac = frames.get(1).molecule();
        // heavy atoms only, as written: no hydrogens are added
        assertArrayEquals(new int[]{6, 8, 8, 6}, ac.atomicNumbers());
        assertEquals(-1, ac.charge());
        assertEquals(19, frames.get(1).line()); // the line after the first $$$$
        Molecule ch3 = frames.get(2).molecule();
        assertEquals(1, ch3.size());
        assertEquals(2, ch3.multiplicity()); // M  RAD 2 = doublet
    }

    @Test
    void v3000Record() {
        String hydroxide = """
                hydroxide
                  test      3D

                  0  0  0     0  0            999 V3000
                M  V30 BEGIN CTAB
                M  V30 COUNTS 2 1 0 0 0
                M  V30 BEGIN ATOM
                M  V30 1 O 0.0 0.0 0.1 0 CHG=-1
                M  V30 2 H 0.97 0.0 0.1 0
                M  V30 END ATOM
                M  V30 BEGIN BOND
                M  V30 1 1 1 2
                M  V30 END BOND
                M  V30 END CTAB
                M  END
                """;
        Molecule m = SdfReader.parse(hydroxide, "oh.mol").get(0).molecule();
        assertArrayEquals(new int[]{8, 1}, m.atomicNumbers());
        assertArrayEquals(new double[]{0, 0, 0.1, 0.97, 0, 0.1}, m.positions(), 1e-12);
        assertEquals(-1, m.charge());
    }

    @Test
    void unknownElementNamesItsLine() {
        String bad = AMMONIUM.replaceFirst("0.5900   -0.5900   -0.5900 H ", "0.5900   -0.5900   -0.5900 Xx");
        var e = assertThrows(MoleculeFormatException.class, () -> SdfReader.parse(bad, "bad.sdf"));
        assertEquals(9, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith("bad.sdf:9:") && e.getMessage().contains("Xx"), e.getMessage());
    }

    @Test
    void nanCoordinateAndTruncatedRecord() {
        String nan = AMMONIUM.replaceFirst("   -0.5900   -0.5900    0.5900 H", "   -0.5900       NaN    0.5900 H");
        var e = assertThrows(MoleculeFormatException.class, () -> SdfReader.parse(nan, "nan.sdf"));
        assertEquals(7, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("coordinate y"), e.getMessage());
        // atom block shorter than declared
        String cut = AMMONIUM.substring(0, AMMONIUM.indexOf("    0.5900   -0.5900   -0.5900 H")) + "M  END\n$$$$\n";
        var e2 = assertThrows(MoleculeFormatException.class, () -> SdfReader.parse(cut, "cut.sdf"));
        assertEquals(9, e2.line(), e2.getMessage());
        assertTrue(e2.getMessage().contains("declares 5 atoms"), e2.getMessage());
        // no M  END
        var e3 = assertThrows(MoleculeFormatException.class, () -> SdfReader.parse("x\n\n\n  1  0  0  0  0  0  0  0  0  0999 V2000\n", "x.mol"));
        assertTrue(e3.getMessage().contains("M  END"), e3.getMessage());
    }

    @Test
    void emptyMolFile(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("empty.mol");
        Files.writeString(p, "");
        var e = assertThrows(MoleculeFormatException.class, () -> MoleculeReader.read(p));
        assertTrue(e.getMessage().startsWith(p + ":1:") && e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void molFileByExtension(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("nh4.MOL");
        Files.writeString(p, AMMONIUM.substring(0, AMMONIUM.indexOf("$$$$")));
        List<Molecule> ms = MoleculeReader.read(p);
        assertEquals(1, ms.size());
        assertEquals(1, ms.get(0).charge());
        var e = assertThrows(IllegalArgumentException.class, () -> MoleculeReader.read(dir.resolve("x.pdb")));
        assertTrue(e.getMessage().contains(".pdb") && e.getMessage().contains(".extxyz"), e.getMessage());
    }
}
