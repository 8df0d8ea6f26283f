package org.unite4j.chem.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.unite4j.chem.Molecule;

/**
 * A molecule as read from a file, with its per-atom arrays (forces, partial charges, ...) and
 * where it came from. Frame-level labels are the molecule's {@link Molecule#info()} strings;
 * {@link #label(String)} and {@link #labelVector(String)} parse them with errors that name the file,
 * line and key.
 */
public final class Frame {
    private final Molecule molecule;
    private final Map<String, AtomProperty> atomProperties;
    private final String source;
    private final int index;
    private final long line;

    /**
     * @param source the file (or other origin) for messages, may be empty
     * @param index  0-based frame number in the source
     * @param line   1-based line where the frame starts, 0 if none applies
     */
    public Frame(Molecule molecule, List<AtomProperty> atomProperties, String source, int index, long line) {
        this.molecule = Objects.requireNonNull(molecule, "molecule");
        Map<String, AtomProperty> m = new LinkedHashMap<>();
        for (AtomProperty p : atomProperties) {
            if (p.atoms() != molecule.size())
                throw new IllegalArgumentException("per-atom property '" + p.name() + "' covers " + p.atoms()
                        + " atoms, the molecule has " + molecule.size());
            if (m.put(p.name(), p) != null)
                throw new IllegalArgumentException("per-atom property '" + p.name() + "' given twice");
        }
        this.atomProperties = Collections.unmodifiableMap(m);
        this.source = source == null ? "" : source;
        this.index = index;
        this.line = line;
    }

    /** A frame of a molecule without per-atom arrays or origin. */
    public static Frame of(Molecule molecule) {
        return new Frame(molecule, List.of(), "", 0, 0);
    }

    public Molecule molecule() { return molecule; }

    /** Per-atom arrays by name, in file order (positions and species are in the molecule). */
    public Map<String, AtomProperty> atomProperties() { return atomProperties; }

    public Optional<AtomProperty> atomProperty(String name) { return Optional.ofNullable(atomProperties.get(name)); }

    /**
     * The numeric per-atom array {@code name}, flat [atom][column].
     *
     * @throws IllegalArgumentException naming the frame and the arrays it has
     */
    public double[] atomValues(String name) {
        AtomProperty p = atomProperties.get(name);
        if (p == null) throw error("no per-atom array '" + name + "'; it has " + atomProperties.keySet());
        if (p.type() == AtomProperty.Type.STRING) throw error("per-atom array '" + name + "' holds strings");
        return p.values();
    }

    /** Forces (3 per atom) stored as "forces" or "force", in the file's unit, if present. */
    public Optional<double[]> forces() {
        for (String k : List.of("forces", "force", "F")) {
            AtomProperty p = atomProperties.get(k);
            if (p != null && p.columns() == 3 && p.type() == AtomProperty.Type.REAL) return Optional.of(p.values());
        }
        return Optional.empty();
    }

    /** The file or other origin, as given to the reader ("" if none). */
    public String source() { return source; }

    /** 0-based index of this frame in its source. */
    public int index() { return index; }

    /** 1-based first line of the frame in its source, 0 if none applies. */
    public long line() { return line; }

    /** Where this frame came from, for messages: "FILE:LINE (frame K)". */
    public String where() {
        return (source.isEmpty() ? "" : source + (line > 0 ? ":" + line : "") + " ") + "(frame " + (index + 1) + ")";
    }

    /**
     * The label {@code key} of {@link Molecule#info()} as a number.
     *
     * @throws IllegalArgumentException naming the frame, the key and the labels present
     */
    public double label(String key) {
        String v = rawLabel(key);
        try {
            double d = Double.parseDouble(v.strip());
            if (!Double.isFinite(d)) throw error("label " + key + "=" + v + " is not a finite number");
            return d;
        } catch (NumberFormatException e) {
            throw error("label " + key + "=" + v + " is not a number");
        }
    }

    /**
     * The label {@code key} as a vector of numbers: "1 2 3", "[1, 2, 3]" or "_JSON [1, 2, 3]".
     */
    public double[] labelVector(String key) {
        String v = rawLabel(key).strip();
        if (v.startsWith("_JSON")) v = v.substring(5).strip();
        v = v.replace('[', ' ').replace(']', ' ').replace('(', ' ').replace(')', ' ').replace(',', ' ').strip();
        if (v.isEmpty()) return new double[0];
        String[] parts = v.split("\\s+");
        List<Double> out = new ArrayList<>();
        for (String s : parts) {
            try {
                double d = Double.parseDouble(s);
                if (!Double.isFinite(d)) throw error("label " + key + " has the non-finite value " + s);
                out.add(d);
            } catch (NumberFormatException e) {
                throw error("label " + key + "=" + rawLabel(key) + " is not a list of numbers ('" + s + "')");
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private String rawLabel(String key) {
        String v = molecule.info().get(key);
        if (v == null) throw error("no label '" + key + "'; labels present: " + molecule.info().keySet());
        return v;
    }

    private IllegalArgumentException error(String what) {
        return source.isEmpty() ? new IllegalArgumentException("frame " + (index + 1) + ": " + what)
                : new MoleculeFormatException(source, line, "frame " + (index + 1) + ": " + what);
    }

    @Override
    public String toString() { return "Frame[" + molecule + ", " + atomProperties.values() + ", " + where() + "]"; }
}
