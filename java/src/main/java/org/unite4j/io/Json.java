package org.unite4j.io;

import org.unite4j.util.AtomicFiles;

import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) writer and parser.
 *
 * <p>Parsing maps JSON to plain Java values: object -> {@link LinkedHashMap}{@code <String,Object>}
 * (key order kept), array -> {@link ArrayList}, string -> {@link String}, true/false -> {@link
 * Boolean}, null -> {@code null}, a number without fraction or exponent that fits a long -> {@link
 * Long}, any other number -> {@link Double} (so {@code "1.0"} is a Double and {@code "1"} a Long).
 * Strict: no comments, no trailing commas, no leading zeros, no NaN/Infinity, no duplicate keys,
 * no raw control characters in strings, no unpaired UTF-16 surrogates, nothing after the value,
 * nesting at most {@value #MAX_DEPTH} deep. Every error is a {@link ParseException} that gives
 * line:column (1-based; the column counts UTF-16 chars).
 *
 * <p>Writing accepts Map (String keys), Collection, Java arrays (primitive or Object), String,
 * Character, Boolean, null, Enum (its name) and Number. A double is written as its shortest
 * decimal that reads back to the identical double ({@link Double#toString}, which is shortest
 * since JDK 19), so {@code parse(write(x))} equals x bit for bit; a float is written as its
 * shortest float decimal. NaN and infinities are rejected with an error naming the JSON path of
 * the value, as is any other unsupported type. Strings are escaped like serde_json (the writer of
 * the Rust/Python safetensors library): {@code \"}, {@code \\}, {@code \b \f \n \r \t}, other
 * control characters as lowercase {@code \\u00xx}; everything else as is (UTF-8 in files). The
 * compact form has no whitespace at all; {@link #writePretty} indents by two spaces.
 */
public final class Json {
    /** Maximum nesting depth of arrays and objects accepted by the parser. */
    public static final int MAX_DEPTH = 512;

    private Json() {}

    /** A syntax error, with its 1-based line and column. */
    public static final class ParseException extends IllegalArgumentException {
        private final int line, column;

        ParseException(String source, int line, int column, String message) {
            super((source == null ? "" : source + ":") + line + ":" + column + ": " + message);
            this.line = line;
            this.column = column;
        }

        public int line() { return line; }

        public int column() { return column; }
    }

    // ------------------------------------------------------------------ writing

    /** Compact JSON text of {@code value} (no whitespace). */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        new Writer(sb, -1).value(value, "$", 0);
        return sb.toString();
    }

    /** JSON text of {@code value} indented by two spaces per level, ending without a newline. */
    public static String writePretty(Object value) {
        StringBuilder sb = new StringBuilder();
        new Writer(sb, 2).value(value, "$", 0);
        return sb.toString();
    }

    /** Writes {@code value} pretty-printed (plus a final newline) to {@code file}, atomically, in UTF-8. */
    public static void writeFile(Path file, Object value) throws IOException {
        String text = writePretty(value) + "\n";
        AtomicFiles.writeBytes(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends {@code s} as a quoted, escaped JSON string. */
    public static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 15]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Shortest round-trip decimal of a finite double (JSON number syntax). */
    public static String formatDouble(double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("JSON has no representation for " + v);
        return Double.toString(v); // e.g. 0.1, 1.0E-5, -0.0, 1.7976931348623157E308: all valid JSON
    }

    private static final class Writer {
        final StringBuilder sb;
        final int indent;

        Writer(StringBuilder sb, int indent) {
            this.sb = sb;
            this.indent = indent;
        }

        void newline(int depth) {
            if (indent < 0) return;
            sb.append('\n');
            sb.repeat(' ', indent * depth);
        }

        void value(Object v, String path, int depth) {
            if (depth > MAX_DEPTH) throw new IllegalArgumentException("JSON value nested deeper than " + MAX_DEPTH + " at " + path);
            switch (v) {
                case null -> sb.append("null");
                case String s -> quote(s, sb);
                case Character c -> quote(String.valueOf(c), sb);
                case Boolean b -> sb.append(b);
                case Enum<?> e -> quote(e.name(), sb);
                case Double d -> number(d, path);
                case Float f -> {
                    if (!Float.isFinite(f)) throw nonFinite(f, path);
                    sb.append(Float.toString(f));
                }
                case Long l -> sb.append(l);
                case Integer i -> sb.append(i);
                case Short s -> sb.append(s);
                case Byte b -> sb.append(b);
                case BigInteger b -> sb.append(b);
                case BigDecimal b -> sb.append(b.toString());
                case Number n -> number(n.doubleValue(), path);
                case Map<?, ?> m -> {
                    sb.append('{');
                    boolean first = true;
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        if (!(e.getKey() instanceof String key))
                            throw new IllegalArgumentException("JSON object keys must be strings; got "
                                    + (e.getKey() == null ? "null" : e.getKey().getClass().getSimpleName()) + " at " + path);
                        if (!first) sb.append(',');
                        first = false;
                        newline(depth + 1);
                        quote(key, sb);
                        sb.append(indent < 0 ? ":" : ": ");
                        value(e.getValue(), path + "." + key, depth + 1);
                    }
                    if (!first) newline(depth);
                    sb.append('}');
                }
                case Collection<?> c -> {
                    sb.append('[');
                    int i = 0;
                    for (Object o : c) {
                        if (i > 0) sb.append(',');
                        newline(depth + 1);
                        value(o, path + "[" + i + "]", depth + 1);
                        i++;
                    }
                    if (i > 0) newline(depth);
                    sb.append(']');
                }
                default -> {
                    if (v.getClass().isArray()) {
                        int n = Array.getLength(v);
                        sb.append('[');
                        // numeric arrays print on one line even in pretty mode: they are data
                        boolean flat = v.getClass().getComponentType().isPrimitive();
                        for (int i = 0; i < n; i++) {
                            if (i > 0) sb.append(',');
                            if (!flat) newline(depth + 1);
                            value(Array.get(v, i), path + "[" + i + "]", depth + 1);
                        }
                        if (n > 0 && !flat) newline(depth);
                        sb.append(']');
                    } else {
                        throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON at " + path);
                    }
                }
            }
        }

        void number(double d, String path) {
            if (!Double.isFinite(d)) throw nonFinite(d, path);
            sb.append(Double.toString(d));
        }

        static IllegalArgumentException nonFinite(double d, String path) {
            return new IllegalArgumentException("JSON has no representation for " + d + " (at " + path
                    + "); NaN and Infinity are not allowed");
        }
    }

    // ------------------------------------------------------------------ parsing

    /** Parses one JSON value from {@code text}; errors name line:column. */
    public static Object parse(String text) {
        return new Parser(text, null).parseDocument();
    }

    /** Parses {@code text}; errors are prefixed with {@code sourceName} (e.g. a file name). */
    public static Object parse(String text, String sourceName) {
        return new Parser(text, sourceName).parseDocument();
    }

    /** Parses a JSON object (the usual top level of a config); anything else is a ParseException. */
    @SuppressWarnings("unchecked")
    public static LinkedHashMap<String, Object> parseObject(String text, String sourceName) {
        Parser p = new Parser(text, sourceName);
        p.skipWs();
        if (p.pos < text.length() && text.charAt(p.pos) != '{') throw p.error("expected a JSON object '{'");
        return (LinkedHashMap<String, Object>) p.parseDocument();
    }

    /**
     * Reads and parses a UTF-8 JSON file. Invalid UTF-8 or a syntax error gives an IOException
     * whose message names the file, line and column.
     */
    public static Object readFile(Path file) throws IOException {
        return parseBytes(Files.readAllBytes(file), file.toString());
    }

    /** Parses UTF-8 bytes strictly (malformed UTF-8 is an error); errors name {@code sourceName}. */
    public static Object parseBytes(byte[] utf8, String sourceName) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(sourceName + ": not valid UTF-8 (" + e.getMessage() + ")", e);
        }
        try {
            return parse(text, sourceName);
        } catch (ParseException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static final class Parser {
        final String s;
        final String source;
        int pos;

        Parser(String s, String source) {
            this.s = s;
            this.source = source;
        }

        Object parseDocument() {
            skipWs();
            if (pos >= s.length()) throw error("empty input: expected a JSON value");
            Object v = value(0);
            skipWs();
            if (pos < s.length()) throw error("unexpected " + describe(pos) + " after the JSON value");
            return v;
        }

        ParseException error(String msg) {
            return errorAt(pos, msg);
        }

        ParseException errorAt(int at, String msg) {
            int line = 1, col = 1;
            for (int i = 0; i < at && i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\n') {
                    line++;
                    col = 1;
                } else if (c == '\r') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '\n') continue; // CRLF counts once, at '\n'
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            return new ParseException(source, line, col, msg);
        }

        String describe(int at) {
            if (at >= s.length()) return "end of input";
            char c = s.charAt(at);
            if (c < 0x20 || c == 0x7f) return String.format("control character U+%04X", (int) c);
            return "'" + c + "'";
        }

        void skipWs() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
                else break;
            }
        }

        Object value(int depth) {
            if (pos >= s.length()) throw error("unexpected end of input: expected a JSON value");
            char c = s.charAt(pos);
            switch (c) {
                case '{': return object(depth + 1);
                case '[': return array(depth + 1);
                case '"': return string();
                case 't': literal("true"); return Boolean.TRUE;
                case 'f': literal("false"); return Boolean.FALSE;
                case 'n': literal("null"); return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return number();
                    if (s.startsWith("NaN", pos) || s.startsWith("Infinity", pos))
                        throw error("NaN and Infinity are not valid JSON numbers");
                    throw error("unexpected " + describe(pos) + ": expected a JSON value");
            }
        }

        void literal(String word) {
            if (!s.startsWith(word, pos)) {
                int end = pos;
                while (end < s.length() && Character.isLetterOrDigit(s.charAt(end))) end++;
                throw error("invalid literal '" + s.substring(pos, Math.max(end, pos + 1)) + "' (expected " + word + ")");
            }
            pos += word.length();
        }

        LinkedHashMap<String, Object> object(int depth) {
            if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
            pos++; // '{'
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            skipWs();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return m;
            }
            while (true) {
                skipWs();
                if (pos >= s.length() || s.charAt(pos) != '"') {
                    if (pos < s.length() && s.charAt(pos) == '}') throw error("trailing comma before '}'");
                    throw error("unexpected " + describe(pos) + ": expected a string key");
                }
                int keyAt = pos;
                String key = string();
                skipWs();
                if (pos >= s.length() || s.charAt(pos) != ':') throw error("unexpected " + describe(pos) + ": expected ':' after key");
                pos++;
                skipWs();
                Object v = value(depth);
                if (m.containsKey(key)) throw errorAt(keyAt, "duplicate key \"" + key + "\"");
                m.put(key, v);
                skipWs();
                if (pos >= s.length()) throw error("unexpected end of input: expected ',' or '}'");
                char c = s.charAt(pos++);
                if (c == '}') return m;
                if (c != ',') {
                    pos--;
                    throw error("unexpected " + describe(pos) + ": expected ',' or '}'");
                }
            }
        }

        List<Object> array(int depth) {
            if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
            pos++; // '['
            List<Object> list = new ArrayList<>();
            skipWs();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipWs();
                if (pos < s.length() && s.charAt(pos) == ']') throw error("trailing comma before ']'");
                list.add(value(depth));
                skipWs();
                if (pos >= s.length()) throw error("unexpected end of input: expected ',' or ']'");
                char c = s.charAt(pos++);
                if (c == ']') return list;
                if (c != ',') {
                    pos--;
                    throw error("unexpected " + describe(pos) + ": expected ',' or ']'");
                }
            }
        }

        String string() {
            int start = pos;
            pos++; // opening quote
            StringBuilder sb = null;
            int runStart = pos;
            while (true) {
                if (pos >= s.length()) throw errorAt(start, "unterminated string");
                char c = s.charAt(pos);
                if (c == '"') {
                    String out = sb == null ? s.substring(runStart, pos) : sb.append(s, runStart, pos).toString();
                    pos++;
                    return out;
                }
                if (c < 0x20) throw error("raw " + describe(pos) + " in string (escape it)");
                if (Character.isHighSurrogate(c)) {
                    if (pos + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(pos + 1)))
                        throw error("unpaired UTF-16 surrogate in string");
                    pos += 2;
                    continue;
                }
                if (Character.isLowSurrogate(c)) throw error("unpaired UTF-16 surrogate in string");
                if (c != '\\') {
                    pos++;
                    continue;
                }
                if (sb == null) sb = new StringBuilder();
                sb.append(s, runStart, pos);
                int escAt = pos;
                pos++;
                if (pos >= s.length()) throw errorAt(start, "unterminated string");
                char e = s.charAt(pos++);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        char u = hex4(escAt);
                        if (Character.isHighSurrogate(u)) {
                            if (pos + 1 < s.length() && s.charAt(pos) == '\\' && s.charAt(pos + 1) == 'u') {
                                int lowAt = pos;
                                pos += 2;
                                char lo = hex4(lowAt);
                                if (!Character.isLowSurrogate(lo)) throw errorAt(escAt, "unpaired UTF-16 surrogate escape");
                                sb.append(u).append(lo);
                            } else {
                                throw errorAt(escAt, "unpaired UTF-16 surrogate escape");
                            }
                        } else if (Character.isLowSurrogate(u)) {
                            throw errorAt(escAt, "unpaired UTF-16 surrogate escape");
                        } else {
                            sb.append(u);
                        }
                    }
                    default -> throw errorAt(escAt, "invalid escape '\\" + e + "'");
                }
                runStart = pos;
            }
        }

        char hex4(int escAt) {
            if (pos + 4 > s.length()) throw errorAt(escAt, "truncated \\u escape");
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(s.charAt(pos + i), 16);
                if (d < 0 || s.charAt(pos + i) > 'f') throw errorAt(escAt, "invalid \\u escape (need 4 hex digits)");
                v = v * 16 + d;
            }
            pos += 4;
            return (char) v;
        }

        Object number() {
            int start = pos;
            if (s.charAt(pos) == '-') pos++;
            if (pos >= s.length()) throw error("unexpected end of input in number");
            char c = s.charAt(pos);
            if (c == '0') {
                pos++;
                if (pos < s.length() && isDigit(s.charAt(pos))) throw errorAt(start, "leading zeros are not allowed in JSON numbers");
            } else if (c >= '1' && c <= '9') {
                while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            } else {
                if (s.startsWith("Infinity", pos)) throw errorAt(start, "NaN and Infinity are not valid JSON numbers");
                throw error("expected a digit, got " + describe(pos));
            }
            boolean integral = true;
            if (pos < s.length() && s.charAt(pos) == '.') {
                integral = false;
                pos++;
                if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("expected a digit after the decimal point");
                while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                integral = false;
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) pos++;
                if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("expected a digit in the exponent");
                while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            }
            String text = s.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException tooBig) {
                    // falls through to double (documented)
                }
            }
            double d = Double.parseDouble(text);
            if (Double.isInfinite(d)) throw errorAt(start, "number " + text + " is out of the double range");
            return d;
        }

        static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }

    // ------------------------------------------------------------------ typed access helpers

    /**
     * The value of {@code key} in {@code obj} as a double (Long or Double); a missing key or another
     * type is an IllegalArgumentException naming {@code what} and the key.
     */
    public static double getDouble(Map<String, ?> obj, String key, String what) {
        Object v = obj.get(key);
        if (v instanceof Number n) return n.doubleValue();
        throw typeError(obj, key, what, "a number", v);
    }

    /** The value of {@code key} as a long; a non-integral number or another type is an error. */
    public static long getLong(Map<String, ?> obj, String key, String what) {
        Object v = obj.get(key);
        if (v instanceof Long l) return l;
        if (v instanceof Integer i) return i;
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p63) return d.longValue();
        throw typeError(obj, key, what, "an integer", v);
    }

    /** The value of {@code key} as a String. */
    public static String getString(Map<String, ?> obj, String key, String what) {
        Object v = obj.get(key);
        if (v instanceof String s) return s;
        throw typeError(obj, key, what, "a string", v);
    }

    /** The value of {@code key} as a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> getObject(Map<String, ?> obj, String key, String what) {
        Object v = obj.get(key);
        if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw typeError(obj, key, what, "an object", v);
    }

    /** The value of {@code key} as a JSON array. */
    @SuppressWarnings("unchecked")
    public static List<Object> getList(Map<String, ?> obj, String key, String what) {
        Object v = obj.get(key);
        if (v instanceof List<?> l) return (List<Object>) l;
        throw typeError(obj, key, what, "an array", v);
    }

    private static IllegalArgumentException typeError(Map<String, ?> obj, String key, String what, String expected, Object v) {
        if (v == null && !obj.containsKey(key)) return new IllegalArgumentException(what + ": missing key \"" + key + "\"");
        return new IllegalArgumentException(what + ": \"" + key + "\" must be " + expected + ", got "
                + (v == null ? "null" : v instanceof String str ? "\"" + str + "\"" : v.toString()));
    }
}
