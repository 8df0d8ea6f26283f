package org.unite4j.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unite4j.backend.Backend;
import org.unite4j.backend.Backends;
import org.unite4j.bench.Psi4;
import org.unite4j.chem.xtb.XtbEnvironment;
import org.unite4j.io.Json;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** {@code unite bench scaling} on a tiny size list, and {@code unite bench vs-dft}'s paths without psi4. */
class BenchCommandTest {
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void quickScalingOnTinySizesPrintsJsonPerOpAndWritesPlots(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("scaling");
        Run r = run("bench", "scaling", "--quick", "--json", "--out", out.toString(), "--sizes", "2,3", "--synthetic-sizes", "2,4",
                "--channels", "4");
        assertEquals(0, r.code(), r.err());
        Set<String> seen = new HashSet<>();
        List<String> lines = r.out().lines().filter(l -> !l.isBlank()).toList();
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            Map<String, Object> o = Json.parseObject(line, "stdout");
            String op = (String) o.get("op"), input = (String) o.get("input");
            seen.add(op + "/" + input);
            double k = ((Number) o.get("exponent")).doubleValue(), r2 = ((Number) o.get("r2")).doubleValue();
            assertTrue(Double.isFinite(k), line);
            assertTrue(r2 >= 0 && r2 <= 1 + 1e-12, line); // two points: the line goes through both
            List<Object> pts = (List<Object>) o.get("points");
            assertEquals(2, pts.size(), line);
            long prev = 0;
            for (Object p : pts) {
                List<Object> xy = (List<Object>) p;
                long nnz = ((Number) xy.get(0)).longValue();
                double s = ((Number) xy.get(1)).doubleValue();
                assertTrue(nnz > prev && s > 0 && s < 60, line);
                prev = nnz;
            }
        }
        for (String op : List.of("decompose", "tp_forward", "tp_backward", "pool")) {
            assertTrue(seen.contains(op + "/synthetic"), seen.toString());
            assertTrue(seen.contains(op + "/synthetic-dense"), seen.toString());
            if (XtbEnvironment.isAvailable()) {
                assertTrue(seen.contains(op + "/alkane") && seen.contains(op + "/alkane-dense") && seen.contains(op + "/water"), seen.toString());
            }
        }
        if (XtbEnvironment.isAvailable())
            for (String in : List.of("alkane", "alkane-dense", "water"))
                assertTrue(seen.contains("model_forward/" + in) && seen.contains("model_forward_backward/" + in), seen.toString());
        // the whole model also runs on the synthetic inputs (four synthetic operators), below the block cap
        for (String in : List.of("synthetic", "synthetic-dense"))
            assertTrue(seen.contains("model_forward/" + in) && seen.contains("model_forward_backward/" + in), seen.toString());
        // dense contrast: every pair, so nnz = atoms^2 (2 and 4 waters: 36 and 144)
        String dense = lines.stream().filter(l -> l.contains("\"tp_forward\"") && l.contains("\"synthetic-dense\"")).findFirst().orElseThrow();
        assertTrue(dense.contains("\"points\":[[36,") && dense.contains("],[144,"), dense);

