package org.unite4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.unite4j.irreps.CGTable;
import org.unite4j.irreps.ClebschGordan;

/** The CUDA kernels' CG header is ClebschGordan's tables, and the checked-in copy is current. */
class CgHeaderTest {
    /**
     * The checked-in header. The build (surefire) sets unite.repo.dir, and there the file must
     * exist; the GPU bundle runs this package's tests without the repository, so there it skips.
     */
    static Path header() {
        String repo = System.getProperty("unite.repo.dir");
        Assumptions.assumeTrue(repo != null, "not run from the repository (unite.repo.dir unset): no checked-in header to compare");
        Path p = Path.of(repo, "cuda", "src", "cg_tables.cuh");
        assertTrue(Files.isRegularFile(p), "no checked-in header at " + p.toAbsolutePath());
        return p;
    }

    @Test
    void checkedInHeaderIsCurrent() throws IOException {
        String onDisk = Files.readString(header(), StandardCharsets.US_ASCII);
        if (!onDisk.equals(CgHeader.render())) {
            fail("cuda/src/cg_tables.cuh is stale: it differs from what org.unite4j.irreps.ClebschGordan gives. Regenerate it with\n"
                    + "  java -cp java/target/classes org.unite4j.backend.cuda.CgHeader cuda/src/cg_tables.cuh");
        }
    }

    @Test
    void everyEntryReadsBackAsTheFloatOfClebschGordan() {
        // parse the rendered header as the C compiler would, and compare with the float64 source
        Pattern def = Pattern.compile("#define U4J_CG_(\\d)_(\\d)_(\\d)\\(X\\) \\\\\\n((?:  X\\([^\\n]*\\n)*)");
        Pattern ent = Pattern.compile("X\\((\\d+), (\\d+), (\\d+), ([^)]+)f\\)");
        Matcher m = def.matcher(CgHeader.render());
        int triples = 0, entries = 0;
        while (m.find()) {
            CGTable t = ClebschGordan.sparse(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            Matcher e = ent.matcher(m.group(4));
            int j = 0;
            while (e.find()) {
                assertEquals(t.i1[j], Integer.parseInt(e.group(1)));
                assertEquals(t.i2[j], Integer.parseInt(e.group(2)));
                assertEquals(t.i3[j], Integer.parseInt(e.group(3)));
                assertEquals((float) t.value[j], Float.parseFloat(e.group(4)), 0f, "entry " + j + " of " + t);
                j++;
            }
            assertEquals(t.nnz(), j, "entries of " + t);
            triples++;
            entries += j;
        }
        assertEquals(CompiledCg.size(), triples);
        assertEquals(65, triples); // every (l1, l2, l3) with l <= 4 obeying the triangle rule
        assertTrue(entries > 2000, "non-zeros: " + entries);
    }
}
