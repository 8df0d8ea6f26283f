package org.unite4j.chem.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.unite4j.chem.Molecule;

/** Reads every molecule file under ../shared/data and checks counts and values against the files' text and SOURCE.txt. */
class SharedDataReadTest {

    @Test
    void qm7AllFramesStreamed() throws IOException {
        Path p = SharedData.file("qm7/qm7_pbe0.extxyz");
        // independent count: header lines carrying Properties=
        long headers;
        try (Stream<String> lines = Files.lines(p)) {
            headers = lines.filter(l -> l.startsWith("Properties=")).count();
        }
        long totalLines;
        try (Stream<String> lines = Files.lines(p)) {
            totalLines = lines.count();
        }
        int frames = 0;
        long atoms = 0;
        Frame first = null, last = null;
        Set<Integer> elements = new java.util.TreeSet<>();
        try (FrameReader r = MoleculeReader.open(p)) {
            while (r.hasNext()) {
                Frame f = r.next();
                if (first == null) first = f;
                last = f;
                frames++;
                Molecule m = f.molecule();
                atoms += m.size();
                assertTrue(m.size() >= 4 && m.size() <= 23, f.where() + " has " + m.size() + " atoms");
                for (int z : m.atomicNumbers()) elements.add(z);
                assertEquals(0, m.charge());
            }
        }
        assertEquals(6101, frames);
        assertEquals(headers, frames);
        assertEquals(totalLines, atoms + 2L * frames);
        assertEquals(Set.of(1, 6, 7, 8, 16), elements);

        Molecule m0 = first.molecule();
        assertEquals("0001.xyz", m0.name());
        assertEquals(-417.031, first.label("energy_pbe0_atomization_kcalmol"));
        assertEquals(-431.787271961, first.label("energy_dftb3_atomization_kcalmol"));
        assertEquals(6, m0.atomicNumber(0));
        assertArrayEquals(new double[]{1.041682, -0.056200, -0.071481}, new double[]{m0.x(0, 0), m0.x(0, 1), m0.x(0, 2)}, 0);
        Molecule ml = last.molecule();
        assertEquals("7171.xyz", ml.name());
        assertEquals(-1296.09, last.label("energy_pbe0_atomization_kcalmol"));
        int n = ml.size();
        assertArrayEquals(new double[]{4.758558, 2.043772, -1.571667},
                new double[]{ml.x(n - 1, 0), ml.x(n - 1, 1), ml.x(n - 1, 2)}, 0);
        assertEquals(6100, last.index());
    }

    @Test
    void waterEnergiesDipolesAndForces() throws IOException {
        // its frames say pbc="T T T" (without a Lattice): refused unless the cell is ignored explicitly (issue 17 item 9)
        MoleculeFormatException periodic = org.junit.jupiter.api.Assertions.assertThrows(MoleculeFormatException.class,
                () -> MoleculeReader.readFrames(SharedData.file("water/water_monomers_1k.extxyz")));
        org.junit.jupiter.api.Assertions.assertTrue(periodic.getMessage().endsWith("water_monomers_1k.extxyz:2: frame 1 is periodic "
                + "(pbc=\"T T T\"), but unite computes isolated molecules; --ignore-cell reads it as one (the cell is ignored)"),
                periodic.getMessage());
        List<Frame> frames = MoleculeReader.readFrames(SharedData.file("water/water_monomers_1k.extxyz"), ReadOptions.ignoringCell());
        assertEquals(1000, frames.size());
        Frame f = frames.get(0);
        assertEquals(-76.4323331647376, f.label("energy"));
        assertArrayEquals(new double[]{-0.734398, -0.0, -0.040971}, f.labelVector("mu"), 0);
        assertEquals(9, f.labelVector("alpha").length);
        assertArrayEquals(new double[]{0.06633400, 0.0, 0.00370100}, new double[]{f.molecule().x(0, 0), f.molecule().x(0, 1),
                f.molecule().x(0, 2)}, 0);
        assertEquals(0.012403021498569089, f.forces().orElseThrow()[0]);
        for (Frame w : frames) {
            assertArrayEquals(new int[]{8, 1, 1}, w.molecule().atomicNumbers());
            // forces of an isolated molecule sum to zero (translation invariance of the energy)
            double[] F = w.forces().orElseThrow();
            for (int k = 0; k < 3; k++) assertEquals(0, F[k] + F[3 + k] + F[6 + k], 1e-4, w.where());
            // and the O-H bonds are in a physical range (Angstrom, not bohr)
            double d = Math.sqrt(sq(w.molecule(), 0, 1));
            assertTrue(d > 0.7 && d < 1.5, w.where() + ": O-H " + d);
        }
    }

