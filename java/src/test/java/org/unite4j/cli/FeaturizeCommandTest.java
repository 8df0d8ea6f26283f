package org.unite4j.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.io.MoleculeReader;
import org.unite4j.chem.io.NpyArray;
import org.unite4j.chem.io.NpzReader;
import org.unite4j.chem.xtb.XtbEnvironment;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbFeatures;
import org.unite4j.chem.xtb.XtbMethod;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** {@code unite featurize}: the npz holds exactly the featurizer's arrays; bad input exits 2 with a clear message. */
class FeaturizeCommandTest {
    @BeforeAll
    static void needLibxtb() {
        Assumptions.assumeTrue(XtbEnvironment.isAvailable(), () -> "libxtb not available: " + XtbEnvironment.availabilityProblem().orElse(""));
    }

    static final String TWO = """
            3
            Properties=species:S:1:pos:R:3 name=water
            O   0.000000   0.000000   0.117790
            H   0.000000   0.755453  -0.471161
            H   0.000000  -0.755453  -0.471161
            4
            Properties=species:S:1:pos:R:3 name=hcl-nh
            Cl  0.0 0.0 0.0
            H   1.28 0.0 0.0
            N   -2.0 1.5 0.3
            H   -2.0 1.5 1.3
            """;

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
    void writesTheFeaturizersArraysPerMolecule(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("two.extxyz");
        Files.writeString(in, TWO);
        Path out = dir.resolve("sub/out.npz");
        for (String method : new String[]{"gfn1", "gfn2"}) {
            Run r = run("featurize", "--data", in.toString(), "--out", out.toString(), "--method", method, "--threads", "2");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("featurized 2 of 2 molecules"), r.out());
            assertTrue(r.err().contains("2/2"), "progress bar: " + r.err());
            Map<String, NpyArray> npz = NpzReader.open(out);
            List<Molecule> mols = MoleculeReader.read(in);
            XtbFeaturizer fz = new XtbFeaturizer(XtbMethod.parse(method));
            for (int i = 0; i < mols.size(); i++) {
                XtbFeatures f = fz.featurize(mols.get(i));
                int n = f.nao();
                for (String op : XtbFeatures.OPERATORS) {
                    NpyArray a = npz.get(i + "/" + op);
                    assertArrayEquals(new int[]{n, n}, a.shape(), op);
                    assertEquals("<f8", a.dtype());
                    assertArrayEquals(f.operator(op), a.asDoubles(), 0.0, method + " " + i + "/" + op);
                }
                assertArrayEquals(mols.get(i).atomicNumbers(), npz.get(i + "/Z").asInts());
                assertArrayEquals(new int[]{mols.get(i).size(), 3}, npz.get(i + "/R").shape());
                assertArrayEquals(mols.get(i).positions(), npz.get(i + "/R").asDoubles(), 0.0);
                assertEquals(f.energy(), npz.get(i + "/energy").asDoubles()[0], 0.0);
                assertArrayEquals(f.basis().shellTable(), npz.get(i + "/shells").asInts());
                assertEquals(3, npz.get(i + "/shells").shape()[1]);
                assertArrayEquals(f.gradient(), npz.get(i + "/gradient").asDoubles(), 0.0);
            }
            assertEquals(2 * 11, npz.size(), "11 arrays per molecule: " + npz.keySet());
            // The archive is also a molecule file (i/Z, i/R) for the other commands.
            assertEquals(mols.get(1).formula(), MoleculeReader.read(out).get(1).formula());
        }
    }

    @Test
    void badInputExitsTwoWithAClearMessageAndLeavesNoOutput(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.npz");
        Run missing = run("featurize", "--data", dir.resolve("nope.xyz").toString(), "--out", out.toString());
        assertEquals(2, missing.code());
        // the output must never replace the input (it used to write the npz over it and exit 0)
        Path in = dir.resolve("two.extxyz");
        Files.writeString(in, TWO);
        Run same = run("featurize", "--data", in.toString(), "--out", in.toString());
        assertEquals(2, same.code(), same.err());
        assertTrue(same.err().contains("would overwrite the input --data"), same.err());
        assertEquals(TWO, Files.readString(in));
        assertTrue(missing.err().contains("nope.xyz"), missing.err());

        Path unknown = dir.resolve("unknown.xyz");
        Files.writeString(unknown, "2\n\nXx 0 0 0\nH 0 0 1\n");
        Run u = run("featurize", "--data", unknown.toString(), "--out", out.toString());
        assertEquals(2, u.code());
        assertTrue(u.err().contains("Xx"), u.err());

        Path overlap = dir.resolve("overlap.xyz");
        Files.writeString(overlap, TWO + "2\n\nO 0 0 0\nH 0 0 0.01\n");
        Run o = run("featurize", "--data", overlap.toString(), "--out", out.toString(), "--threads", "1");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("molecule 2") && o.err().contains("closer than 0.1"), o.err());
        assertFalse(Files.exists(out), "no partial archive");

        Path francium = dir.resolve("fr.xyz");
        Files.writeString(francium, "2\n\nFr 0 0 0\nH 0 0 2.3\n");
        Run fr = run("featurize", "--data", francium.toString(), "--out", out.toString());
        assertEquals(2, fr.code());
        assertTrue(fr.err().contains("Fr") && fr.err().contains("not supported"), fr.err());

        Run skip = run("featurize", "--data", overlap.toString(), "--out", out.toString(), "--skip-failed");
        assertEquals(0, skip.code(), skip.err());
        assertTrue(skip.err().contains("skipped") && skip.err().contains("molecule 2"), skip.err());
        Map<String, NpyArray> npz = NpzReader.open(out);
        assertTrue(npz.containsKey("1/F") && !npz.containsKey("2/F"));

        Run method = run("featurize", "--data", overlap.toString(), "--out", out.toString(), "--method", "gfn7");
        assertEquals(2, method.code());
        assertTrue(method.err().contains("gfn7"), method.err());

        Path empty = dir.resolve("empty.xyz");
        Files.writeString(empty, "");
        assertEquals(2, run("featurize", "--data", empty.toString(), "--out", out.toString()).code());
    }
}
