package org.unite4j.chem.io;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import org.unite4j.util.AtomicFiles;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.unite4j.chem.Elements;
import org.unite4j.chem.Molecule;

/**
 * Writes frames as extended XYZ that {@link ExtXyzReader} and ASE read back: a
 * {@code Properties=species:S:1:pos:R:3[:name:T:k...]} comment line followed by the molecule's
 * info pairs (plus {@code name}, {@code charge}, {@code multiplicity} when set and not already in
 * info). Numbers are written in Java's shortest round-trip form, so write -> read gives back the
 * same doubles. Files are written atomically: a temporary file beside the target, then a rename.
 */
public final class ExtXyzWriter {
    private ExtXyzWriter() {
    }

    /** Writes frames to path atomically (replacing it). */
    public static void write(Path path, Iterable<Frame> frames) throws IOException {
        AtomicFiles.write(path, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            for (Frame f : frames) write(w, f);
            w.flush();
        });
    }

    /** Writes molecules (no per-atom arrays) to path atomically. */
    public static void writeMolecules(Path path, List<Molecule> molecules) throws IOException {
        write(path, molecules.stream().map(Frame::of).toList());
    }

    /** Writes one frame to w. */
    public static void write(Writer w, Frame f) throws IOException {
        Molecule m = f.molecule();
        int n = m.size();
        StringBuilder sb = new StringBuilder(64 * (n + 2));
        sb.append(n).append('\n');
        sb.append("Properties=species:S:1:pos:R:3");
        for (AtomProperty p : f.atomProperties().values())
            sb.append(':').append(checkName(p.name())).append(':').append(p.type().code()).append(':').append(p.columns());
        Map<String, String> info = m.info();
        if (!m.name().isEmpty() && !info.containsKey("name")) pair(sb, "name", m.name());
        if (m.charge() != 0 && !info.containsKey("charge")) pair(sb, "charge", Integer.toString(m.charge()));
        if (m.multiplicity() != 1 && !info.containsKey("multiplicity")) pair(sb, "multiplicity", Integer.toString(m.multiplicity()));
        for (Map.Entry<String, String> e : info.entrySet()) {
            if (e.getKey().equals("Properties")) continue;
            pair(sb, e.getKey(), e.getValue());
        }
        sb.append('\n');
        for (int i = 0; i < n; i++) {
            sb.append(Elements.symbol(m.atomicNumber(i)));
            for (int k = 0; k < 3; k++) sb.append(' ').append(m.x(i, k));
            for (AtomProperty p : f.atomProperties().values()) {
                for (int c = 0; c < p.columns(); c++) {
                    sb.append(' ');
                    switch (p.type()) {
                        case REAL -> sb.append(p.get(i, c));
                        case INTEGER -> sb.append((long) p.get(i, c));
                        case LOGICAL -> sb.append(p.get(i, c) != 0 ? 'T' : 'F');
                        case STRING -> {
                            String s = p.strings()[i * p.columns() + c];
                            if (s.isEmpty() || s.chars().anyMatch(Character::isWhitespace))
                                throw new IllegalArgumentException("per-atom string '" + s + "' of '" + p.name()
                                        + "' cannot be written as one extxyz column");
                            sb.append(s);
                        }
                    }
                }
            }
            sb.append('\n');
        }
        w.write(sb.toString());
    }

    private static String checkName(String name) {
        if (name.isEmpty() || name.contains(":") || name.chars().anyMatch(Character::isWhitespace))
            throw new IllegalArgumentException("per-atom array name '" + name + "' cannot be written in Properties=");
        return name;
    }

    private static void pair(StringBuilder sb, String key, String value) {
        if (key.isEmpty() || key.chars().anyMatch(c -> Character.isWhitespace(c) || c == '=' || c == '"'))
            throw new IllegalArgumentException("info key '" + key + "' cannot be written on an extxyz comment line");
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)
            throw new IllegalArgumentException("info value of '" + key + "' contains a line break");
        sb.append(' ').append(key).append('=');
        boolean bare = !value.isEmpty() && value.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\''
                || c == '\\' || c == '=') && value.charAt(0) != '[' && value.charAt(0) != '{';
        if (bare) {
            sb.append(value);
        } else {
            sb.append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"' || c == '\\') sb.append('\\');
                sb.append(c);
            }
            sb.append('"');
        }
    }
}
