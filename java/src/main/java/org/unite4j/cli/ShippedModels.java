package org.unite4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.unite4j.io.Json;

/**
 * The trained models that ship in the repository's {@code models/} folder (found through the
 * launcher's {@code unite.home} property), each a model folder with a {@code card.json} saying
 * what it predicts, on what it was trained, how (the command) and how well. {@code --model NAME}
 * takes a shipped model's name where no folder of that name exists.
 */
final class ShippedModels {
    private ShippedModels() {
    }

    /** One shipped model: its name, folder and card. */
    record Entry(String name, Path dir, Map<String, Object> card) {
    }

    /** The models folder, or null outside the launcher (no {@code unite.home}). */
    static Path root() {
        String home = System.getProperty("unite.home");
        return home == null ? null : Path.of(home, "models");
    }

    /** Every shipped model, by name. */
    static List<Entry> list() throws IOException {
        Path root = root();
        List<Entry> out = new ArrayList<>();
        if (root == null || !Files.isDirectory(root)) return out;
        try (Stream<Path> s = Files.list(root)) {
            for (Path d : s.sorted().toList()) {
                Path card = d.resolve("card.json");
                if (Files.isRegularFile(card)) out.add(new Entry(d.getFileName().toString(), d, Json.parseObject(Files.readString(card), card.toString())));
            }
        }
        return out;
    }

    /**
     * The folder {@code --model} means: the given path when it exists, else the shipped model of
     * that name; an error naming both possibilities otherwise.
     */
    static Path resolve(String option, Path given) throws IOException {
        if (Files.exists(given)) return given;
        List<Entry> all = list();
        for (Entry e : all) if (given.getNameCount() == 1 && e.name().equals(given.toString())) return e.dir();
        throw new java.nio.file.NoSuchFileException(given.toString(), null, option + ": no such model folder, and no shipped model of "
                + "that name (shipped: " + (all.isEmpty() ? "none found" : String.join(", ", all.stream().map(Entry::name).toList()))
                + "; ./unite models lists them)");
    }
}
