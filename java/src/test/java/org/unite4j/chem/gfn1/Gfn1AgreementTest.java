package org.unite4j.chem.gfn1;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.io.MoleculeReader;
import org.unite4j.chem.xtb.XtbEnvironment;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbFeatures;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.chem.xtb.XtbTestMolecules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java GFN1-xTB against libxtb 6.5.1, converged tightly on both sides (libxtb accuracy 1e-4):
 * F, P, S, W, orbital energies and Mulliken charges element by element, and the electronic (SCC)
 * energy against the {@code xtb} program's. Elements covered: H, Li, C, N, O, F, Si, P, S, Cl, Fe,
 * Br, I; neutral closed-shell, cation doublet and anion.
 */
class Gfn1AgreementTest {
    /** Tolerance on matrix elements (Hartree for F and W) and charges; measured agreement is ~1e-11. */
    static final double TOL = 1e-8;
    /** Tolerance on the electronic energy, Hartree. */
    static final double ENERGY_TOL = 1e-8;

    @BeforeAll
    static void need() {
        Assumptions.assumeTrue(XtbEnvironment.isAvailable(), () -> "libxtb not available: " + XtbEnvironment.availabilityProblem().orElse(""));
        Assumptions.assumeTrue(Files.exists(Gfn1Parameters.defaultPath()), "no GFN1 parameter file at " + Gfn1Parameters.defaultPath());
    }

    static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    static XtbFeatures reference(Molecule m) {
        return new XtbFeaturizer(XtbMethod.GFN1, 1e-4, 300, 250).featurize(m);
    }

    static void assertAgrees(Molecule m) {
        XtbFeatures ref = reference(m);
        Gfn1Result our = new Gfn1Calculator().singlePoint(m);
        String what = m.formula() + " (charge " + m.charge() + ", multiplicity " + m.multiplicity() + ")";
        assertTrue(maxDiff(ref.overlap(), our.overlap()) < TOL, what + ": S differs by " + maxDiff(ref.overlap(), our.overlap()));
        assertTrue(maxDiff(ref.fock(), our.fock()) < TOL, what + ": F differs by " + maxDiff(ref.fock(), our.fock()));
        assertTrue(maxDiff(ref.density(), our.density()) < TOL, what + ": P differs by " + maxDiff(ref.density(), our.density()));
        assertTrue(maxDiff(ref.energyWeightedDensity(), our.energyWeighted()) < TOL,
                what + ": W differs by " + maxDiff(ref.energyWeightedDensity(), our.energyWeighted()));
        assertTrue(maxDiff(ref.orbitalEnergies(), our.orbitalEnergies()) < TOL, what + ": orbital energies differ");
        assertTrue(maxDiff(ref.occupations(), our.occupations()) < TOL, what + ": occupations differ");
        assertTrue(maxDiff(ref.charges(), our.charges()) < TOL, what + ": charges differ");
    }

    static Molecule withChargeAndMultiplicity(Molecule m, int charge, int multiplicity) {
        return new Molecule(m.atomicNumbers(), m.positions(), charge, multiplicity, m.name(), null);
    }

    @Test
    void operatorsAgreeWithLibxtbForEveryShellType() {
        for (Molecule m : List.of(XtbTestMolecules.water(), XtbTestMolecules.mixed(),
                XtbTestMolecules.ironPentacarbonyl(), XtbTestMolecules.phosphorusSiliconIodineLithium()))
            assertAgrees(m);
    }

    @Test
    void chargedAndOpenShellMoleculesAgree() {
        Molecule w = XtbTestMolecules.water();
        assertAgrees(withChargeAndMultiplicity(w, 1, 2));
        // Hydroxide: water without its last hydrogen.
        double[] r = w.positions();
        Molecule oh = new Molecule(new int[]{8, 1}, new double[]{r[0], r[1], r[2], r[3], r[4], r[5]}, -1, 1, "OH-", null);
        assertAgrees(oh);
        // A neutral radical: OH, doublet.
        assertAgrees(withChargeAndMultiplicity(oh, 0, 2));
    }

    @Test
    void qm7AndRevisedMd17MoleculesAgree() throws IOException {
        Path qm7 = XtbTestMolecules.sharedData("qm7/qm7_pbe0.extxyz");
        Path aspirin = XtbTestMolecules.sharedData("rmd17/rmd17_aspirin_test_01.npz");
        Assumptions.assumeTrue(Files.exists(qm7) && Files.exists(aspirin), "shared data not found");
        List<Molecule> ms = new ArrayList<>(XtbTestMolecules.readExtxyz(qm7, 2000));
        // Every 50th QM7 molecule (41 of them, up to 23 atoms, with S and Cl), and three aspirin frames.
        List<Molecule> sample = new ArrayList<>();
        for (int i = 0; i < ms.size(); i += 50) sample.add(ms.get(i));
        List<Molecule> frames = MoleculeReader.read(aspirin);
        for (int i : new int[]{0, 500, 999}) sample.add(frames.get(i));
        for (Molecule m : sample) assertAgrees(m);
    }

    @Test
    void electronicEnergyEqualsTheXtbProgramsSccEnergy() throws IOException, InterruptedException {
        Path xtb = Path.of("/usr/bin/xtb");
        Assumptions.assumeTrue(Files.isExecutable(xtb), "the xtb program is not installed");
        for (Molecule m : List.of(XtbTestMolecules.water(), XtbTestMolecules.mixed(), XtbTestMolecules.ironPentacarbonyl())) {
            double ref = sccEnergy(xtb, m);
            double ours = new Gfn1Calculator().singlePoint(m).electronicEnergy();
            assertEquals(ref, ours, ENERGY_TOL, m.formula() + ": electronic energy");
        }
    }

    /** The 'SCC energy' line of {@code xtb --gfn 1 --acc 0.0001} on the molecule. */
    static double sccEnergy(Path xtb, Molecule m) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("gfn1-scc");
        try {
            StringBuilder sb = new StringBuilder().append(m.size()).append("\n\n");
            for (int i = 0; i < m.size(); i++)
                sb.append(String.format(Locale.ROOT, "%s %.14f %.14f %.14f%n", org.unite4j.chem.Elements.symbol(m.atomicNumber(i)),
                        m.x(i, 0), m.x(i, 1), m.x(i, 2)));
            Files.writeString(dir.resolve("m.xyz"), sb.toString());
            Process p = new ProcessBuilder(xtb.toString(), "m.xyz", "--gfn", "1", "--acc", "0.0001",
                    "--chrg", String.valueOf(m.charge()), "--uhf", String.valueOf(m.multiplicity() - 1))
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "xtb did not finish");
            for (String line : out.split("\n"))
                if (line.contains(":: SCC energy")) return Double.parseDouble(line.trim().split("\\s+")[3]);
            throw new AssertionError("no SCC energy in the xtb output:\n" + out);
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
