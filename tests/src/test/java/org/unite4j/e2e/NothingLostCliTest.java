package org.unite4j.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unite4j.bench.Geometries;
import org.unite4j.chem.io.ExtXyzWriter;
import org.unite4j.chem.io.Frame;
import org.unite4j.chem.xtb.XtbEnvironment;
import org.unite4j.cli.Main;
import org.unite4j.data.demo.DemoData;

/**
 * Issue 17 ("nothing lost, nothing silent") at the command line: a bad-input corpus generated
 * here (no checked-in files) through inspect, featurize, train and predict, each case exit 2 with
 * one line on stderr naming the file, no stack trace, no output left and the input unchanged;
 * outputs that are inputs refused; periodic frames, atom limits, all-failed skipping, stale
 * temporaries and large-molecule progress.
 */
class NothingLostCliTest {
    @TempDir
    static Path tmp;

    static Path data, model;

    record Run(int code, String out, String err) {
        /** The non-empty lines of stderr. */
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    static Run unite(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        StringWriter picoOut = new StringWriter(), picoErr = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            var cl = Main.commandLine();
            cl.setOut(new PrintWriter(picoOut, true));
            cl.setErr(new PrintWriter(picoErr, true));
            int code = cl.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8) + picoOut, err.toString(StandardCharsets.UTF_8) + picoErr);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @BeforeAll
    static void trainATinyModel() throws Exception {
        Assumptions.assumeTrue(XtbEnvironment.isAvailable(), "libxtb is not available");
        data = tmp.resolve("demo.extxyz");
        DemoData.generate(2, 3, data, null); // 15 molecules x 2 conformers, GFN2 labels (the split of TrainPredictCliTest)
        Path config = tmp.resolve("small.json");
        Files.writeString(config, "{\"hidden\": \"8x0e+4x1o\", \"tp_channels\": 4, \"blocks\": 1, \"edge_hidden\": 8, \"mlp_hidden\": 8}");
        Path run = tmp.resolve("run");
        Run t = unite("train", "--data", data.toString(), "--target", "energy_gfn2:Eh", "--out", run.toString(), "--config",
                config.toString(), "--epochs", "1", "--threads", "2", "--delta", "--seed", "3", "--batch", "8");
        assertEquals(0, t.code(), t.err());
        model = run.resolve("model");
    }

