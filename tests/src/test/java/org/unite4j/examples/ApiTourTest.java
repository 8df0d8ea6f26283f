package org.unite4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unite4j.data.demo.DemoData;
import org.unite4j.train.ModelStore;

/** Compiles and runs the README's API tour on freshly generated demo data. */
class ApiTourTest {
    @TempDir
    Path tmp;

    @Test
    void apiTourRuns() throws Exception {
        Path data = tmp.resolve("demo.extxyz");
        DemoData.generate(2, 5, data, null);
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            ApiTour.main(new String[]{data.toString(), tmp.resolve("tour").toString()});
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("test MAE ([0-9.]+) kcal/mol over (\\d+) molecules").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Double.isFinite(Double.parseDouble(m.group(1))));
        assertEquals(30 - 21 - 3, Integer.parseInt(m.group(2)));
        assertTrue(Files.isRegularFile(tmp.resolve("tour/my-model").resolve(ModelStore.WEIGHTS_FILE)));
        assertTrue(Files.isDirectory(tmp.resolve("tour/checkpoint")));
    }
}
