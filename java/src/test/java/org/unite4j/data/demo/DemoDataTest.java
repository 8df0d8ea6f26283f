package org.unite4j.data.demo;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.dynamics.Bfgs;
import org.unite4j.chem.Units;
import org.unite4j.chem.io.Frame;
import org.unite4j.chem.io.MoleculeReader;
import org.unite4j.chem.xtb.XtbEnvironment;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.util.Progress;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The demo data set: file format and keys, determinism, physical sanity of the labels. */
class DemoDataTest {
    /**
     * GFN2-xTB total energies (Hartree) at the minimum, from the xtb 6.5.1 program
     * ({@code xtb in.xyz --opt tight --gfn 2}) started from the same resource geometries.
     */
    private static final Map<String, Double> XTB_PROGRAM_MINIMUM = Map.ofEntries(
            Map.entry("water", -5.070544434700), Map.entry("ammonia", -4.426244036802),
            Map.entry("methane", -4.175218169830), Map.entry("carbon_dioxide", -10.308452284317),
            Map.entry("hydrogen_cyanide", -5.504066203714), Map.entry("formaldehyde", -7.175648087712),
            Map.entry("methanol", -8.226118429284), Map.entry("methylamine", -7.587182918025),
            Map.entry("fluoromethane", -8.393363224704), Map.entry("chloromethane", -8.210352692587),
            Map.entry("hydrogen_sulfide", -4.256278825870), Map.entry("ethene", -6.271260601567),
            Map.entry("acetonitrile", -8.688500999237), Map.entry("formic_acid", -11.283007379650),
            Map.entry("ethanol", -11.391867419949));

    @BeforeAll
    static void needLibxtb() {
        Assumptions.assumeTrue(XtbEnvironment.isAvailable(), () -> "libxtb not available: " + XtbEnvironment.availabilityProblem().orElse(""));
    }

    private static Map<String, Molecule> minimaByName() {
        Map<String, Molecule> m = new HashMap<>();
        for (Molecule x : DemoData.minima()) m.put(x.name(), x);
        return m;
    }

    @Test
    void startGeometriesAreSaneAndRelaxToTheXtbProgramsMinima() {
        List<Molecule> start = DemoData.startGeometries();
        List<Molecule> mins = DemoData.minima();
        assertEquals(XTB_PROGRAM_MINIMUM.keySet(), new java.util.HashSet<>(start.stream().map(Molecule::name).toList()));
        assertEquals(start.size(), mins.size());
        for (int i = 0; i < start.size(); i++) {
            Molecule s = start.get(i), m = mins.get(i);
            assertEquals(s.name(), m.name());
            assertEquals(0, m.charge());
            assertEquals(1, m.multiplicity());
            assertArrayEquals(s.atomicNumbers(), m.atomicNumbers());
            // Hand-written geometry within 0.1 A in every interatomic distance of the true minimum.
            assertTrue(maxDistanceChange(s, m) < 0.1, s.name() + " moved by " + maxDistanceChange(s, m) + " A");
            SinglePoint sp = SinglePoint.of(m, XtbMethod.GFN2);
            assertTrue(Bfgs.maxAbs(sp.gradient()) < DemoData.GRADIENT_TOLERANCE,
                    m.name() + ": max gradient " + Bfgs.maxAbs(sp.gradient()) + " Eh/bohr at the minimum");
            assertEquals(sp.energy(), Double.parseDouble(m.info().get(DemoData.ENERGY_GFN2)), 1e-9, m.name());
            assertEquals(XTB_PROGRAM_MINIMUM.get(m.name()), sp.energy(), 1e-5, m.name() + " vs xtb --opt tight");
            for (int k = 0; k < 3; k++) {
                double c = 0;
                for (int a = 0; a < m.size(); a++) c += m.x(a, k);
                assertEquals(0, c / m.size(), 1e-12, "centred");
            }
        }
    }

