package org.unite4j.chem.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.unite4j.chem.Elements;
import org.unite4j.chem.Molecule;

/**
 * Streaming reader of XYZ and extended XYZ (the format of ASE and many datasets), many frames per
 * file. Each frame is
 * <pre>
 *   N
 *   comment line: key=value pairs (extxyz) or free text (plain xyz)
 *   N atom lines, columns as declared by Properties= (default species:S:1:pos:R:3)
 * </pre>
 * Comment-line values may be quoted ({@code "..."} with {@code \"} escapes), bracketed
 * ({@code [1, 2, 3]}, {@code {...}}) or bare; a key without {@code =} means {@code True}. All
 * pairs go into {@link Molecule#info()} as strings; {@code name}, {@code charge} and
 * {@code multiplicity} also set the molecule's fields. A comment line without '=' is plain xyz
 * and becomes the molecule's name. Columns other than species and pos become
 * {@link AtomProperty} arrays of the {@link Frame}. Positions are read in Angstrom.
 *
 * <p>Errors ({@link MoleculeFormatException}) name the file and line: unknown element, non-finite
 * number, wrong column count, truncated frame, bad atom count.
 */
public final class ExtXyzReader extends LineFrameReader {
    private final ReadOptions options;
    private int frameIndex;
    /** Last line of the frame being read once its count line is known, else -1. */
    private long frameEnd = -1;
    private java.util.function.Consumer<MoleculeFormatException> onInvalid;

    private ExtXyzReader(Reader in, String file, ReadOptions options) {
        super(in instanceof BufferedReader b ? b : new BufferedReader(in, 1 << 16), file, "frames");
        this.options = options;
    }

    /** Opens a file for streaming; close the reader when done. Periodic frames are errors ({@link ReadOptions#DEFAULT}). */
    public static ExtXyzReader open(Path path) throws IOException {
        return open(path, ReadOptions.DEFAULT);
    }

    /** Opens a file for streaming with the given treatment of periodic cells and sizes; close the reader when done. */
    public static ExtXyzReader open(Path path, ReadOptions options) throws IOException {
        return new ExtXyzReader(Files.newBufferedReader(path, StandardCharsets.UTF_8), path.toString(), options);
    }

    /** Reads from any reader; {@code name} is used in messages. */
    public static ExtXyzReader of(Reader reader, String name) {
        return new ExtXyzReader(reader, name, ReadOptions.DEFAULT);
    }

    /** Parses text, e.g. in tests; {@code name} is used in messages. */
    public static List<Frame> parse(String text, String name) {
        try (ExtXyzReader r = of(new StringReader(text), name)) {
            List<Frame> frames = r.toList();
            if (frames.isEmpty()) throw new MoleculeFormatException(name, 1, "empty file, expected the number of atoms");
            return frames;
        }
    }

    /** Reads all frames of a file. An empty file is an error. */
    public static List<Frame> readAll(Path path) throws IOException {
        return readAll(path, ReadOptions.DEFAULT);
    }

