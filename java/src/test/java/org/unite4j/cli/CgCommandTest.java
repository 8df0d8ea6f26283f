package org.unite4j.cli;

import org.junit.jupiter.api.Test;
import org.unite4j.irreps.CGTable;
import org.unite4j.irreps.ClebschGordan;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CgCommandTest {

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void jsonEntriesEqualTheSparseTableBitForBit() {
        for (int[] t : new int[][]{{1, 1, 0}, {1, 1, 1}, {2, 3, 4}, {4, 4, 8}, {0, 0, 0}}) {
            Result r = run("cg", String.valueOf(t[0]), String.valueOf(t[1]), String.valueOf(t[2]), "--json");
            assertEquals(0, r.code, r.err);
            @SuppressWarnings("unchecked")
            Map<String, Object> obj = (Map<String, Object>) new MiniJson(r.out.strip()).value();
            assertEquals(t[0], ((Number) obj.get("l1")).intValue());
            assertEquals(t[1], ((Number) obj.get("l2")).intValue());
            assertEquals(t[2], ((Number) obj.get("l3")).intValue());
            @SuppressWarnings("unchecked")
            List<List<Double>> entries = (List<List<Double>>) obj.get("entries");
            CGTable s = ClebschGordan.sparse(t[0], t[1], t[2]);
            assertEquals(s.nnz(), entries.size());
            for (int j = 0; j < s.nnz(); j++) {
                List<Double> e = entries.get(j);
                assertEquals(s.i1[j] - t[0], e.get(0).intValue());
                assertEquals(s.i2[j] - t[1], e.get(1).intValue());
                assertEquals(s.i3[j] - t[2], e.get(2).intValue());
                assertEquals(s.value[j], e.get(3), 0.0, "17 significant digits read back exactly");
            }
        }
    }

    @Test
    void readableTableListsEveryEntry() {
        Result r = run("cg", "1", "1", "0");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("3 non-zero"), r.out);
        assertTrue(r.out.contains("5.7735026918962573e-01"), r.out);
        assertEquals(5, r.out.strip().split("\n").length, r.out);
    }

    @Test
    void forbiddenAndNegativeDegreesExitWithCode2() {
        Result r = run("cg", "1", "1", "3");
        assertEquals(2, r.code);
        assertTrue(r.err.contains("forbidden triple (1, 1, 3)"), r.err);
        r = run("cg", "1", "4", "2");
        assertEquals(2, r.code);
        r = run("cg", "1", "-1", "1");
        assertEquals(2, r.code);
        assertFalse(r.err.isBlank());
    }

    /** Just enough JSON for this test: objects, arrays, numbers. */
    static final class MiniJson {
        private final String s;
        private int i;

        MiniJson(String s) { this.s = s; }

        Object value() {
            Object v = parse();
            skip();
            if (i != s.length()) throw new IllegalStateException("trailing text at " + i + ": " + s.substring(i));
            return v;
        }

        private void skip() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

        private Object parse() {
            skip();
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                skip();
                if (s.charAt(i) == '}') { i++; return m; }
                while (true) {
                    skip();
                    expect('"');
                    int j = s.indexOf('"', i);
                    String k = s.substring(i, j);
                    i = j + 1;
                    skip();
                    expect(':');
                    m.put(k, parse());
                    skip();
                    if (s.charAt(i) == ',') { i++; continue; }
                    expect('}');
                    return m;
                }
            }
            if (c == '[') {
                i++;
                List<Object> l = new ArrayList<>();
                skip();
                if (s.charAt(i) == ']') { i++; return l; }
                while (true) {
                    l.add(parse());
                    skip();
                    if (s.charAt(i) == ',') { i++; continue; }
                    expect(']');
                    return l;
                }
            }
            int j = i;
            while (j < s.length() && "+-0123456789.eE".indexOf(s.charAt(j)) >= 0) j++;
            if (j == i) throw new IllegalStateException("unexpected '" + c + "' at " + i);
            double d = Double.parseDouble(s.substring(i, j));
            i = j;
            return d;
        }

        private void expect(char c) {
            if (s.charAt(i) != c) throw new IllegalStateException("expected '" + c + "' at " + i + " in " + s);
            i++;
        }
    }
}