    @Test
    void fileReadsBackWithThePromisedKeysAndUnits(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo.extxyz");
        Progress progress = new Progress("demo", DemoData.frameCount(4), new PrintStream(new ByteArrayOutputStream()),
                Progress.Mode.OFF, 0, System::nanoTime);
        int n = DemoData.generate(4, 11, out, progress);
        assertEquals(DemoData.frameCount(4), n);
        assertEquals(15 * 4, n);
        assertEquals(n, progress.count());
        List<Frame> frames = MoleculeReader.readFrames(out);
        assertEquals(n, frames.size());
        Map<String, Molecule> mins = minimaByName();
        Map<String, Integer> perName = new HashMap<>();
        for (Frame f : frames) {
            Molecule m = f.molecule();
            Molecule min = mins.get(m.name());
            assertNotNull(min, "frame name " + m.name());
            assertArrayEquals(min.atomicNumbers(), m.atomicNumbers());
            assertEquals(0, m.charge());
            assertEquals(1, m.multiplicity());
            assertEquals("0", m.info().get("charge"));
            assertEquals("1", m.info().get("multiplicity"));
            int k = perName.merge(m.name(), 1, Integer::sum) - 1;
            assertEquals(k, (int) f.label(DemoData.CONFORMER));
            assertTrue(DemoData.minDistance(m.positions()) >= DemoData.MIN_DISTANCE_ANGSTROM);
            // Units: Hartree and e*bohr, checked against a fresh single point of the geometry read back.
            SinglePoint gfn2 = SinglePoint.of(m, XtbMethod.GFN2);
            assertEquals(gfn2.energy(), f.label("energy_gfn2"), 1e-12);
            assertArrayEquals(gfn2.dipole(), f.labelVector("dipole_gfn2"), 1e-12);
            assertEquals(SinglePoint.of(m, XtbMethod.GFN1).energy(), f.label("energy_gfn1"), 1e-12);
            double e2 = f.label("energy_gfn2"), e1 = f.label("energy_gfn1");
            assertTrue(e2 < -3 && e2 > -15, "GFN2 total energy in Hartree: " + e2);
            assertTrue(e1 < -3 && e1 > -15, "GFN1 total energy in Hartree: " + e1);
            if (m.name().equals("water")) {
                // Water's dipole is 1.85 D = 0.73 e*bohr; in Debye or e*A the number would be 2 or 0.4.
                double mu = norm(f.labelVector("dipole_gfn2"));
                assertTrue(mu > 0.6 && mu < 1.0, "water dipole " + mu + " e*bohr");
            }
        }
        assertEquals(15, perName.size());
        perName.values().forEach(c -> assertEquals(4, c));
    }

