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

        Dataset water = Dataset.load(shared("water/water_monomers_1k.extxyz"));
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

    @Test
    void elementBaselineRecoversExactCoefficients() {
        Random r = new Random(3);
        int[] zs = {1, 6, 7, 8, 16};
        double[] b = {-0.5, -37.8, -54.6, -75.0, -398.1};
        List<Molecule> ms = new ArrayList<>();
        double[] y = new double[60];
        for (int i = 0; i < y.length; i++) {
            int n = 2 + r.nextInt(10);
            int[] z = new int[n];
            for (int a = 0; a < n; a++) {
                int j = r.nextInt(zs.length);
                z[a] = zs[j];
                y[i] += b[j];
            }
            double[] pos = new double[3 * n];
            for (int a = 0; a < n; a++) pos[3 * a] = 1.5 * a;
            ms.add(new Molecule(z, pos));
        }
        ElementBaseline fit = ElementBaseline.fit(ms, y);
        for (int j = 0; j < zs.length; j++) assertEquals(b[j], fit.coefficients().get(zs[j]), 1e-8);
        for (int i = 0; i < y.length; i++) assertEquals(y[i], fit.predict(ms.get(i)), 1e-8);
        var e = assertThrows(IllegalArgumentException.class, () -> fit.predict(new Molecule(new int[]{9}, new double[3])));
        assertTrue(e.getMessage().contains("element F"), e.getMessage());

        // one composition only (like an rMD17 trajectory): collinear counts, still a usable fit
        Molecule water = new Molecule(new int[]{8, 1, 1}, new double[]{0, 0, 0, 0, 0.76, 0.59, 0, -0.76, 0.59});
        ElementBaseline single = ElementBaseline.fit(List.of(water, water, water), new double[]{-76.0, -76.2, -76.1});
        assertEquals(-76.1, single.predict(water), 1e-6);
    }

    /** The two baselines the README compares UNiTE against on QM7 (numbers printed for the report). */
    @Test
    void qm7Baselines() throws IOException {
        Dataset qm7 = Dataset.load(shared("qm7/qm7_pbe0.extxyz"));
        double[] y = qm7.scalars(LabelSpec.parse("energy_pbe0_atomization_kcalmol:kcal/mol"), Units.KCAL_MOL);
        double[] dftb = qm7.scalars(LabelSpec.parse("energy_dftb3_atomization_kcalmol:kcal/mol"), Units.KCAL_MOL);
        Split s = Split.random(qm7.size(), 5000, 0, 0);
        List<Molecule> ms = qm7.molecules();
        List<Molecule> tr = Arrays.stream(s.train()).mapToObj(ms::get).toList();
        double[] ytr = Arrays.stream(s.train()).mapToDouble(i -> y[i]).toArray();
        double[] dtr = Arrays.stream(s.train()).mapToDouble(i -> y[i] - dftb[i]).toArray();
        ElementBaseline counts = ElementBaseline.fit(tr, ytr);
        ElementBaseline delta = ElementBaseline.fit(tr, dtr);
        double mean = Arrays.stream(ytr).average().orElseThrow();
        double maeMean = 0, maeCounts = 0, maeDelta = 0;
        for (int i : s.test()) {
            maeMean += Math.abs(y[i] - mean);
            maeCounts += Math.abs(y[i] - counts.predict(ms.get(i)));
            maeDelta += Math.abs(y[i] - dftb[i] - delta.predict(ms.get(i)));
        }
        int n = s.test().length;
        maeMean /= n;
        maeCounts /= n;
        maeDelta /= n;
        System.out.printf("QM7 PBE0 atomization energy, %d train / %d test (seed 0): MAE mean %.2f, element counts %.2f, "
                + "DFTB3 + element counts %.2f kcal/mol%n", s.train().length, n, maeMean, maeCounts, maeDelta);
        assertTrue(maeCounts < 0.2 * maeMean, "element counts explain most of the atomization energy");
        assertTrue(maeDelta < 0.5 * maeCounts, "DFTB3 adds information beyond element counts");
    }
}