    /** Reads all frames of a file with the given options. An empty file is an error. */
    public static List<Frame> readAll(Path path, ReadOptions options) throws IOException {
        try (ExtXyzReader r = open(path, options)) {
            List<Frame> frames = r.toList();
            if (frames.isEmpty())
                throw new MoleculeFormatException(path.toString(), 1, "empty file, expected the number of atoms on the first line");
            return frames;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Skips malformed frames instead of failing: each error is handed to {@code onInvalid} (e.g. to
     * print a warning naming its line) and reading goes on after the frame's last line, known from
     * its atom count. A count line that is not a number still ends reading with its error (there is
     * no frame boundary to resume at); a frame cut short by the end of the file is skipped like any
     * other. Frame indices count the skipped frames.
     */
    public ExtXyzReader skipInvalid(java.util.function.Consumer<MoleculeFormatException> onInvalid) {
        this.onInvalid = onInvalid;
        return this;
    }

    @Override
    public boolean hasNext() {
        while (pending == null && !done) {
            try {
                pending = readFrame();
            } catch (MoleculeFormatException e) {
                if (onInvalid == null || frameEnd < 0) throw e;
                while (lineNo < frameEnd && readLine() != null) {
                    // the rest of the bad frame
                }
                frameIndex++;
                frameEnd = -1;
                onInvalid.accept(e);
            }
        }
        return pending != null;
    }




    private MoleculeFormatException err(long line, String what) {
        return new MoleculeFormatException(file, line, what);
    }

    /** Atoms allocated before the atom lines are read (the arrays then double as lines come). */
    private static final int INITIAL_ATOMS = 4096;

    private Frame readFrame() {
        frameEnd = -1;
        String countLine;
        do {
            countLine = readLine();
            if (countLine == null) {
                done = true;
                return null;
            }
        } while (countLine.isBlank());
        long startLine = lineNo;
        if (startLine == 1 && countLine.startsWith("\uFEFF")) countLine = countLine.substring(1); // byte-order mark
        String c = countLine.strip();
        int n;
        try {
            n = Integer.parseInt(c);
        } catch (NumberFormatException e) {
            throw err(startLine, "expected the number of atoms of frame " + (frameIndex + 1) + " (an integer), found '"
                    + abbreviate(c) + "'");
        }
        if (n < 1) throw err(startLine, "frame " + (frameIndex + 1) + " declares " + n + " atoms, expected at least 1");
        frameEnd = startLine + 1 + n;
        if (n > options.maxAtoms()) throw err(startLine, MoleculeReader.tooLarge(frameIndex, n, options.maxAtoms()));
        String comment = readLine();
        if (comment == null)
            throw err(lineNo + 1, "frame " + (frameIndex + 1) + " declares " + n + " atoms but the file ends before its comment line");
        long commentLine = lineNo;
        Map<String, String> info = comment.indexOf('=') >= 0 ? parseComment(comment, commentLine) : new LinkedHashMap<>();
        if (!options.ignoreCell()) refusePeriodic(info, commentLine);
        List<Column> columns = columns(info.get("Properties"), commentLine);
        int width = 0;
        for (Column col : columns) width += col.count;

        // the arrays grow with the atom lines actually read, so a count far beyond the file (a
        // corrupt header saying 10^9 atoms) ends as "truncated frame", not as a huge allocation
        int cap = Math.min(n, INITIAL_ATOMS);
        int[] z = new int[cap];
        double[] pos = new double[3 * cap];
        List<double[]> numeric = new ArrayList<>();
        List<String[]> text = new ArrayList<>();
        for (Column col : columns) {
            numeric.add(col.type == AtomProperty.Type.STRING ? null : new double[cap * col.count]);
            text.add(col.type == AtomProperty.Type.STRING ? new String[cap * col.count] : null);
        }
        String[] tok = new String[width + 1];
        for (int i = 0; i < n; i++) {
            if (i == cap) {
                cap = (int) Math.min(n, 2L * cap);
                z = java.util.Arrays.copyOf(z, cap);
                pos = java.util.Arrays.copyOf(pos, 3 * cap);
                for (int k = 0; k < columns.size(); k++) {
                    int cc = columns.get(k).count;
                    if (numeric.get(k) != null) numeric.set(k, java.util.Arrays.copyOf(numeric.get(k), cap * cc));
                    if (text.get(k) != null) text.set(k, java.util.Arrays.copyOf(text.get(k), cap * cc));
                }
            }
            String line = readLine();
            if (line == null)
                throw err(lineNo + 1, "truncated frame " + (frameIndex + 1) + ": it declares " + n + " atoms (line " + startLine
                        + ") but the file ends after " + i + " atom lines");
            int found = split(line, tok);
            if (found != width)
                throw err(lineNo, "atom " + (i + 1) + " of frame " + (frameIndex + 1) + ": expected " + width + " columns ("
                        + describe(columns) + "), found " + (found > width ? "more" : String.valueOf(found))
                        + (found < width && i > 0 && found <= 1 ? " (is the frame shorter than its declared " + n + " atoms?)" : ""));
            int t = 0;
            for (int k = 0; k < columns.size(); k++) {
                Column col = columns.get(k);
                for (int j = 0; j < col.count; j++, t++) {
                    String s = tok[t];
                    switch (col.role) {
                        case SPECIES -> z[i] = element(s, i);
                        case Z -> z[i] = (int) integer(s, i, col.name);
                        case POS -> pos[3 * i + j] = real(s, i, col.name + " " + "xyz".charAt(j));
                        default -> {
                            switch (col.type) {
                                case REAL -> numeric.get(k)[i * col.count + j] = real(s, i, col.name);
                                case INTEGER -> numeric.get(k)[i * col.count + j] = integer(s, i, col.name);
                                case LOGICAL -> numeric.get(k)[i * col.count + j] = logical(s, i, col.name);
                                case STRING -> text.get(k)[i * col.count + j] = s;
                            }
                        }
                    }
                }
            }
        }
        String name = info.getOrDefault("name", info.isEmpty() ? comment.strip() : "");
        int charge = intInfo(info, "charge", 0, commentLine);
        int mult = intInfo(info, "multiplicity", 1, commentLine);
        info.remove("Properties"); // structural, held by the frame's per-atom arrays
        Molecule m;
        try {
            m = new Molecule(z, pos, charge, mult, name, info);
        } catch (IllegalArgumentException e) {
            throw err(startLine, "frame " + (frameIndex + 1) + ": " + e.getMessage());
        }
        List<AtomProperty> props = new ArrayList<>();
        for (int k = 0; k < columns.size(); k++) {
            Column col = columns.get(k);
            if (col.role != Role.OTHER) continue;
            props.add(new AtomProperty(col.name, col.type, col.count, numeric.get(k), text.get(k)));
        }
        Frame f;
        try {
            f = new Frame(m, props, file, frameIndex, startLine);
        } catch (IllegalArgumentException e) {
            throw err(commentLine, e.getMessage());
        }
        frameIndex++;
        frameEnd = -1;
        return f;
    }

    /** A periodic frame (see {@link ReadOptions}) is an error: it would be computed as an isolated molecule. */
    private void refusePeriodic(Map<String, String> info, long line) {
        String pbc = info.get("pbc"), lattice = info.get("Lattice");
        boolean periodic = pbc != null ? pbc.toUpperCase(Locale.ROOT).matches(".*\\b(T|TRUE)\\b.*") : lattice != null;
        if (periodic)
            throw err(line, "frame " + (frameIndex + 1) + " is periodic (" + (pbc != null ? "pbc=\"" + pbc + "\"" : "Lattice without pbc")
                    + "), but unite computes isolated molecules; --ignore-cell reads it as one (the cell is ignored)");
    }

    private int element(String s, int atom) {
        try {
            return Elements.number(s);
        } catch (IllegalArgumentException e) {
            throw err(lineNo, "atom " + (atom + 1) + " of frame " + (frameIndex + 1) + ": unknown element symbol '" + s + "'");
        }
    }

    private double real(String s, int atom, String what) {
        double d;
        try {
            d = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            String low = s.toLowerCase(Locale.ROOT).replaceFirst("^[+-]", "");
            boolean nonFinite = low.equals("nan") || low.equals("inf") || low.equals("infinity");
            throw err(lineNo, "atom " + (atom + 1) + " of frame " + (frameIndex + 1) + ": " + what + " is '" + abbreviate(s)
                    + "', expected a " + (nonFinite ? "finite " : "") + "number");
        }
        if (!Double.isFinite(d))
            throw err(lineNo, "atom " + (atom + 1) + " of frame " + (frameIndex + 1) + ": " + what + " is " + s
                    + ", expected a finite number");
        return d;
    }

    private long integer(String s, int atom, String what) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw err(lineNo, "atom " + (atom + 1) + " of frame " + (frameIndex + 1) + ": " + what + " is '" + abbreviate(s)
                    + "', expected an integer");
        }
    }

