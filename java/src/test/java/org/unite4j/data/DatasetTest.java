package org.unite4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.Units;
import org.unite4j.chem.io.NpzWriter;

class DatasetTest {
    static Path shared(String rel) {
        String prop = System.getProperty("unite.shared.dir");
        if (prop != null && Files.isRegularFile(Path.of(prop, "data", rel))) return Path.of(prop, "data", rel);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent())
            if (Files.isRegularFile(p.resolve("shared/data").resolve(rel))) return p.resolve("shared/data").resolve(rel);
        assumeTrue(false, "shared data " + rel + " not found; skipping");
        return null;
    }

    @Test
    void labelSpecs() {
        LabelSpec s = LabelSpec.parse("energy_pbe0_atomization_kcalmol:kcal/mol");
        assertEquals("energy_pbe0_atomization_kcalmol", s.key());
        assertEquals(Units.KCAL_MOL, s.unit());
        assertEquals(Units.DEBYE, LabelSpec.parse("mu:D", Units.Kind.DIPOLE).unit());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelSpec.parse("energy")).getMessage().contains("KEY:UNIT"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelSpec.parse("energy:calories")).getMessage()
                .contains("unknown unit 'calories'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabelSpec.parse("mu:eV", Units.Kind.DIPOLE)).getMessage()
                .contains("not a unit of dipole"));
    }

    @Test
    void labelsInRequestedUnitsAndMissingKeys() throws IOException {
        Dataset qm7 = Dataset.load(shared("qm7/qm7_pbe0.extxyz"));
        assertEquals(6101, qm7.size());
        double[] kcal = qm7.scalars(LabelSpec.parse("energy_pbe0_atomization_kcalmol:kcal/mol"), Units.KCAL_MOL);
        double[] eh = qm7.scalars(LabelSpec.parse("energy_pbe0_atomization_kcalmol:kcal/mol"), Units.HARTREE);
        assertEquals(-417.031, kcal[0]);
        assertEquals(-417.031 / 627.509474, eh[0], 1e-15);
        assertEquals(Set.of(1, 6, 7, 8, 16), qm7.elements());
        var e = assertThrows(IllegalArgumentException.class,
                () -> qm7.scalars(LabelSpec.parse("energy:kcal/mol"), Units.KCAL_MOL));
        assertTrue(e.getMessage().contains("qm7_pbe0.extxyz:1") && e.getMessage().contains("frame 1")
                && e.getMessage().contains("'energy'") && e.getMessage().contains("energy_pbe0_atomization_kcalmol"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> qm7.scalars(LabelSpec.parse("energy_pbe0_atomization_kcalmol:kcal/mol"), Units.DEBYE));

        Dataset water = Dataset.load(shared("water/water_monomers_1k.extxyz"), org.unite4j.chem.io.ReadOptions.ignoringCell());
        double[][] muD = water.vectors(LabelSpec.parse("mu:e*bohr"), Units.DEBYE, 3);
        assertEquals(-0.734398 / 0.393430, muD[0][0], 1e-12);
        double[][] f = water.atomArrays(LabelSpec.parse("force:Eh/bohr"), Units.parse("kcal/mol/A"));
        assertEquals(0.012403021498569089 * 627.509474 / 0.529177210903, f[0][0], 1e-12);
        var e2 = assertThrows(IllegalArgumentException.class, () -> water.vectors(LabelSpec.parse("alpha:e*bohr"), Units.E_BOHR, 3));
        assertTrue(e2.getMessage().contains("9 components, expected 3"), e2.getMessage());
    }

    @Test
    void unsupportedElementsSkipOrStop() throws IOException {
        Dataset qm7 = Dataset.load(shared("qm7/qm7_pbe0.extxyz"));
        long withS = qm7.molecules().stream().filter(m -> Arrays.stream(m.atomicNumbers()).anyMatch(z -> z == 16)).count();
        assertTrue(withS > 0);
        List<String> warnings = new ArrayList<>();
        Dataset chno = qm7.requireElements(Set.of(1, 6, 7, 8), true, warnings::add);
        assertEquals(qm7.size() - withS, chno.size());
        assertEquals(withS, warnings.size());
        assertTrue(warnings.get(0).contains("[S]") && warnings.get(0).contains("qm7_pbe0.extxyz:"), warnings.get(0));
        var e = assertThrows(IllegalArgumentException.class, () -> qm7.requireElements(Set.of(1, 6, 7, 8), false, null));
        assertTrue(e.getMessage().contains("unsupported element(s) [S]") && e.getMessage().contains("[H, C, N, O]"), e.getMessage());
    }

    @Test
    void splitsAreDeterministicDisjointAndComplete(@TempDir Path dir) throws IOException {
        Split a = Split.random(1000, 700, 100, 42), b = Split.random(1000, 700, 100, 42), c = Split.random(1000, 700, 100, 43);
        assertEquals(a, b);
        assertNotEquals(a, c);
        int[] all = IntStream.concat(IntStream.concat(Arrays.stream(a.train()), Arrays.stream(a.validation())), Arrays.stream(a.test()))
                .sorted().toArray();
        assertArrayEquals(IntStream.range(0, 1000).toArray(), all);
        assertEquals(200, a.test().length);
        Path p = dir.resolve("split.npz");
        a.save(p);
        assertEquals(a, Split.load(p, 1000));
        var e = assertThrows(IllegalArgumentException.class, () -> Split.load(p, 500));
        assertTrue(e.getMessage().contains("outside 0..499"), e.getMessage());
        try (var w = NpzWriter.create(p)) {
            w.write("train", new int[]{0, 1, 2}, 3);
            w.write("test", new int[]{2}, 1);
        }
        e = assertThrows(IllegalArgumentException.class, () -> Split.load(p, 10));
        assertTrue(e.getMessage().contains("index 2 appears twice"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Split.random(10, 8, 3, 0));
    }

}