    @Test
    void s22AndS66DimersSplitIntoMonomers() throws IOException {
        for (var c : Map.of("s22_s66/S22_dimers.extxyz", 22, "s22_s66/S66_dimers.extxyz", 66).entrySet()) {
            List<Frame> frames = MoleculeReader.readFrames(SharedData.file(c.getKey()));
            assertEquals(c.getValue(), frames.size());
            for (Frame f : frames) {
                assertEquals(f.molecule().size(), (int) (f.label("nA") + f.label("nB")), f.where());
                double bind = f.label(f.molecule().info().containsKey("BIND_S22B_kcalmol") ? "BIND_S22B_kcalmol" : "BIND_kcalmol");
                assertTrue(bind < 0 && bind > -25, f.where() + " binding energy " + bind);
            }
        }
        Frame hb1 = MoleculeReader.readFrames(SharedData.file("s22_s66/S22_dimers.extxyz")).get(0);
        assertEquals("HB-1 Ammonia Dimer, C2H", hb1.molecule().name());
        assertEquals(-3.133, hb1.label("BIND_S22B_kcalmol"));
    }

    @Test
    void qm9ChemiscopeExtxyzWithPartialCharges() throws IOException {
        List<Frame> frames = MoleculeReader.readFrames(SharedData.file("qm9_samples/chemiscope_explore_qm9.xyz"));
        assertEquals(5, frames.size());
        String[] formulas = {"CH4", "H3N", "H2O", "C2H2", "CHN"};
        for (int i = 0; i < 5; i++) {
            Frame f = frames.get(i);
            assertEquals(formulas[i], f.molecule().formula());
            double sum = 0;
            for (double q : f.atomValues("partial_charges")) sum += q;
            assertEquals(0, sum, 1e-4, "neutral molecule " + f.where());
            int n = f.molecule().size();
            // the _JSON list of harmonic frequencies has 3N-6 entries (3N-5 for linear molecules)
            int nf = f.labelVector("frequencies").length;
            assertTrue(nf == 3 * n - 6 || nf == 3 * n - 5, f.where() + ": " + nf + " frequencies for " + n + " atoms");
        }
    }