    private double logical(String s, int atom, String what) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "t", "true", "1" -> 1;
            case "f", "false", "0" -> 0;
            default -> throw err(lineNo, "atom " + (atom + 1) + " of frame " + (frameIndex + 1) + ": " + what + " is '"
                    + abbreviate(s) + "', expected T or F");
        };
    }

    private int intInfo(Map<String, String> info, String key, int dflt, long line) {
        String v = info.get(key);
        if (v == null) return dflt;
        try {
            double d = Double.parseDouble(v.strip());
            if (d == Math.rint(d) && Math.abs(d) < 1e6) return (int) d;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw err(line, key + "=" + v + " is not an integer");
    }

    /** Splits on spaces and tabs into tok; returns the number of tokens (up to tok.length, then tok.length). */
    private static int split(String line, String[] tok) {
        int n = 0, i = 0, len = line.length();
        while (i < len) {
            while (i < len && isSpace(line.charAt(i))) i++;
            if (i >= len) break;
            int s = i;
            while (i < len && !isSpace(line.charAt(i))) i++;
            if (n == tok.length) return n;
            tok[n++] = line.substring(s, i);
        }
        return n;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u000b';
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private enum Role { SPECIES, Z, POS, OTHER }

    private record Column(String name, AtomProperty.Type type, int count, Role role) {
    }

    private static String describe(List<Column> cols) {
        StringBuilder sb = new StringBuilder();
        for (Column c : cols) sb.append(sb.isEmpty() ? "" : " ").append(c.name).append(':').append(c.type.code()).append(':').append(c.count);
        return sb.toString();
    }

    private List<Column> columns(String spec, long line) {
        if (spec == null) return List.of(new Column("species", AtomProperty.Type.STRING, 1, Role.SPECIES),
                new Column("pos", AtomProperty.Type.REAL, 3, Role.POS));
        String[] p = spec.strip().split(":", -1);
        if (p.length % 3 != 0 || spec.isBlank())
            throw err(line, "Properties=" + spec + " is not a list of name:type:count triplets");
        List<Column> out = new ArrayList<>();
        boolean species = false, pos = false;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int k = 0; k < p.length; k += 3) {
            String name = p[k];
            AtomProperty.Type type = p[k + 1].length() == 1 ? AtomProperty.Type.of(p[k + 1].charAt(0)) : null;
            if (name.isEmpty() || type == null)
                throw err(line, "Properties=" + spec + ": bad triplet '" + name + ":" + p[k + 1] + ":" + p[k + 2]
                        + "' (type must be S, R, I or L)");
            int count;
            try {
                count = Integer.parseInt(p[k + 2]);
            } catch (NumberFormatException e) {
                count = 0;
            }
            if (count < 1) throw err(line, "Properties=" + spec + ": column count '" + p[k + 2] + "' of '" + name + "' is not a positive integer");
            if (!seen.add(name)) throw err(line, "Properties=" + spec + ": '" + name + "' declared twice");
            Role role = Role.OTHER;
            if (!species && (name.equals("species") || name.equals("symbols")) && type == AtomProperty.Type.STRING && count == 1) {
                role = Role.SPECIES;
                species = true;
            } else if (!pos && (name.equals("pos") || name.equals("positions")) && type == AtomProperty.Type.REAL && count == 3) {
                role = Role.POS;
                pos = true;
            }
            out.add(new Column(name, type, count, role));
        }
        if (!species) {
            for (int k = 0; k < out.size(); k++) {
                Column c = out.get(k);
                if ((c.name.equals("Z") || c.name.equals("numbers")) && c.type == AtomProperty.Type.INTEGER && c.count == 1) {
                    out.set(k, new Column(c.name, c.type, 1, Role.Z));
                    species = true;
                    break;
                }
            }
        }
        if (!species) throw err(line, "Properties=" + spec + " declares no species:S:1 (or Z:I:1) column");
        if (!pos) throw err(line, "Properties=" + spec + " declares no pos:R:3 column");
        return out;
    }

    /**
     * Parses an extxyz comment line into key=value pairs (insertion order). Values: "quoted" with
     * backslash escapes, [bracketed] or {braced} (brackets kept for [..], braces dropped), or bare
     * up to the next blank; spaces around '=' are allowed; a key without '=' gets "True".
     */
    Map<String, String> parseComment(String s, long line) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0, len = s.length();
        while (true) {
            while (i < len && isSpace(s.charAt(i))) i++;
            if (i >= len) break;
            int[] end = new int[1];
            String key = token(s, i, end, line, true);
            i = end[0];
            int j = i;
            while (j < len && isSpace(s.charAt(j))) j++;
            String value;
            if (j < len && s.charAt(j) == '=') {
                j++;
                while (j < len && isSpace(s.charAt(j))) j++;
                if (j >= len) throw err(line, "comment line: key '" + key + "' has '=' but no value");
                value = token(s, j, end, line, false);
                i = end[0];
            } else {
                value = "True";
            }
            if (key.isEmpty()) throw err(line, "comment line: empty key at column " + (i + 1));
            out.put(key, value);
        }
        return out;
    }

    private String token(String s, int i, int[] end, long line, boolean key) {
        int len = s.length();
        char c = s.charAt(i);
        if (c == '"' || c == '\'') {
            StringBuilder sb = new StringBuilder();
            int j = i + 1;
            while (j < len && s.charAt(j) != c) {
                char d = s.charAt(j);
                if (d == '\\' && j + 1 < len) {
                    char e = s.charAt(++j);
                    sb.append(e == 'n' ? '\n' : e);
                } else {
                    sb.append(d);
                }
                j++;
            }
            if (j >= len) throw err(line, "comment line: unterminated quote " + c + " starting at column " + (i + 1));
            end[0] = j + 1;
            return sb.toString();
        }
        if (!key && (c == '[' || c == '{')) {
            char close = c == '[' ? ']' : '}';
            int depth = 0, j = i;
            for (; j < len; j++) {
                char d = s.charAt(j);
                if (d == c) depth++;
                else if (d == close && --depth == 0) break;
            }
            if (j >= len) throw err(line, "comment line: unterminated '" + c + "' starting at column " + (i + 1));
            end[0] = j + 1;
            return c == '[' ? s.substring(i, j + 1) : s.substring(i + 1, j).strip();
        }
        int j = i;
        while (j < len && !isSpace(s.charAt(j)) && !(key && s.charAt(j) == '=')) j++;
        end[0] = j;
        return s.substring(i, j);
    }
}