    static byte[] sha256(Path p) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
    }

    static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** An npz holding the given .npy entries (name -> bytes). */
    static byte[] npz(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return b.toByteArray();
    }

    /** A .npy (format 1.0) with this header dict and these data bytes, whatever the dict claims. */
    static byte[] npy(String dict, byte[] payload) {
        String h = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length(), (byte) (h.length() >> 8)});
        b.writeBytes(h.getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(payload);
        return b.toByteArray();
    }

    /** The corpus: file name -> content. Every case is an error of the file, with the record where one applies. */
    static Map<String, byte[]> corpus() throws IOException {
        Map<String, byte[]> c = new LinkedHashMap<>();
        String two = "2\nenergy=-1.0\nH 0 0 0\nH 0 0 0.74\n";
        c.put("truncated.extxyz", (two + "5\nenergy=-1.0\nH 0 0 0\nH 0 0 1\n").getBytes(StandardCharsets.UTF_8));
        c.put("element.extxyz", (two + "2\nenergy=-1.0\nXx 0 0 0\nH 0 0 1\n").getBytes(StandardCharsets.UTF_8));
        c.put("nan.extxyz", (two + "2\nenergy=-1.0\nH nan 0 0\nH 0 0 1\n").getBytes(StandardCharsets.UTF_8));
        c.put("columns.extxyz", (two + "2\nenergy=-1.0\nH 0 0\nH 0 0 1\n").getBytes(StandardCharsets.UTF_8));
        c.put("count.extxyz", (two + "1000000000\nenergy=-1.0\nH 0 0 0\n").getBytes(StandardCharsets.UTF_8));
        c.put("periodic.extxyz", (two + "2\nenergy=-1.0 Lattice=\"5 0 0 0 5 0 0 0 5\" pbc=\"T T T\"\nH 0 0 0\nH 0 0 0.74\n")
                .getBytes(StandardCharsets.UTF_8));
        c.put("quote.extxyz", (two + "2\nenergy=-1.0 name=\"open\nH 0 0 0\nH 0 0 0.74\n").getBytes(StandardCharsets.UTF_8));
        byte[] latin1 = (two + "2\nenergy=-1.0 name=caf\u00e9\nH 0 0 0\nH 0 0 0.74\n").getBytes(StandardCharsets.ISO_8859_1);
        c.put("latin1.extxyz", latin1);
        c.put("empty.xyz", new byte[0]);
        c.put("notzip.npz", "this is not a zip archive\n".getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> huge = new LinkedHashMap<>();
        huge.put("Z.npy", npy("{'descr': '<i4', 'fortran_order': False, 'shape': (1000000000,), }", new byte[8]));
        huge.put("R.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2, 3), }", new byte[48]));
        c.put("hugeshape.npz", npz(huge));
        Map<String, byte[]> overflow = new LinkedHashMap<>();
        overflow.put("Z.npy", npy("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", new byte[]{1, 0, 0, 0, 1, 0, 0, 0}));
        overflow.put("R.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2000000000, 2000000000, 3), }", new byte[48]));
        c.put("overflow.npz", npz(overflow));
        return c;
    }

    /**
     * Done-means of issue 17: every case of the corpus, through inspect, featurize, train and
     * predict: exit 2, exactly one line on stderr that names the file, no stack trace, no output
     * left (nor a temporary file), the input's bytes unchanged.
     */
    @Test
    void theBadInputCorpusFailsCleanlyOnEveryCommand() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("corpus"));
        Map<String, byte[]> corpus = corpus();
        for (var e : corpus.entrySet()) Files.write(dir.resolve(e.getKey()), e.getValue());
        Path outs = Files.createDirectories(tmp.resolve("corpus-out"));
        List<String> failures = new ArrayList<>();
        for (String name : corpus.keySet()) {
            Path in = dir.resolve(name);
            byte[] before = sha256(in);
            Map<String, String[]> commands = new LinkedHashMap<>();
            commands.put("inspect", new String[]{"inspect", in.toString()});
            commands.put("featurize", new String[]{"featurize", "--data", in.toString(), "--out", outs.resolve("f.npz").toString()});
            // the default --backend auto: its note comes only once the input has been read, so a bad file is one line
            commands.put("train", new String[]{"train", "--data", in.toString(), "--target", "energy:Eh", "--out",
                    outs.resolve("train").toString(), "--epochs", "1"});
            commands.put("predict", new String[]{"predict", "--model", model.toString(), "--data", in.toString(), "--out",
                    outs.resolve("p.extxyz").toString()});
            for (var c : commands.entrySet()) {
                Run r = unite(c.getValue());
                String what = name + " through " + c.getKey() + ": ";
                List<String> lines = r.errLines();
                if (r.code() != 2) failures.add(what + "exit " + r.code() + " " + r.err());
                if (lines.size() != 1) failures.add(what + lines.size() + " lines on stderr: " + r.err());
                if (!r.err().contains(name)) failures.add(what + "the file is not named: " + r.err());
                if (r.err().contains("Exception") || r.err().contains("\tat ")) failures.add(what + "stack trace: " + r.err());
                if (!listing(outs).isEmpty()) failures.add(what + "left " + listing(outs));
                if (!java.util.Arrays.equals(before, sha256(in))) failures.add(what + "changed the input");
                if (!listing(dir).equals(new ArrayList<>(new java.util.TreeSet<>(corpus.keySet()))))
                    failures.add(what + "changed the corpus folder: " + listing(dir));
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** The one line of a refused run, which must name both paths; the input is unchanged. */
    static void assertRefused(Path input, String option, Path out, String... args) throws Exception {
        byte[] before = Files.isRegularFile(input) ? sha256(input) : null;
        Run r = unite(args);
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("would overwrite the input " + option + " " + input), r.err());
        assertTrue(r.err().contains(out.toString()), r.err());
        if (before != null) assertArrayEquals(before, sha256(input));
    }

    /** Issue 17 item 1: an output that is one of the inputs is refused by every command that writes. */
    @Test
    void outputsThatAreInputsAreRefused() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("same"));
        Path mol = d.resolve("h2.extxyz");
        Files.writeString(mol, "2\nenergy=-1.0\nH 0 0 0\nH 0 0 0.74\n");
        Path m = model;
        assertRefused(mol, "--data", mol, "train", "--data", mol.toString(), "--target", "energy:Eh", "--out", mol.toString());
        Path run = tmp.resolve("run");
        Path inside = run.resolve("split.npz"); // a file train rewrites, given as its --split
        assertRefused(inside, "--split", run, "train", "--data", data.toString(), "--target", "energy_gfn2:Eh", "--out", run.toString(),
                "--overwrite", "--split", inside.toString());
        Path modelJson = m.resolve("model.json");
        for (String cmd : List.of("predict", "optimize", "md")) {
            assertRefused(mol, "--data", mol, cmd, "--model", m.toString(), "--data", mol.toString(), "--out", mol.toString());
            assertRefused(m, "--model", modelJson, cmd, "--model", m.toString(), "--data", mol.toString(), "--out", modelJson.toString());
        }
        // demo has no input, but it must not take a file, or someone's training run, as its folder
        Run demoFile = unite("demo", "--out", mol.toString(), "--quick");
        assertEquals(2, demoFile.code(), demoFile.err());
        assertTrue(demoFile.err().contains("--out " + mol + " is a file"), demoFile.err());
        Run demoRun = unite("demo", "--out", run.toString(), "--quick");
        assertEquals(2, demoRun.code(), demoRun.err());
        assertTrue(demoRun.err().contains("holds a training run that is not a demo's"), demoRun.err());
        assertTrue(Files.isRegularFile(run.resolve("model/model.json")));
        // bench scaling --from its own output
        Path sc = Files.createDirectories(d.resolve("scaling"));
        Path json = sc.resolve("scaling.json");
        Files.writeString(json, "{}");
        assertRefused(json, "--from", sc, "bench", "scaling", "--from", json.toString(), "--out", sc.toString());
    }

    /** Issue 17 item 9: a periodic frame is refused on every command that reads molecules unless --ignore-cell. */
    @Test
    void periodicFramesNeedIgnoreCell() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("cell"));
        Path f = d.resolve("box.extxyz");
        Files.writeString(f, "2\nenergy_gfn2=-1.0 Lattice=\"6 0 0 0 6 0 0 0 6\" pbc=\"T T T\"\nH 0 0 0\nH 0 0 0.74\n");
        Path npz = d.resolve("box.npz");
        String[][] cmds = {
                {"inspect", f.toString()},
                {"featurize", "--data", f.toString(), "--out", npz.toString()},
                {"train", "--data", f.toString(), "--target", "energy_gfn2:Eh", "--out", d.resolve("t").toString()},
                {"predict", "--model", model.toString(), "--data", f.toString()},
                {"optimize", "--model", model.toString(), "--data", f.toString(), "--out", d.resolve("o.extxyz").toString()},
                {"md", "--model", model.toString(), "--data", f.toString(), "--out", d.resolve("md.extxyz").toString()},
                {"bench", "vs-dft", "--data", f.toString(), "--ours-only"},
        };
        for (String[] c : cmds) {
            Run r = unite(c);
            assertEquals(2, r.code(), c[0] + ": " + r.err());
            assertEquals(List.of("unite " + (c[0].equals("bench") ? "vs-dft" : c[0]) + ": " + f + ":2: frame 1 is periodic (pbc=\"T T T\"), "
                    + "but unite computes isolated molecules; --ignore-cell reads it as one (the cell is ignored)"), r.errLines(), c[0]);
        }
        Run ins = unite("inspect", f.toString(), "--ignore-cell");
        assertEquals(0, ins.code(), ins.err());
        assertTrue(ins.out().contains("1 molecules, 2-2 atoms"), ins.out());
        Run fz = unite("featurize", "--data", f.toString(), "--out", npz.toString(), "--ignore-cell");
        assertEquals(0, fz.code(), fz.err());
        assertTrue(Files.isRegularFile(npz));
        Run p = unite("predict", "--model", model.toString(), "--data", f.toString(), "--ignore-cell");
        assertEquals(0, p.code(), p.err());
    }

    /** Issue 17 item 11: skipping with every molecule failing is an error, and leaves nothing. */
    @Test
    void skippingEveryMoleculeIsAnError() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("allbad"));
        Path f = d.resolve("overlap.extxyz"); // atoms 0.01 A apart: every single point is refused
        Files.writeString(f, "2\nenergy=-1.0\nH 0 0 0\nH 0 0 0.01\n2\nenergy=-2.0\nO 0 0 0\nH 0 0 0.01\n");
        Path out = d.resolve("f.npz");
        Run fz = unite("featurize", "--data", f.toString(), "--out", out.toString(), "--skip-failed");
        assertEquals(2, fz.code(), fz.err());
        List<String> lines = fz.errLines().stream().filter(l -> !l.startsWith("featurize [") && !l.startsWith("\r")).toList(); // the bar
        assertEquals(1, lines.size(), fz.err());
        assertTrue(lines.getFirst().startsWith("unite featurize: nothing succeeded: 2 of 2 molecules failed; first error: " + f + ": molecule 0 (H2)"),
                fz.err());
        assertFalse(Files.exists(out));
        Path run = d.resolve("run");
        Run tr = unite("train", "--data", f.toString(), "--target", "energy:Eh", "--out", run.toString(), "--on-bad-molecule", "skip",
                "--backend", "cpu");
        assertEquals(2, tr.code(), tr.err());
        assertTrue(tr.err().contains("unite train: nothing succeeded: 2 of 2 molecules failed; first error: "), tr.err());
        assertFalse(tr.err().contains("Exception"), tr.err());
        assertFalse(Files.exists(run.resolve("model")) || Files.exists(run.resolve("checkpoint")));
        assertEquals(List.of("overlap.extxyz"), listing(d));
    }

    /** Issue 17 item 12: a temporary file left by a killed featurize is removed by the next write, with a line saying so. */
    @Test
    void staleTemporariesOfAKilledRunAreRemoved() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("stale"));
        Path f = d.resolve("h2.extxyz");
        Files.writeString(f, "2\n\nH 0 0 0\nH 0 0 0.74\n");
        Path dead = d.resolve(".out.npz.4194305-0123456789ab.tmp"); // above Linux's largest PID: no such process
        Path mine = d.resolve(".out.npz." + ProcessHandle.current().pid() + "-0123456789ab.tmp"); // a write of this process
        Path other = d.resolve(".out.npz.notes.tmp"); // not our naming
        for (Path p : List.of(dead, mine, other)) Files.writeString(p, "partial");
        Run r = unite("featurize", "--data", f.toString(), "--out", d.resolve("out.npz").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("unite: removed " + dead + ", a temporary file left by an interrupted write of out.npz"), r.err());
        assertFalse(Files.exists(dead));
        assertTrue(Files.exists(mine) && Files.exists(other));
        assertTrue(Files.isRegularFile(d.resolve("out.npz")));
    }

    /** Issue 17 item 5: one large molecule says when it starts (atoms, AOs) and how long it took; above --max-atoms it is refused. */
    @Test
    void aLargeMoleculeShowsProgressAndTheAtomLimitHolds() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("large"));
        Path f = d.resolve("water50.extxyz");
        ExtXyzWriter.write(f, List.of(new Frame(Geometries.waterCluster(50, 1), List.of(), "water50", 0, 0)));
        Path out = d.resolve("w.npz");
        Run limited = unite("featurize", "--data", f.toString(), "--out", out.toString(), "--max-atoms", "100");
        assertEquals(2, limited.code(), limited.err());
        assertTrue(limited.err().startsWith("unite featurize: " + f + ":1: frame 1 has 150 atoms, more than the limit of 100 "),
                limited.err());
        assertFalse(Files.exists(out));
        Run r = unite("featurize", "--data", f.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("unite featurize: molecule 0 (H100O50): 150 atoms, 400 AOs, a large molecule"), r.err());
        assertTrue(r.err().matches("(?s).*unite featurize: molecule 0 done after \\d+\\.\\d s.*"), r.err());
        // a large molecule with an element the basis lacks: the molecule's own one-line error, not a failed thread
        org.unite4j.chem.Molecule w = Geometries.waterCluster(50, 1);
        int[] z = w.atomicNumbers().clone();
        z[0] = 92; // uranium, beyond GFN-xTB's Z <= 86
        Path u = d.resolve("uranium.extxyz");
        ExtXyzWriter.write(u, List.of(new Frame(new org.unite4j.chem.Molecule(z, w.positions(), 0, 1, "u", Map.of()), List.of(), "u", 0, 0)));
        Run bad = unite("featurize", "--data", u.toString(), "--out", out.toString());
        assertEquals(2, bad.code(), bad.err());
        assertFalse(bad.err().contains("Exception") || bad.err().contains("\tat "), bad.err());
        assertTrue(bad.err().contains("unite featurize: " + u + ": molecule 0 (H100O49U, u): element U (Z = 92) is not supported"),
                bad.err());
        assertFalse(bad.err().contains("a large molecule"), bad.err());
    }
}