        Map<String, Object> all = Json.parseObject(Files.readString(out.resolve("scaling.json")), "scaling.json");
        assertEquals("cpu", all.get("backend"));
        assertEquals(40_000L, ((Number) all.get("model_max_nnz")).longValue());
        assertEquals("float64", all.get("model_dtype"));
        assertEquals(lines.size(), ((List<Object>) all.get("series")).size());
        for (String png : List.of("scaling.png", "scaling-atoms.png", "scaling-synthetic-dense.png")) {
            BufferedImage img = ImageIO.read(out.resolve(png).toFile());
            assertNotNull(img, png);
            assertEquals(900, img.getWidth());
            assertEquals(620, img.getHeight());
        }
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary files left");
        }

        // --from: the same run read back (e.g. timed on a GPU machine without java.desktop) gives the same series and plots
        Path again = dir.resolve("again");
        Run rp = run("bench", "scaling", "--from", out.resolve("scaling.json").toString(), "--json", "--out", again.toString());
        assertEquals(0, rp.code(), rp.err());
        assertEquals(lines, rp.out().lines().filter(l -> !l.isBlank()).toList(), "the series and fits of the original run");
        Map<String, Object> back = Json.parseObject(Files.readString(again.resolve("scaling.json")), "scaling.json");
        for (String key : List.of("backend", "java", "heap", "wall_seconds", "notes", "model_max_nnz"))
            assertEquals(all.get(key), back.get(key), key + " is the timed run's, not the reader's");
        assertNotNull(ImageIO.read(again.resolve("scaling.png").toFile()));
        Run bad = run("bench", "scaling", "--from", dir.resolve("missing.json").toString(), "--out", again.toString());
        assertNotEquals(0, bad.code());
        assertTrue(bad.err().contains("missing.json"), bad.err());
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"a\": 1}");
        Run wrong = run("bench", "scaling", "--from", other.toString(), "--out", again.toString());
        assertNotEquals(0, wrong.code());
        assertTrue(wrong.err().contains("other.json") && wrong.err().contains("not a scaling.json") && wrong.err().contains("backend"), wrong.err());
        String damaged = Files.readString(out.resolve("scaling.json")).replaceFirst("\"labels\"", "\"labelz\"");
        Files.writeString(other, damaged);
        Run broken = run("bench", "scaling", "--from", other.toString(), "--out", again.toString());
        assertNotEquals(0, broken.code());
        assertTrue(broken.err().contains("damaged scaling.json") && !broken.err().contains("Exception"), broken.err());

        // with a cap below the larger input the model stops there, and a note says so; --no-plots writes the JSON only
        Path capped = dir.resolve("capped");
        Run c = run("bench", "scaling", "--quick", "--json", "--no-plots", "--out", capped.toString(), "--sizes", "2,3",
                "--synthetic-sizes", "2,4", "--channels", "4", "--model-max-nnz", "100");
        assertEquals(0, c.code(), c.err());
        Map<String, Object> cj = Json.parseObject(Files.readString(capped.resolve("scaling.json")), "scaling.json");
        assertTrue(((List<Object>) cj.get("notes")).stream().anyMatch(n -> n.toString().contains("the whole model ran on inputs up to 100 blocks")
                && n.toString().contains("synthetic 12 atoms")), cj.get("notes").toString());
        Set<String> cappedSeries = new HashSet<>();
        for (String line : c.out().lines().filter(l -> !l.isBlank()).toList()) {
            Map<String, Object> o = Json.parseObject(line, "stdout");
            cappedSeries.add(o.get("op") + "/" + o.get("input"));
        }
        assertTrue(cappedSeries.contains("tp_forward/synthetic"), cappedSeries.toString());
        assertFalse(cappedSeries.contains("model_forward/synthetic"), "36 blocks fit, 144 do not: one point, no series");
        try (var files = Files.list(capped)) {
            assertEquals(List.of("scaling.json"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void readableTableWithoutJson(@TempDir Path dir) {
        Run r = run("bench", "scaling", "--quick", "--out", dir.toString(), "--sizes", "1,2", "--synthetic-sizes", "1,2", "--channels", "2",
                "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("k (nnz)") && r.out().contains("tp_backward"), r.out());
        assertTrue(r.out().contains("wrote "), r.out());
    }

    @Test
    void badOptionsExitTwoWithAReason(@TempDir Path dir) {
        Run r = run("bench", "scaling", "--quick", "--out", dir.toString(), "--sizes", "3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("at least 2 sizes"), r.err());
        r = run("bench", "scaling", "--backend", "tpu", "--out", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("tpu") && r.err().contains("cuda"), r.err());
    }

    @Test
    void cudaBackendUnavailableExitsTwo(@TempDir Path dir) {
        boolean cuda = Backends.all().stream().anyMatch(b -> b.name().equals("cuda") && b.isAvailable());
        Assumptions.assumeFalse(cuda, "a CUDA backend is available here");
        Run r = run("bench", "scaling", "--backend", "cuda", "--quick", "--out", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--backend cuda: CUDA is not usable here"), r.err());
        assertFalse(Files.exists(dir.resolve("scaling.json")));
    }

    static final String TWO = """
            3
            Properties=species:S:1:pos:R:3 name=water
            O   0.000000   0.000000   0.117790
            H   0.000000   0.755453  -0.471161
            H   0.000000  -0.755453  -0.471161
            5
            Properties=species:S:1:pos:R:3 name=methane
            C   0.0 0.0 0.0
            H   0.629 0.629 0.629
            H   -0.629 -0.629 0.629
            H   -0.629 0.629 -0.629
            H   0.629 -0.629 -0.629
            """;

    @Test
    void vsDftWithoutPsi4SaysHowToInstallItAndExitsTwo(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("two.extxyz");
        Files.writeString(data, TWO);
        Files.createDirectories(dir.resolve("bin"));
        System.setProperty("unite.bench.path", dir.resolve("bin").toString()); // a PATH without psi4
        Run r;
        try {
            r = run("bench", "vs-dft", "--data", data.toString(), "--n", "2");
        } finally {
            System.clearProperty("unite.bench.path");
        }
        assertEquals(2, r.code());
        assertTrue(r.err().contains("psi4 was not found on PATH") && r.err().contains("apt-get install psi4")
                && r.err().contains("B3LYP/def2-SVP"), r.err());
    }

    @Test
    void vsDftOursOnlyTimesFeaturizeAndPredict(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(XtbEnvironment.isAvailable(), "libxtb not available");
        Path data = dir.resolve("two.extxyz");
        Files.writeString(data, TWO);
        Run r = run("bench", "vs-dft", "--data", data.toString(), "--n", "5", "--ours-only", "--channels", "4");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("molecules: 2"), r.out());
        assertTrue(r.out().contains("median featurize + predict") && r.out().contains("UNiTE model inference"), r.out());
        assertFalse(r.out().contains("ratio"), "no DFT, no ratio: " + r.out());
        assertTrue(r.err().contains("CH4") && r.err().contains("H2O"), r.err());
    }

    @Test
    void vsDftForcesTimesTheJacobianAndThePsi4InputAsksForAGradient(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(XtbEnvironment.isAvailable(), "libxtb not available");
        Path data = dir.resolve("two.extxyz");
        Files.writeString(data, TWO);
        Run r = run("bench", "vs-dft", "--data", data.toString(), "--n", "2", "--ours-only", "--forces");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("median forces (featurizer Jacobian + gradient)")
                && r.out().contains("median featurize + predict + forces"), r.out());
        assertTrue(r.err().contains("forces "), r.err());
        var m = new org.unite4j.chem.Molecule(new int[]{8, 1, 1}, new double[]{0, 0, 0.1178, 0, 0.7555, -0.4712, 0, -0.7555, -0.4712});
        assertTrue(Psi4.input(m, 2, true).contains("gradient('b3lyp')"));
    }

    @Test
    void vsDftWithPsi4RunsTheDftAndPrintsTheRatio(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Psi4.find().isPresent(), "psi4 is not installed here");
        Assumptions.assumeTrue(XtbEnvironment.isAvailable(), "libxtb not available");
        Path data = dir.resolve("water.extxyz");
        Files.writeString(data, TWO.lines().limit(5).reduce("", (a, b) -> a + b + "\n"));
        Run r = run("bench", "vs-dft", "--data", data.toString(), "--n", "1", "--dft-threads", "1", "--channels", "4");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("median DFT (psi4 B3LYP/def2-svp, 1 threads)") && r.out().contains("ratio DFT / ours"), r.out());
        // B3LYP/def2-SVP total energy of this water geometry (psi4 1.3.2): -76.3582 Eh
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("E = (-?\\d+\\.\\d+) Eh").matcher(r.err());
        assertTrue(m.find(), r.err());
        assertEquals(-76.358, Double.parseDouble(m.group(1)), 0.002);
    }

    @Test
    void psi4InputHasTheMethodBasisAndGeometry() {
        var m = new org.unite4j.chem.Molecule(new int[]{8, 1, 1}, new double[]{0, 0, 0.1178, 0, 0.7555, -0.4712, 0, -0.7555, -0.4712});
        String in = Psi4.input(m, 2);
        assertTrue(in.contains("set basis def2-svp") && in.contains("energy('b3lyp')") && in.contains("set_num_threads(2)"), in);
        assertTrue(in.contains("0 1\nO ") && in.contains("units angstrom") && in.contains("no_reorient"), in);
        assertEquals(3, in.lines().filter(l -> l.matches("^[A-Z][a-z]? +-?\\d.*")).count(), in);
    }

    @Test
    void gfn1BenchReportsAgreementWithLibxtbAsJson(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(XtbEnvironment.isAvailable(), "libxtb not available");
        Assumptions.assumeTrue(Files.exists(org.unite4j.chem.gfn1.Gfn1Parameters.defaultPath()), "no GFN1 parameter file");
        Path xyz = dir.resolve("m.xyz");
        Files.writeString(xyz, """
                3
                water
                O   0.000000   0.000000   0.117790
                H   0.000000   0.755453  -0.471161
                H   0.000000  -0.755453  -0.471161
                4
                formaldehyde
                C   0.000000   0.000000  -0.530000
                O   0.000000   0.000000   0.680000
                H   0.000000   0.940000  -1.110000
                H   0.000000  -0.940000  -1.110000
                """);
        Run r = run("bench", "gfn1", "--data", xyz.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> o = Json.parseObject(r.out().strip(), "stdout");
        assertEquals(2, ((Number) o.get("molecules")).intValue());
        for (String k : List.of("max_abs_diff_F_Eh", "max_abs_diff_P", "max_abs_diff_S", "max_abs_diff_W_Eh", "max_abs_diff_charge_e"))
            assertTrue(((Number) o.get(k)).doubleValue() < 1e-8, k + " = " + o.get(k));
        assertTrue(((Number) o.get("java_median_ms")).doubleValue() > 0);
        Run bad = run("bench", "gfn1", "--data", xyz.toString(), "--n", "0");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--n must be >= 1"), bad.err());
    }
}
