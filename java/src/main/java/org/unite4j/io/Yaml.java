package org.unite4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;

/**
 * YAML text (a config file, say) to the plain Java values that {@link Json#parse} gives: mapping
 * -> LinkedHashMap (key order kept), sequence -> ArrayList, integer that fits a long -> Long, other
 * number -> Double, true/false -> Boolean, null/~/empty -> null, other scalars -> String. Parsed by
 * jackson-dataformat-yaml (SnakeYAML underneath), whose scalars follow YAML 1.1: {@code yes/no/on/off}
 * are booleans, {@code 0x1f} and {@code 017} (octal) integers, {@code 1_000} is 1000; quote a value
 * to keep it a string. Refused, each a {@link Json.ParseException} "source:line:column: message"
 * (1-based): syntax errors (SnakeYAML's message), duplicate keys, aliases ({@code *name}: Jackson
 * would read them as the anchor's name, not its value), .nan and .inf, nesting deeper than {@link
 * Json#MAX_DEPTH} (StreamReadConstraints), more than one document, and an empty document.
 *
 * <p>A class of its own, not part of {@link Json}, so that JSON needs only jackson-core on the class
 * path (the GPU bundle ships that alone).
 */
public final class Yaml {
    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Json.MAX_DEPTH).build())
            .build();

    private static final Json.Dialect YAML = new Json.Dialect(FACTORY, "YAML", Yaml::refuseAlias, Yaml::describe);

    private Yaml() {}

    /** Parses one YAML document; errors are prefixed with {@code sourceName} (e.g. a file name). */
    public static Object parse(String text, String sourceName) {
        return Json.read(YAML, text, sourceName, false);
    }

    /** Parses a YAML document whose top level is a mapping (a config); anything else is a ParseException. */
    @SuppressWarnings("unchecked")
    public static LinkedHashMap<String, Object> parseObject(String text, String sourceName) {
        return (LinkedHashMap<String, Object>) Json.read(YAML, text, sourceName, true);
    }

    /**
     * Reads and parses a UTF-8 YAML file. Invalid UTF-8 or a syntax error gives an IOException
     * whose message names the file, line and column ("file:line:column: message").
     */
    public static Object readFile(Path file) throws IOException {
        String text = Json.decodeUtf8(Files.readAllBytes(file), file.toString());
        try {
            return parse(text, file.toString());
        } catch (Json.ParseException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Jackson gives an alias as a string holding the anchor's name; refuse it rather than read a wrong value. */
    private static String refuseAlias(com.fasterxml.jackson.core.JsonParser p) {
        if (!(p instanceof YAMLParser y) || !y.isCurrentAlias()) return null;
        String name;
        try {
            name = p.getText();
        } catch (IOException e) {
            name = "";
        }
        return "YAML aliases (*" + name + ") are not supported; write the value out";
    }

    /**
     * SnakeYAML's errors carry a problem and its mark (0-based) and often the construct it was in,
     * with its own mark; their message is several lines with source excerpts, and Jackson's location
     * is the last event's, not the problem's. One line: "problem (context at L:C)" at the problem.
     */
    private static Json.Problem describe(JsonProcessingException e) {
        if (!(e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m) || m.getProblem() == null
                || m.getProblemMark() == null) return null;
        String s = m.getProblem().strip();
        if (m.getContext() != null) {
            s += " (" + m.getContext().strip();
            if (m.getContextMark() != null)
                s += " at " + (m.getContextMark().getLine() + 1) + ":" + (m.getContextMark().getColumn() + 1);
            s += ")";
        }
        return new Json.Problem(m.getProblemMark().getLine() + 1, m.getProblemMark().getColumn() + 1, s);
    }
}
