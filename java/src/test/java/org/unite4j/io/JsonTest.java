package org.unite4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class JsonTest {

    @Test
    void parsesTypesAndKeepsKeyOrder() {
        Object v = Json.parse(" {\"z\": 1, \"a\": [true, false, null, -0.5e2, \"x\"], \"m\": {}, \"e\": [], \"big\": 123456789012345678901234} ");
        Map<?, ?> m = assertInstanceOf(LinkedHashMap.class, v);
        assertEquals(List.of("z", "a", "m", "e", "big"), new ArrayList<>(m.keySet()));
        assertEquals(1L, m.get("z"));
        assertEquals(Arrays.asList(true, false, null, -50.0, "x"), m.get("a"));
        assertEquals(Map.of(), m.get("m"));
        assertEquals(List.of(), m.get("e"));
        assertEquals(1.2345678901234568e23, (Double) m.get("big"), 0, "integers beyond long become doubles");
        assertInstanceOf(Double.class, Json.parse("1.0"));
        assertInstanceOf(Long.class, Json.parse("-9223372036854775808"));
        assertEquals(Map.of("a", 1L), Json.parseObject("{\"a\":1}", "cfg"));
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parseObject(" [1]", "cfg"));
        assertEquals("cfg:1:2: expected a JSON object '{'", e.getMessage());
    }

    @Test
    void doublesRoundTripBitForBitAndShortest() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 20000; i++) {
            double d = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(r.nextLong()); // any bit pattern
                case 1 -> r.nextDouble() * Math.pow(10, r.nextInt(-300, 300));
                case 2 -> r.nextInt(-1000, 1000) / 10.0;
                default -> -r.nextDouble();
            };
            if (!Double.isFinite(d)) continue;
            String s = Json.write(d);
            Object back = Json.parse(s);
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) back), s);
        }
        assertEquals("0.1", Json.write(0.1));
        assertEquals("-0.0", Json.write(-0.0));
        assertEquals("1.0E-5", Json.write(1e-5));
        assertEquals("4.9E-324", Json.write(Double.MIN_VALUE));
        assertEquals("[0.1,0.2,0.30000000000000004]", Json.write(new double[]{0.1, 0.2, 0.1 + 0.2}));
    }

    @Test
    void writesCompactAndPrettyAndParsesBoth() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "uni\"te\\4j\n\t\u0001é€😀");
        m.put("irreps", List.of("64x0e", "32x1o"));
        m.put("n", 3);
        m.put("lr", 1e-3);
        m.put("nested", Map.of("k", new int[]{1, 2}));
        m.put("none", null);
        String compact = Json.write(m);
        assertEquals("{\"name\":\"uni\\\"te\\\\4j\\n\\t\\u0001é€😀\",\"irreps\":[\"64x0e\",\"32x1o\"],\"n\":3,\"lr\":0.001,"
                + "\"nested\":{\"k\":[1,2]},\"none\":null}", compact);
        String pretty = Json.writePretty(m);
        assertTrue(pretty.contains("\n  \"irreps\": [\n    \"64x0e\",\n"), pretty);
        Map<String, Object> expected = new LinkedHashMap<>(m);
        expected.put("n", 3L);
        expected.put("nested", Map.of("k", List.of(1L, 2L)));
        assertEquals(expected, Json.parse(compact));
        assertEquals(expected, Json.parse(pretty));

        Map<String, Object> shapes = new LinkedHashMap<>();
        shapes.put("empty", List.of());
        shapes.put("none", Map.of());
        shapes.put("data", new double[]{1.0, 2.5});
        shapes.put("list", List.of(1, new long[]{7}));
        assertEquals("{\n  \"empty\": [],\n  \"none\": {},\n  \"data\": [1.0,2.5],\n  \"list\": [\n    1,\n    [7]\n  ]\n}",
                Json.writePretty(shapes), "primitive arrays stay on one line; empty containers have no inner newline");
        assertEquals("{\"empty\":[],\"none\":{},\"data\":[1.0,2.5],\"list\":[1,[7]]}", Json.write(shapes));
    }

    @Test
    void integersAreLongsNeverIntegers() {
        List<?> l = assertInstanceOf(List.class, Json.parse("[0, -0, 7, 2147483648, -9223372036854775808, 9223372036854775807]"));
        assertEquals(List.of(0L, 0L, 7L, 2147483648L, Long.MIN_VALUE, Long.MAX_VALUE), l); // Long.equals(Integer) is false
        for (Object o : l) assertInstanceOf(Long.class, o);
        assertEquals(9.223372036854775808e18, Json.parse("9223372036854775808"), "one past Long.MAX_VALUE is a double");
        assertInstanceOf(Double.class, Json.parse("1e2"));
    }

    @Test
    void rejectsNaNAndInfinityWhenWritingWithThePath() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("weights", List.of(1.0, Double.NaN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(m));
        assertTrue(e.getMessage().contains("$.weights[1]") && e.getMessage().contains("NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new float[]{Float.NEGATIVE_INFINITY}));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }

    record Bad(String text, int line, int col, String fragment) {}

    @Test
    void strictParsingErrorsNameLineAndColumn() {
        // Jackson's messages and locations; the last five are this class's own checks
        List<Bad> cases = List.of(
                new Bad("{\"a\": NaN}", 1, 10, "Non-standard token 'NaN'"),
                new Bad("[1, -Infinity]", 1, 14, "Non-standard token '-Infinity'"),
                new Bad("{\n  \"a\": 1,\n}", 3, 1, "Unexpected character ('}'"), // trailing comma
                new Bad("[1,2,]", 1, 6, "Unexpected character (']'"),
                new Bad("{\"a\":1 \"b\":2}", 1, 8, "was expecting comma"),
                new Bad("{\"a\":1,\"a\":2}", 1, 11, "Duplicate field 'a'"),
                new Bad("[01]", 1, 3, "Leading zeroes not allowed"),
                new Bad("[1.]", 1, 3, "Decimal point not followed by a digit"),
                new Bad("[1e]", 1, 3, "Exponent indicator not followed by a digit"),
                new Bad("\"abc", 1, 5, "Unexpected end-of-input"),
                new Bad("\"a\tb\"", 1, 3, "CTRL-CHAR, code 9"),
                new Bad("\"\\x\"", 1, 3, "Unrecognized character escape 'x'"),
                new Bad("// c\n1", 1, 1, "Unexpected character ('/'"),
                new Bad("[tru]", 1, 2, "Unrecognized token 'tru'"),
                new Bad("{'a': 1}", 1, 2, "was expecting double-quote to start field name"),
                new Bad("\r\n\r\n  [1,,2]", 3, 6, "expected a valid value"),
                new Bad("[1] x", 1, 5, "Unrecognized token 'x'"),
                new Bad("{} {}", 1, 4, "unexpected '{' after the JSON value"),
                new Bad("", 1, 1, "empty input"),
                new Bad("[1e999]", 1, 2, "number 1e999 is out of the double range"),
                new Bad("[1, \"\\ud800\"]", 1, 5, "unpaired UTF-16 surrogate U+D800"),
                new Bad("{\"\udc00\": 1}", 1, 2, "unpaired UTF-16 surrogate U+DC00"));
        for (Bad b : cases) {
            Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(b.text, "cfg.json"), b.text);
            assertEquals(b.line, e.line(), b.text + " -> " + e.getMessage());
            assertEquals(b.col, e.column(), b.text + " -> " + e.getMessage());
            assertTrue(e.getMessage().startsWith("cfg.json:" + b.line + ":" + b.col + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(b.fragment), b.text + " -> " + e.getMessage());
        }
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nesting"), e.getMessage());
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertNotNull(Json.parse(ok));
    }

    @Test
    void escapesAndSurrogatePairsDecode() {
        assertEquals("\"/\\\b\f\n\r\t\u00e9😀", Json.parse("\"\\\"\\/\\\\\\b\\f\\n\\r\\t\\u00E9\\ud83d\\ude00\""));
        // every char 0..0x7f round trips through write/parse
        StringBuilder sb = new StringBuilder();
        for (char c = 0; c < 0x80; c++) sb.append(c);
        assertEquals(sb.toString(), Json.parse(Json.write(sb.toString())));
        // serde_json's escapes: the short ones, other control characters as lowercase \\u00xx, DEL as is
        assertEquals("\"\\b\\f\\u000b\\u001f\u007f/\"", Json.write("\b\f\u000b\u001f\u007f/"));
        StringBuilder q = new StringBuilder("x=");
        Json.quote("a\"\u001e", q);
        assertEquals("x=\"a\\\"\\u001e\"", q.toString());
    }

    @Test
    void filesAndTypedGetters(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("config.json");
        Json.writeFile(f, Map.of("hidden", "64x0e", "layers", 3, "cutoff", 12.0));
        Object v = Json.readFile(f);
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) v;
        assertEquals(3, Json.getLong(m, "layers", "model config"));
        assertEquals(12.0, Json.getDouble(m, "cutoff", "model config"));
        assertEquals("64x0e", Json.getString(m, "hidden", "model config"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.getLong(m, "width", "model config"));
        assertEquals("model config: missing key \"width\"", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Json.getLong(m, "hidden", "model config"));
        assertTrue(e.getMessage().contains("must be an integer"), e.getMessage());

        Files.write(f, "{\n  \"a\": 1,\n  \"b\": [1 2]\n}".getBytes(StandardCharsets.UTF_8));
        IOException io = assertThrows(IOException.class, () -> Json.readFile(f));
        assertTrue(io.getMessage().startsWith(f + ":3:11: "), io.getMessage());
        Files.write(f, new byte[]{'"', (byte) 0xC3, '"'});
        io = assertThrows(IOException.class, () -> Json.readFile(f));
        assertTrue(io.getMessage().contains("UTF-8") && io.getMessage().contains(f.toString()), io.getMessage());
    }
}
