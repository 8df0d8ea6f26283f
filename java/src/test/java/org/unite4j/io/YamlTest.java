package org.unite4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class YamlTest {

    static final String CONFIG = """
            # a model config
            model:
              hidden: 64x0e+32x1o
              blocks: 4
              cutoff: 12.0
              lr: 1.0e-3
              irreps: [64x0e, "32x1o"]
            train:
              epochs: 30
              resume: true
              seed: ~
              tag: '7'
              big: 123456789012345678901234
            """;

    @Test
    void givesTheSameValueTreesAsJson() {
        Object v = Yaml.parse(CONFIG, "cfg.yaml");
        Map<?, ?> m = assertInstanceOf(LinkedHashMap.class, v);
        assertEquals(List.of("model", "train"), new ArrayList<>(m.keySet()));
        Object json = Json.parse("""
                {"model": {"hidden": "64x0e+32x1o", "blocks": 4, "cutoff": 12.0, "lr": 0.001, "irreps": ["64x0e", "32x1o"]},
                 "train": {"epochs": 30, "resume": true, "seed": null, "tag": "7", "big": 123456789012345678901234}}""");
        assertEquals(json, v);
        Map<?, ?> model = (Map<?, ?>) m.get("model");
        assertEquals(List.of("hidden", "blocks", "cutoff", "lr", "irreps"), new ArrayList<>(model.keySet()));
        assertInstanceOf(Long.class, model.get("blocks"));
        assertInstanceOf(Double.class, model.get("cutoff"));
        assertInstanceOf(ArrayList.class, model.get("irreps"));
        assertInstanceOf(Double.class, ((Map<?, ?>) m.get("train")).get("big"));
        // JSON is (nearly) YAML: a JSON document reads the same through either
        String text = Json.write(json);
        assertEquals(json, Yaml.parse(text, "x"));
        assertEquals(Arrays.asList(1L, 2.5, "x", null), Yaml.parse("- 1\n- 2.5\n- x\n- null\n", "x"));
        assertEquals(Map.of("a", 1L), Yaml.parseObject("a: 1\n", "x"));
    }

    @Test
    void badYamlFileNamesFileLineAndColumn(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("config.yaml");
        Files.writeString(f, "model:\n  irreps: [64x0e, 32x1o\n  blocks: 4\n");
        IOException e = assertThrows(IOException.class, () -> Yaml.readFile(f));
        assertTrue(e.getMessage().startsWith(f + ":3:9: "), e.getMessage());
        assertTrue(e.getMessage().contains("expected ',' or ']'") && e.getMessage().contains("flow sequence at 2:11"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line, without SnakeYAML's source excerpt: " + e.getMessage());
        Json.ParseException pe = assertInstanceOf(Json.ParseException.class, e.getCause());
        assertEquals(3, pe.line());
        assertEquals(9, pe.column());

        Files.write(f, new byte[]{'a', ':', ' ', (byte) 0xC3, '\n'});
        e = assertThrows(IOException.class, () -> Yaml.readFile(f));
        assertTrue(e.getMessage().startsWith(f + ": not valid UTF-8"), e.getMessage());

        Files.writeString(f, "a: 1\n");
        assertEquals(Map.of("a", 1L), Yaml.readFile(f));
    }

    record Bad(String text, int line, int col, String fragment) {}

    @Test
    void refusesWhatWouldReadWrong() {
        List<Bad> cases = List.of(
                new Bad("a: 1\nb: 2\na: 3\n", 3, 2, "Duplicate field 'a'"),
                new Bad("base: &b [1, 2]\ncopy: *b\n", 2, 7, "YAML aliases (*b) are not supported"),
                new Bad("x: .nan\n", 1, 8, ".nan"),
                new Bad("x: -.inf\n", 1, 9, ".inf"),
                new Bad("a: 1\n---\nb: 2\n", 3, 1, "after the YAML value"),
                new Bad("", 1, 1, "empty input"),
                new Bad("a: b: c\n", 1, 5, "mapping values are not allowed here"),
                new Bad("a:\n\tb: 1\n", 2, 1, "Do not use \\t(TAB) for indentation"),
                new Bad("- ".repeat(Json.MAX_DEPTH + 1) + "1\n", 1, 2 * Json.MAX_DEPTH + 1, "nesting depth (" + (Json.MAX_DEPTH + 1) + ") exceeds the maximum allowed (" + Json.MAX_DEPTH));
        for (Bad b : cases) {
            Json.ParseException e = assertThrows(Json.ParseException.class, () -> Yaml.parse(b.text, "cfg.yaml"), b.text);
            assertEquals(b.line + ":" + b.col, e.line() + ":" + e.column(), b.text + " -> " + e.getMessage());
            assertTrue(e.getMessage().startsWith("cfg.yaml:" + b.line + ":" + b.col + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(b.fragment), b.text + " -> " + e.getMessage());
        }
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Yaml.parseObject("- 1\n", "cfg.yaml"));
        assertEquals("cfg.yaml:1:1: expected a YAML object", e.getMessage());
    }

    @Test
    void yaml11Scalars() {
        // as Jackson resolves plain scalars (YAML 1.1): documented in Yaml's class comment
        assertEquals(Arrays.asList(true, false, true, 31L, 15L, 1000L, "2020-01-01", "12", 1000.0),
                Yaml.parse("[yes, off, True, 0x1F, 017, 1_000, 2020-01-01, !!str 12, 1e3]", "x"));
    }
}