    @Test
    void qm9SdfAndExtxyzAgree() throws IOException {
        Path sdfPath = SharedData.file("qm9_samples/deepchem_qm9_mini.sdf");
        // the record gdb_20_invalid has a malformed atom line (line 364): strict reading names it
        var err = org.junit.jupiter.api.Assertions.assertThrows(MoleculeFormatException.class, () -> MoleculeReader.read(sdfPath));
        assertEquals(364, err.line(), err.getMessage());
        assertTrue(err.getMessage().contains("record 20") && err.getMessage().contains("line length"), err.getMessage());
        List<MoleculeFormatException> skipped = new java.util.ArrayList<>();
        List<Frame> sdf;
        try (SdfReader r = SdfReader.open(sdfPath).skipInvalid(skipped::add)) {
            sdf = r.toList();
        }
        assertEquals(1, skipped.size());
        assertEquals(364, skipped.get(0).line());
        List<Frame> xyz = MoleculeReader.readFrames(SharedData.file("qm9_samples/schnetpack_test_qm9_first20.extxyz"));
        assertEquals(20, sdf.size());
        assertEquals("gdb_21", sdf.get(19).molecule().name());
        assertEquals(20, sdf.get(19).index());
        assertEquals(20, xyz.size());
        Map<Integer, Molecule> byId = new HashMap<>();
        for (Frame f : xyz) byId.put((int) f.label("id"), f.molecule());
        int compared = 0;
        for (Frame f : sdf) {
            Molecule s = f.molecule();
            Molecule x = byId.get(Integer.parseInt(s.name().substring(4)));
            if (x == null) continue;
            assertArrayEquals(x.atomicNumbers(), s.atomicNumbers(), s.name());
            double[] a = x.positions(), b = s.positions();
            for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 5.1e-5, s.name() + " coordinate " + i); // SDF rounds to 4 decimals
            assertEquals(0, s.charge());
            assertEquals(1, s.multiplicity());
            compared++;
        }
        assertEquals(19, compared); // gdb_1..gdb_20 except the invalid gdb_20
    }

    @Test
    void rmd17AllFiles() throws IOException {
        Map<String, Integer> atoms = Map.of("aspirin", 21, "azobenzene", 24, "benzene", 12, "ethanol", 9, "malonaldehyde", 9,
                "naphthalene", 18, "paracetamol", 20, "salicylic", 16, "toluene", 15, "uracil", 12);
        for (var e : atoms.entrySet()) {
            for (String split : List.of("train", "test")) {
                Path p = SharedData.file("rmd17/rmd17_" + e.getKey() + "_" + split + "_01.npz");
                List<Frame> frames = MoleculeReader.readFrames(p);
                assertEquals(1000, frames.size(), p.toString());
                for (Frame f : frames) {
                    assertEquals(e.getValue(), f.molecule().size(), f.where());
                    assertEquals(3 * e.getValue(), f.forces().orElseThrow().length);
                    double energy = f.label("energies"); // kcal/mol, total energy
                    assertTrue(energy < -5e4 && energy > -1e6, f.where() + ": " + energy);
                }
            }
        }
        List<Frame> eth = MoleculeReader.readFrames(SharedData.file("rmd17/rmd17_ethanol_train_01.npz"));
        assertArrayEquals(new int[]{6, 6, 8, 1, 1, 1, 1, 1, 1}, eth.get(0).molecule().atomicNumbers());
        Molecule m0 = eth.get(0).molecule();
        assertArrayEquals(new double[]{-0.17406277, -0.48797864, 0.0185579}, new double[]{m0.x(0, 0), m0.x(0, 1), m0.x(0, 2)}, 1e-8);
        assertEquals(-97079.92222178938, eth.get(0).label("energies"), 1e-9);
        double min = eth.stream().mapToDouble(f -> f.label("energies")).min().orElseThrow();
        double max = eth.stream().mapToDouble(f -> f.label("energies")).max().orElseThrow();
        assertEquals(-97085.86, min, 0.01); // SOURCE.txt: -97085.86..-97061.70 kcal/mol
        assertEquals(-97061.70, max, 0.01);
        double[] f999 = eth.get(999).forces().orElseThrow();
        assertArrayEquals(new double[]{-14.27598455, -8.12562172, -14.75114898}, new double[]{f999[24], f999[25], f999[26]}, 1e-8);
        assertEquals(124158, (long) eth.get(0).label("old_indices"));
        assertEquals("rmd17_ethanol_train_01[0]", m0.name());
        // C-C bond ~1.5 A: coordinates are in Angstrom
        double cc = Math.sqrt(sq(m0, 0, 1));
        assertTrue(cc > 1.3 && cc < 1.7, "C-C " + cc);
    }

    private static double sq(Molecule m, int i, int j) {
        double s = 0;
        for (int k = 0; k < 3; k++) s += (m.x(i, k) - m.x(j, k)) * (m.x(i, k) - m.x(j, k));
        return s;
    }
}
