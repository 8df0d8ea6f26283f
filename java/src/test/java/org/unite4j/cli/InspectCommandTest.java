package org.unite4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
    private static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new String[]{Integer.toString(rc), out.toString(), err.toString()};
    }

    @Test
    void summarizesLabelsAndArrays(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("w.extxyz");
        Files.writeString(p, """
                3
                Properties=species:S:1:pos:R:3:forces:R:3 energy=-76.4 name=a
                O 0 0 0 0 0 0
                H 0 0.76 0.59 0 0 0
                H 0 -0.76 0.59 0 0 0
                2
                Properties=species:S:1:pos:R:3:forces:R:3 energy=-1.2 name=b
                H 0 0 0 0 0 1
                H 0 0 0.74 0 0 -1
                """);
        String[] r = run("inspect", "--show", "1", p.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("2 molecules, 2-3 atoms (mean 2.5), elements H O"), r[1]);
        assertTrue(r[1].matches("(?s).*energy\\s+min -76\\.4\\s+mean -38\\.8\\s+max -1\\.2.*"), r[1]);
        assertTrue(r[1].contains("per-atom arrays: forces:R:3"), r[1]);
        assertTrue(r[1].contains("1: H2O a"), r[1]);
    }

    @Test
    void badFileIsOneLineExitTwo(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("bad.xyz");
        Files.writeString(p, "2\n\nC 0 0 0\nXx 0 0 1\n");
        String[] r = run("inspect", p.toString());
        assertEquals("2", r[0]);
        assertEquals("unite inspect: " + p + ":4: atom 2 of frame 1: unknown element symbol 'Xx'", r[2].strip());
    }
}