    @Test
    void sameSeedSameBytesOnAnyThreadCountOtherSeedDifferent(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.extxyz"), b = dir.resolve("b.extxyz"), c = dir.resolve("c.extxyz");
        DemoData.generate(3, 42, a, null, 1);
        DemoData.generate(3, 42, b, null, 3);
        DemoData.generate(3, 43, c, null);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "same seed, 1 vs 3 threads");
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c)), "seed 42 vs 43");
        List<Molecule> ma = MoleculeReader.read(a), mc = MoleculeReader.read(c);
        for (int i = 0; i < ma.size(); i++)
            assertFalse(java.util.Arrays.equals(ma.get(i).positions(), mc.get(i).positions()), "frame " + i + " differs");
        // More conformers with the same seed keep the first ones (streams per (seed, molecule, conformer)).
        Path d = dir.resolve("d.extxyz");
        DemoData.generate(4, 42, d, null);
        List<Molecule> md = MoleculeReader.read(d);
        assertEquals(ma.get(0), md.get(0));
        assertEquals(ma.get(3 + 2), md.get(4 + 2));
    }

    @Test
    void distortionEnergiesArePositiveAndChemicallySane(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo.extxyz");
        DemoData.generate(12, 5, out, null);
        Map<String, Molecule> mins = minimaByName();
        Map<String, List<Double>> byName = new HashMap<>();
        for (Frame f : MoleculeReader.readFrames(out)) {
            String name = f.molecule().name();
            double emin = Double.parseDouble(mins.get(name).info().get(DemoData.ENERGY_GFN2));
            double de = (f.label("energy_gfn2") - emin) * Units.HARTREE_IN_KCAL_MOL;
            assertTrue(de > -1e-3, name + " frame below its minimum by " + (-de) + " kcal/mol");
            assertTrue(de < 100, name + " distortion energy " + de + " kcal/mol");
            byName.computeIfAbsent(name, k -> new ArrayList<>()).add(de);
        }
        for (var e : byName.entrySet()) {
            double mean = e.getValue().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertTrue(mean > 0.5 && mean < 25, e.getKey() + ": mean distortion energy " + mean + " kcal/mol");
        }
    }

    @Test
    void symmetricMoleculesHaveNoDipolePolarOnesDo() {
        Map<String, Molecule> mins = minimaByName();
        for (String name : List.of("methane", "carbon_dioxide", "ethene"))
            assertEquals(0, norm(SinglePoint.of(mins.get(name), XtbMethod.GFN2).dipole()), 1e-3, name);
        for (String name : List.of("water", "ammonia", "formaldehyde", "fluoromethane"))
            assertTrue(norm(SinglePoint.of(mins.get(name), XtbMethod.GFN2).dipole()) > 0.3, name);
    }

    @Test
    void dipolesRotateAndEnergiesAreInvariant(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("demo.extxyz");
        DemoData.generate(1, 9, out, null, 1);
        SplittableRandom rng = new SplittableRandom(3);
        for (Frame f : MoleculeReader.readFrames(out)) {
            Molecule m = f.molecule();
            double[] mu = f.labelVector(DemoData.DIPOLE_GFN2);
            double[][] q = DemoData.randomRotation(rng);
            if (f.index() % 2 == 1) // rotation combined with inversion: the dipole is a polar vector
                for (double[] row : q) for (int k = 0; k < 3; k++) row[k] = -row[k];
            Molecule r = DemoData.label(m.transformed(q));
            double[] muR = vector(r.info().get(DemoData.DIPOLE_GFN2));
            for (int a = 0; a < 3; a++)
                assertEquals(q[a][0] * mu[0] + q[a][1] * mu[1] + q[a][2] * mu[2], muR[a], 1e-6, m.name() + " dipole component " + a);
            assertEquals(f.label(DemoData.ENERGY_GFN2), Double.parseDouble(r.info().get(DemoData.ENERGY_GFN2)), 1e-7, m.name());
            assertEquals(f.label(DemoData.ENERGY_GFN1), Double.parseDouble(r.info().get(DemoData.ENERGY_GFN1)), 1e-7, m.name());
        }
    }

    @Test
    void gfn1LabelMatchesTheFeaturizersEnergy(@TempDir Path dir) throws Exception {
        // Delta learning subtracts energy_gfn1 from the GFN2 target while the model sees GFN1
        // features computed at the featurizer's default accuracy: both energies must agree.
        Path out = dir.resolve("demo.extxyz");
        DemoData.generate(1, 2, out, null);
        XtbFeaturizer fz = new XtbFeaturizer(XtbMethod.GFN1);
        for (Frame f : MoleculeReader.readFrames(out))
            assertEquals(fz.featurize(f.molecule()).energy(), f.label(DemoData.ENERGY_GFN1), 1e-8, f.molecule().name());
    }

    @Test
    void randomRotationsAreProperRotations() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int t = 0; t < 100; t++) {
            double[][] q = DemoData.randomRotation(rng);
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++) {
                    double d = 0;
                    for (int k = 0; k < 3; k++) d += q[k][i] * q[k][j];
                    assertEquals(i == j ? 1 : 0, d, 1e-12);
                }
            double det = q[0][0] * (q[1][1] * q[2][2] - q[1][2] * q[2][1]) - q[0][1] * (q[1][0] * q[2][2] - q[1][2] * q[2][0])
                    + q[0][2] * (q[1][0] * q[2][1] - q[1][1] * q[2][0]);
            assertEquals(1, det, 1e-12);
        }
    }

    @Test
    void conformersDistortEveryAtomAndKeepTheShape() {
        Molecule min = minimaByName().get("ethanol");
        Molecule c = DemoData.conformer(min, 0, new SplittableRandom(8));
        assertEquals("ethanol", c.name());
        double change = maxDistanceChange(min, c);
        assertTrue(change > 0.01 && change < 6 * DemoData.SIGMA_MAX * Math.sqrt(2), "distance change " + change);
    }

    @Test
    void badArguments(@TempDir Path dir) throws Exception {
        assertThrows(IllegalArgumentException.class, () -> DemoData.generate(0, 1, dir.resolve("x.extxyz"), null));
        assertThrows(IllegalArgumentException.class, () -> DemoData.generate(1, 1, dir.resolve("x.extxyz"), null, 0));
        Path underFile = dir.resolve("plain.txt");
        Files.writeString(underFile, "not a directory");
        Path bad = underFile.resolve("x.extxyz");
        var e = assertThrows(java.io.UncheckedIOException.class, () -> DemoData.generate(1, 1, bad, null));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    }

    private static double maxDistanceChange(Molecule a, Molecule b) {
        double max = 0;
        for (int i = 0; i < a.size(); i++)
            for (int j = 0; j < i; j++)
                max = Math.max(max, Math.abs(dist(a, i, j) - dist(b, i, j)));
        return max;
    }

    private static double dist(Molecule m, int i, int j) {
        double s = 0;
        for (int k = 0; k < 3; k++) s += Math.pow(m.x(i, k) - m.x(j, k), 2);
        return Math.sqrt(s);
    }

    private static double norm(double[] v) {
        return Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    }

    private static double[] vector(String s) {
        String[] p = s.strip().split("\\s+");
        assertEquals(3, p.length, s);
        return new double[]{Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2])};
    }
}
