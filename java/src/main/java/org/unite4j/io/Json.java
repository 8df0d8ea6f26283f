package org.unite4j.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import org.unite4j.util.AtomicFiles;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Strict JSON (RFC 8259) text to plain Java values and back, on Jackson's streaming parser and
 * generator (jackson-core); {@link Yaml} reads YAML into the same values.
 *
 * <p>Parsing maps JSON to plain Java values: object -> {@link LinkedHashMap}{@code <String,Object>}
 * (key order kept), array -> {@link ArrayList}, string -> {@link String}, true/false -> {@link
 * Boolean}, null -> {@code null}, a number without fraction or exponent that fits a long -> {@link
 * Long} (never Integer), any other number -> {@link Double} (so {@code "1.0"} is a Double and
 * {@code "1"} a Long; an integer beyond the long range becomes the nearest double). Strict, as
 * Jackson is by default: no comments, no single quotes, no trailing commas, no leading zeros, no
 * NaN/Infinity, no raw control characters in strings; and configured so: no duplicate keys
 * ({@code STRICT_DUPLICATE_DETECTION}), nesting at most {@value #MAX_DEPTH} deep ({@code
 * StreamReadConstraints}); checked here: nothing after the value, no number beyond the double
 * range (1e999), no unpaired UTF-16 surrogate (raw or {@code \\ud800}-escaped). Jackson's other
 * default limits hold too (a number at most 1000 characters, a string at most 20 million, a key at
 * most 50000). Every error is a {@link ParseException} "source:line:column: message" (1-based; the
 * column counts UTF-16 chars). Syntax errors have Jackson's message and location: the offending
 * character, or just after a token that Jackson refuses whole (NaN, a duplicate key, leading
 * zeros, an unterminated string); this class's own errors point at the start of the token.
 *
 * <p>Writing accepts Map (String keys), Collection, Java arrays (primitive or Object), String,
 * Character, Boolean, null, Enum (its name) and Number. A double is written as its shortest
 * decimal that reads back to the identical double ({@link Double#toString}, which is shortest
 * since JDK 19 and is what Jackson writes), so {@code parse(write(x))} equals x bit for bit; a
 * float is written as its shortest float decimal. NaN and infinities are rejected with an error
 * naming the JSON path of the value, as is any other unsupported type. Strings are escaped as
 * serde_json (the writer of the Rust/Python safetensors library) does: {@code \"}, {@code \\},
 * {@code \b \f \n \r \t}, other control characters as lowercase {@code \\u00xx}; everything else
 * as is (UTF-8 in files). The compact form has no whitespace at all; {@link #writePretty} indents
 * by two spaces and keeps arrays of primitives on one line.
 */
public final class Json {
    /** Maximum nesting depth of arrays and objects accepted by the parser. */
    public static final int MAX_DEPTH = 512;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE) // lowercase hex in \\u001f, as serde_json writes it
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS) // never reached: the writer rejects them first
            .build();

    private static final Dialect JSON = new Dialect(FACTORY, "JSON", p -> null, e -> null);

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
        return write(value, null);
    }

    /** JSON text of {@code value} indented by two spaces per level, ending without a newline. */
    public static String writePretty(Object value) {
        return write(value, new Pretty());
    }

    /** Writes {@code value} pretty-printed (plus a final newline) to {@code file}, atomically, in UTF-8. */
    public static void writeFile(Path file, Object value) throws IOException {
        String text = writePretty(value) + "\n";
        AtomicFiles.writeBytes(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends {@code s} as a quoted, escaped JSON string. */
    public static void quote(String s, StringBuilder sb) {
        sb.append(write(s));
    }

    /** Shortest round-trip decimal of a finite double (JSON number syntax). */
    public static String formatDouble(double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("JSON has no representation for " + v);
        return write(v); // e.g. 0.1, 1.0E-5, -0.0, 1.7976931348623157E308: all valid JSON
    }

    private static String write(Object value, Pretty pretty) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty != null) g.setPrettyPrinter(pretty);
            new Writer(g, pretty).value(value, "$", 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /** Two-space indentation, {@code "key": value}, {@code {}} and {@code []} when empty, primitive arrays flat. */
    private static final class Pretty implements PrettyPrinter {
        int depth;
        boolean flat; // set by the Writer around an array of primitives

        void newline(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
            g.writeRaw(" ".repeat(2 * depth));
        }

        @Override public void writeRootValueSeparator(JsonGenerator g) {}

        @Override public void writeStartObject(JsonGenerator g) throws IOException {
            g.writeRaw('{');
            depth++;
        }

        @Override public void beforeObjectEntries(JsonGenerator g) throws IOException { newline(g); }

        @Override public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException { g.writeRaw(": "); }

        @Override public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newline(g);
        }

        @Override public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            depth--;
            if (entries > 0) newline(g);
            g.writeRaw('}');
        }

        @Override public void writeStartArray(JsonGenerator g) throws IOException {
            g.writeRaw('[');
            depth++;
        }

        @Override public void beforeArrayValues(JsonGenerator g) throws IOException { if (!flat) newline(g); }

        @Override public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            if (!flat) newline(g);
        }

        @Override public void writeEndArray(JsonGenerator g, int values) throws IOException {
            depth--;
            if (values > 0 && !flat) newline(g);
            g.writeRaw(']');
        }
    }

    /** Walks the value (Jackson's generator does the text), checking types and finiteness with the path. */
    private record Writer(JsonGenerator g, Pretty pretty) {
        void value(Object v, String path, int depth) throws IOException {
            if (depth > MAX_DEPTH) throw new IllegalArgumentException("JSON value nested deeper than " + MAX_DEPTH + " at " + path);
            switch (v) {
                case null -> g.writeNull();
                case String s -> g.writeString(s);
                case Character c -> g.writeString(String.valueOf(c));
                case Boolean b -> g.writeBoolean(b);
                case Enum<?> e -> g.writeString(e.name());
                case Double d -> number(d, path);
                case Float f -> {
                    if (!Float.isFinite(f)) throw nonFinite(f, path);
                    g.writeNumber(f);
                }
                case Long l -> g.writeNumber(l);
                case Integer i -> g.writeNumber(i);
                case Short s -> g.writeNumber(s);
                case Byte b -> g.writeNumber(b);
                case BigInteger b -> g.writeNumber(b);
                case BigDecimal b -> g.writeNumber(b);
                case Number n -> number(n.doubleValue(), path);
                case Map<?, ?> m -> {
                    g.writeStartObject();
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        if (!(e.getKey() instanceof String key))
                            throw new IllegalArgumentException("JSON object keys must be strings; got "
                                    + (e.getKey() == null ? "null" : e.getKey().getClass().getSimpleName()) + " at " + path);
                        g.writeFieldName(key);
                        value(e.getValue(), path + "." + key, depth + 1);
                    }
                    g.writeEndObject();
                }
                case Collection<?> c -> {
                    g.writeStartArray();
                    int i = 0;
                    for (Object o : c) value(o, path + "[" + i++ + "]", depth + 1);
                    g.writeEndArray();
                }
                default -> {
                    if (!v.getClass().isArray())
                        throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON at " + path);
                    int n = Array.getLength(v);
                    // numeric arrays print on one line even in pretty mode: they are data
                    boolean flat = pretty != null && v.getClass().getComponentType().isPrimitive();
                    g.writeStartArray(); // (its separator from the enclosing value is written here: not flat)
                    if (flat) pretty.flat = true;
                    for (int i = 0; i < n; i++) value(Array.get(v, i), path + "[" + i + "]", depth + 1);
                    g.writeEndArray();
                    if (flat) pretty.flat = false;
                }
            }
        }

        void number(double d, String path) throws IOException {
            if (!Double.isFinite(d)) throw nonFinite(d, path);
            g.writeNumber(d);
        }

        static IllegalArgumentException nonFinite(double d, String path) {
            return new IllegalArgumentException("JSON has no representation for " + d + " (at " + path
                    + "); NaN and Infinity are not allowed");
        }
    }

    // ------------------------------------------------------------------ parsing

    /** Parses one JSON value from {@code text}; errors name line:column. */
    public static Object parse(String text) {
        return parse(text, null);
    }

    /** Parses {@code text}; errors are prefixed with {@code sourceName} (e.g. a file name). */
    public static Object parse(String text, String sourceName) {
        return read(JSON, text, sourceName, false);
    }

    /** Parses a JSON object (the usual top level of a config); anything else is a ParseException. */
    @SuppressWarnings("unchecked")
    public static LinkedHashMap<String, Object> parseObject(String text, String sourceName) {
        return (LinkedHashMap<String, Object>) read(JSON, text, sourceName, true);
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
        String text = decodeUtf8(utf8, sourceName);
        try {
            return parse(text, sourceName);
        } catch (ParseException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Strict UTF-8 decoding (so that columns count chars, and bad bytes are an error, not U+FFFD). */
    static String decodeUtf8(byte[] utf8, String sourceName) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(sourceName + ": not valid UTF-8 (" + e.getMessage() + ")", e);
        }
    }

    /**
     * A text format that Jackson parses into JSON's tokens: its factory, its name for messages, what
     * it refuses at a value token (a message, or null: YAML refuses aliases), and its own account of
     * a Jackson error (or null for Jackson's message and location).
     */
    record Dialect(JsonFactory factory, String name, Function<JsonParser, String> refusal,
                   Function<JsonProcessingException, Problem> describe) {}

    /** Where (1-based) and what. */
    record Problem(int line, int column, String message) {}

    /** One document of {@code text}, as plain values. */
    static Object read(Dialect d, String text, String source, boolean requireObject) {
        try (JsonParser p = d.factory().createParser(text)) {
            try {
                JsonToken t = p.nextToken();
                if (t == null) throw error(source, p.currentLocation(), "empty input: expected a " + d.name() + " value");
                if (requireObject && t != JsonToken.START_OBJECT)
                    throw error(source, p.currentTokenLocation(), "expected a " + d.name() + " object" + (d == JSON ? " '{'" : ""));
                Object v = new TreeBuilder(p, source, d.refusal()).value(t);
                if (p.nextToken() != null)
                    throw error(source, p.currentTokenLocation(), "unexpected '" + p.getText() + "' after the " + d.name() + " value");
                return v;
            } catch (JsonProcessingException e) {
                throw error(source, d, e, p);
            }
        } catch (JsonProcessingException e) { // from close()
            throw error(source, d, e, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does not fail
        }
    }

    static ParseException error(String source, JsonLocation at, String message) {
        return new ParseException(source, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()), message);
    }

    /**
     * A Jackson error: the dialect's account, else Jackson's message (without its " at [Source: ...]"
     * suffix) at its location, else at the parser's (StreamConstraintsException has none).
     */
    private static ParseException error(String source, Dialect d, JsonProcessingException e, JsonParser p) {
        Problem pr = d.describe().apply(e);
        ParseException pe;
        if (pr != null) {
            pe = new ParseException(source, pr.line(), pr.column(), pr.message());
        } else {
            JsonLocation at = e.getLocation() != null ? e.getLocation() : p != null ? p.currentLocation() : JsonLocation.NA;
            pe = error(source, at, e.getOriginalMessage());
        }
        pe.initCause(e);
        return pe;
    }

    private record TreeBuilder(JsonParser p, String source, Function<JsonParser, String> refusal) {
        Object value(JsonToken t) throws IOException { // depth: Jackson's StreamReadConstraints
            String refused = refusal.apply(p);
            if (refused != null) throw error(source, p.currentTokenLocation(), refused);
            switch (t) {
                case START_OBJECT -> {
                    LinkedHashMap<String, Object> m = new LinkedHashMap<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = string(p.currentName());
                        m.put(key, value(p.nextToken())); // Jackson rejected a duplicate already
                    }
                    return m;
                }
                case START_ARRAY -> {
                    List<Object> list = new ArrayList<>();
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) list.add(value(t));
                    return list;
                }
                case VALUE_STRING -> { return string(p.getText()); }
                case VALUE_NUMBER_INT -> {
                    if (p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) return p.getLongValue();
                    return finite(p.getBigIntegerValue().doubleValue()); // beyond long: the nearest double
                }
                case VALUE_NUMBER_FLOAT -> { return finite(p.getDoubleValue()); }
                case VALUE_TRUE -> { return Boolean.TRUE; }
                case VALUE_FALSE -> { return Boolean.FALSE; }
                case VALUE_NULL -> { return null; }
                default -> throw error(source, p.currentTokenLocation(), "unsupported value " + t + " '" + p.getText() + "'");
            }
        }

        double finite(double d) throws IOException {
            if (!Double.isFinite(d))
                throw error(source, p.currentTokenLocation(), "number " + p.getText() + " is out of the double range");
            return d;
        }

        /** Jackson passes unpaired surrogates through; they have no UTF-8 form, so they are an error. */
        String string(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
                else if (Character.isSurrogate(c))
                    throw error(source, p.currentTokenLocation(), String.format("unpaired UTF-16 surrogate U+%04X in string", (int) c));
            }
            return s;
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
