package org.unite4j.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.io.ExtXyzWriter;
import org.unite4j.chem.io.MoleculeReader;
import org.unite4j.cli.Main;
import org.unite4j.data.demo.DemoData;
import org.unite4j.io.Json;

/** {@code unite train} and {@code unite predict} end to end, resume, and bad input. */
class TrainPredictCliTest {
    @TempDir
    static Path tmp;

    static Path data, config;

    record Run(int code, String out, String err) {
    }

    static Run unite(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        StringWriter picoErr = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            var cl = Main.commandLine();
            cl.setErr(new PrintWriter(picoErr, true));
            int code = cl.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8) + picoErr);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @BeforeAll
    static void data() throws Exception {
        data = tmp.resolve("demo.extxyz");
        DemoData.generate(2, 3, data, null); // 15 molecules x 2 conformers, GFN2 labels
        config = tmp.resolve("small.json");
        Files.writeString(config, "{\"hidden\": \"8x0e+4x1o+2x2e\", \"tp_channels\": 4, \"blocks\": 1, \"edge_hidden\": 8, \"mlp_hidden\": 8}");
    }

    static String[] train(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--data", data.toString(), "--target", "energy_gfn2:Eh", "--dipole",
                "dipole_gfn2:e*bohr", "--out", out.toString(), "--batch", "8", "--config", config.toString(), "--delta", "--seed", "3",
                "--threads", "2"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void trainThenPredictWithJson() throws Exception {
        Path out = tmp.resolve("run");
        Run t = unite(train(out, "--epochs", "2"));
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("test energy MAE"), t.out());
        Run p = unite("predict", "--model", out.resolve("model").toString(), "--data", data.toString(), "--json",
                "--cache", out.resolve("cache").toString());
        assertEquals(0, p.code(), p.err());
        @SuppressWarnings("unchecked") Map<String, Object> root = (Map<String, Object>) Json.parse(p.out().strip());
        assertEquals(List.of("molecules", "mae"), new ArrayList<>(root.keySet()));
        List<?> mols = (List<?>) root.get("molecules");
        assertEquals(30, mols.size());
        for (int i = 0; i < mols.size(); i++) {
            Map<?, ?> m = (Map<?, ?>) mols.get(i);
            assertEquals(List.of("index", "name", "energy", "unit", "dipole", "dipole_unit"), new ArrayList<>(m.keySet()));
            assertEquals((long) i, ((Number) m.get("index")).longValue());
            assertEquals("Eh", m.get("unit"));
            assertEquals(3, ((List<?>) m.get("dipole")).size());
        }
        double mae = ((Number) root.get("mae")).doubleValue();
        List<Molecule> ms = MoleculeReader.read(data);
        double s = 0;
        for (int i = 0; i < ms.size(); i++)
            s += Math.abs(((Number) ((Map<?, ?>) mols.get(i)).get("energy")).doubleValue() - Double.parseDouble(ms.get(i).info().get("energy_gfn2")));
        assertEquals(s / ms.size(), mae, 1e-12);
        // the demo trains on labels stored in Hartree and predicts in kcal/mol: the MAE must convert
        Path kc = tmp.resolve("run-kcal");
        Run dm = unite("demo", "--out", kc.toString(), "--conformers", "2", "--epochs", "1");
        assertEquals(0, dm.code(), dm.err());
        Run pk = unite("predict", "--model", kc.resolve("model").toString(), "--data", data.toString(), "--json");
        @SuppressWarnings("unchecked") Map<String, Object> rk = (Map<String, Object>) Json.parse(pk.out().strip());
        List<?> mk = (List<?>) rk.get("molecules");
        double sk = 0;
        for (int i = 0; i < ms.size(); i++)
            sk += Math.abs(((Number) ((Map<?, ?>) mk.get(i)).get("energy")).doubleValue()
                    - 627.509474 * Double.parseDouble(ms.get(i).info().get("energy_gfn2")));
        assertEquals("kcal/mol", ((Map<?, ?>) mk.get(0)).get("unit"));
        assertEquals(sk / ms.size(), ((Number) rk.get("mae")).doubleValue(), 1e-9);
        Run text = unite("predict", "--model", out.resolve("model").toString(), "--data", data.toString());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("MAE") && text.out().contains("energy (Eh)"), text.out());
    }

    @Test
    void predictForcesAsJsonAndExtxyz() throws Exception {
        Path out = tmp.resolve("run-forces");
        Run t = unite(train(out, "--epochs", "1"));
        assertEquals(0, t.code(), t.err());
        Path two = tmp.resolve("two.extxyz");
        org.unite4j.chem.io.ExtXyzWriter.writeMolecules(two, MoleculeReader.read(data).subList(0, 2));
        Path written = tmp.resolve("two-pred.extxyz");
        Run p = unite("predict", "--model", out.resolve("model").toString(), "--data", two.toString(), "--json", "--forces",
                "--threads", "2", "--out", written.toString());
        assertEquals(0, p.code(), p.err());
        @SuppressWarnings("unchecked") Map<String, Object> root = (Map<String, Object>) Json.parse(p.out().strip());
        List<?> mols = (List<?>) root.get("molecules");
        List<org.unite4j.chem.io.Frame> frames = org.unite4j.chem.io.ExtXyzReader.readAll(written);
        for (int i = 0; i < 2; i++) {
            Map<?, ?> m = (Map<?, ?>) mols.get(i);
            assertEquals(List.of("index", "name", "energy", "unit", "dipole", "dipole_unit", "forces", "force_unit"), new ArrayList<>(m.keySet()));
            assertEquals("Eh/A", m.get("force_unit"));
            List<?> f = (List<?>) m.get("forces");
            Molecule mol = frames.get(i).molecule();
            assertEquals(mol.size(), f.size());
            double[] fromFile = frames.get(i).forces().orElseThrow();
            double[] net = new double[3];
            double max = 0;
            for (int a = 0; a < f.size(); a++)
                for (int k = 0; k < 3; k++) {
                    double v = ((Number) ((List<?>) f.get(a)).get(k)).doubleValue();
                    assertEquals(v, fromFile[3 * a + k], 0.0, "extxyz forces = JSON forces");
                    net[k] += v;
                    max = Math.max(max, Math.abs(v));
                }
            assertTrue(max > 0, "forces of a trained delta model");
            for (double v : net) assertEquals(0.0, v, 1e-6 * max, "net force");
            assertEquals(((Number) m.get("energy")).doubleValue(), Double.parseDouble(mol.info().get("energy")), 0.0);
            assertEquals("Eh", mol.info().get("energy_unit"));
        }
        // molecular dynamics and optimization with the same model
        Path traj = tmp.resolve("md.extxyz");
        Run md = unite("md", "--model", out.resolve("model").toString(), "--data", two.toString(), "--out", traj.toString(),
                "--steps", "4", "--dt", "0.25", "--threads", "2");
        assertEquals(0, md.code(), md.err());
        assertTrue(md.out().contains("max |E(t) - E(0)|"), md.out());
        List<org.unite4j.chem.io.Frame> steps = org.unite4j.chem.io.ExtXyzReader.readAll(traj);
        assertEquals(5, steps.size());
        assertEquals("4", steps.get(4).molecule().info().get("step"));
        assertTrue(Files.isRegularFile(tmp.resolve("md_energy.png")));
        Path opt = tmp.resolve("opt.extxyz");
        Run o = unite("optimize", "--model", out.resolve("model").toString(), "--data", two.toString(), "--out", opt.toString(),
                "--max-steps", "30", "--fmax", "0.05", "--threads", "2");
        assertEquals(0, o.code(), o.err());
        for (org.unite4j.chem.io.Frame fr : org.unite4j.chem.io.ExtXyzReader.readAll(opt))
            for (double v : fr.forces().orElseThrow()) assertTrue(Math.abs(v) < 0.05, "force component " + v + " after optimize");
        // the output must never replace the input
        Run same = unite("predict", "--model", out.resolve("model").toString(), "--data", two.toString(), "--out", two.toString());
        assertEquals(2, same.code(), same.err());
        assertTrue(same.err().contains("would overwrite the input --data"), same.err());
        assertEquals(2, MoleculeReader.read(two).size());
    }

    @Test
    void energyOnlyModelWithALabelBaselinePredictsNoDipole() throws Exception {
        Path out = tmp.resolve("energy-only");
        // the demo file stores the GFN1 energy as a label: "energy_gfn1 + element counts" must equal
        // the built-in "xTB + element counts" baseline (the same GFN1 energies, through the split)
        Run t = unite("train", "--data", data.toString(), "--target", "energy_gfn2:Eh", "--baseline", "energy_gfn1:Eh",
                "--out", out.toString(), "--batch", "8", "--config", config.toString(), "--epochs", "1", "--seed", "3",
                "--threads", "2");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("baseline energy_gfn1 + element counts"), t.out());
        @SuppressWarnings("unchecked") Map<String, Object> metrics = (Map<String, Object>) Json.parse(Files.readString(out.resolve("metrics.json")));
        assertEquals("energy_gfn1", metrics.get("baseline_reference_key"));
        double label = ((Number) metrics.get("baseline_reference_plus_counts_test_mae")).doubleValue();
        double xtb = ((Number) metrics.get("baseline_xtb_plus_counts_test_mae")).doubleValue();
        assertEquals(xtb, label, 1e-6 * xtb, "label GFN1 + counts vs xTB GFN1 + counts");
        Run p = unite("predict", "--model", out.resolve("model").toString(), "--data", data.toString(), "--json",
                "--cache", out.resolve("cache").toString());
        assertEquals(0, p.code(), p.err());
        @SuppressWarnings("unchecked") Map<String, Object> root = (Map<String, Object>) Json.parse(p.out().strip());
        for (Object o : (List<?>) root.get("molecules"))
            assertEquals(List.of("index", "name", "energy", "unit"), new ArrayList<>(((Map<?, ?>) o).keySet()), "no dipole head, no dipole");
        Run text = unite("predict", "--model", out.resolve("model").toString(), "--data", data.toString(),
                "--cache", out.resolve("cache").toString());
        assertEquals(0, text.code(), text.err());
        assertFalse(text.out().contains("dipole"), text.out());
    }

    @Test
    void aSeparateTestFileIsTheTestSet() throws Exception {
        List<Molecule> all = MoleculeReader.read(data);
        Path main = tmp.resolve("main.extxyz"), held = tmp.resolve("held.extxyz");
        ExtXyzWriter.writeMolecules(main, all.subList(0, 22));
        ExtXyzWriter.writeMolecules(held, all.subList(22, all.size()));
        Path out = tmp.resolve("run-test-data");
        Run t = unite("train", "--data", main.toString(), "--test-data", held.toString(), "--target", "energy_gfn2:Eh", "--out",
                out.toString(), "--config", config.toString(), "--epochs", "1", "--batch", "8", "--threads", "2");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("test " + (all.size() - 22) + ")"), t.out());
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) Json.readFile(out.resolve("metrics.json"));
        assertEquals((long) (all.size() - 22), ((Number) m.get("test")).longValue());
        assertTrue(((Number) m.get("test_mae")).doubleValue() > 0);
        Run both = unite("train", "--data", main.toString(), "--test-data", held.toString(), "--split", tmp.resolve("none.npz").toString(),
                "--target", "energy_gfn2:Eh", "--out", tmp.resolve("x2").toString());
        assertEquals(2, both.code(), both.err());
    }

    @Test
    void resumeAfterInterruptionGivesTheSameWeights() throws Exception {
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        assertEquals(0, unite(train(a, "--epochs", "3")).code());
        Run first = unite(train(b, "--epochs", "3", "--stop-after-epoch", "1"));
        assertEquals(0, first.code(), first.err());
        Run again = unite(train(b, "--epochs", "3", "--resume"));
        assertEquals(0, again.code(), again.err());
        for (String f : new String[]{"checkpoint/weights.safetensors", "checkpoint/optimizer.safetensors", "model/weights.safetensors"})
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f + " differs after --resume");
        // a fresh run into a folder that holds one is refused unless told
        Run fresh = unite(train(a, "--epochs", "1"));
        assertEquals(2, fresh.code(), fresh.err());
        assertTrue(fresh.err().contains("already holds a training run") && fresh.err().contains("--overwrite"), fresh.err());
        assertArrayEquals(Files.readAllBytes(b.resolve("model/weights.safetensors")), Files.readAllBytes(a.resolve("model/weights.safetensors")));
        assertEquals(0, unite(train(a, "--epochs", "1", "--overwrite")).code());
        // resuming on other data (every label moved by 1 mEh) is refused, not silently trained
        Path c = tmp.resolve("c");
        assertEquals(0, unite(train(c, "--epochs", "3", "--stop-after-epoch", "1")).code());
        List<Molecule> ms = new ArrayList<>(MoleculeReader.read(data));
        for (int i = 0; i < ms.size(); i++) {
            Molecule m0 = ms.get(i);
            Map<String, String> info = new LinkedHashMap<>(m0.info());
            info.put("energy_gfn2", Double.toString(Double.parseDouble(info.get("energy_gfn2")) + 1e-3));
            ms.set(i, new Molecule(m0.atomicNumbers(), m0.positions(), m0.charge(), m0.multiplicity(), m0.name(), info));
        }
        Path shuffled = tmp.resolve("changed.extxyz");
        ExtXyzWriter.writeMolecules(shuffled, ms);
        String[] args = train(c, "--epochs", "3", "--resume");
        for (int i = 0; i < args.length; i++) if (args[i].equals("--data")) args[i + 1] = shuffled.toString();
        Run other = unite(args);
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("--resume: the training data, split or model config differ"), other.err());
    }

    @Test
    void badInputGivesClearErrors() throws Exception {
        Run r = unite("train", "--data", data.toString(), "--target", "energy_pbe0:Eh", "--out", tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no label 'energy_pbe0'") && r.err().contains("energy_gfn2"), r.err());
        r = unite("train", "--data", data.toString(), "--target", "energy_gfn2:D", "--out", tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not a unit of energy"), r.err());
        r = unite("train", "--data", data.toString(), "--target", "energy_gfn2:furlong", "--out", tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("furlong"), r.err());
        r = unite("train", "--data", data.toString(), "--target", "energy_gfn2:Eh", "--dipole", "energy_gfn2:D", "--out", tmp.resolve("x").toString(),
                "--config", config.toString(), "--epochs", "1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("energy_gfn2") && r.err().contains("expected 3"), r.err());
        // a uranium compound inside the data set (GFN1/GFN2 stop at Rn)
        List<Molecule> ms = new ArrayList<>(MoleculeReader.read(data));
        Map<String, String> info = new LinkedHashMap<>(ms.get(0).info());
        ms.add(5, new Molecule(new int[]{92, 9, 9}, new double[]{0, 0, 0, 2.0, 0, 0, -2.0, 0, 0}, 0, 1, "UF2", info));
        Path bad = tmp.resolve("with_uranium.extxyz");
        ExtXyzWriter.writeMolecules(bad, ms);
        r = unite("train", "--data", bad.toString(), "--target", "energy_gfn2:Eh", "--out", tmp.resolve("u1").toString(), "--config",
                config.toString(), "--epochs", "1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("frame 6") && r.err().contains("unsupported element(s) [U]") && r.err().contains("--on-bad-molecule skip"),
                r.err());
        r = unite("train", "--data", bad.toString(), "--target", "energy_gfn2:Eh", "--out", tmp.resolve("u2").toString(), "--config",
                config.toString(), "--epochs", "1", "--on-bad-molecule", "skip");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning: skipping") && r.err().contains("frame 6") && r.err().contains("[U]"), r.err());
        assertTrue(r.out().contains("skipped 1"), r.out());
        r = unite("train", "--data", bad.toString(), "--target", "energy_gfn2:Eh", "--out", tmp.resolve("u3").toString(),
                "--on-bad-molecule", "maybe");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("skip or stop"), r.err());
        r = unite("predict", "--model", tmp.resolve("nowhere").toString(), "--data", data.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nowhere"), r.err());
        // an element only in the test set is an error before training, naming the molecule
        List<Molecule> all = MoleculeReader.read(data);
        List<Integer> withCl = new ArrayList<>(), rest = new ArrayList<>();
        for (int i = 0; i < all.size(); i++)
            (java.util.Arrays.stream(all.get(i).atomicNumbers()).anyMatch(z -> z == 17) ? withCl : rest).add(i);
        assertFalse(withCl.isEmpty());
        Path splitFile = tmp.resolve("cl-in-test.npz");
        new org.unite4j.data.Split(rest.subList(2, rest.size()).stream().mapToInt(Integer::intValue).toArray(),
                rest.subList(0, 2).stream().mapToInt(Integer::intValue).toArray(),
                withCl.stream().mapToInt(Integer::intValue).toArray()).save(splitFile);
        r = unite("train", "--data", data.toString(), "--target", "energy_gfn2:Eh", "--out", tmp.resolve("cl").toString(),
                "--split", splitFile.toString(), "--config", config.toString(), "--epochs", "1");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("test molecule") && r.err().contains("Cl") && r.err().contains("no training molecule"), r.err());
        assertFalse(Files.exists(tmp.resolve("cl").resolve("checkpoint")), "nothing trained");
        // option abuse: one line, exit 2, before any work
        for (String[] opt : new String[][]{{"--train-size", "-5"}, {"--lr", "1e12"}, {"--epochs", "0"}}) {
            r = unite("train", "--data", data.toString(), "--target", "energy_gfn2:Eh", "--out", tmp.resolve("o").toString(), opt[0], opt[1]);
            assertEquals(2, r.code(), String.join(" ", opt) + ": " + r.err());
            assertTrue(r.err().contains(opt[0]) && !r.err().contains("\tat "), r.err());
        }
    }
}
