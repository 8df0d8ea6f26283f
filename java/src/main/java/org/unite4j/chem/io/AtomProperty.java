package org.unite4j.chem.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One per-atom array of a frame, as declared by an extended-XYZ {@code Properties=name:T:k}
 * triplet: {@code columns} values per atom, row-major (atom i, column c at {@code i*columns+c}).
 * Real, integer and logical columns are held as doubles (logical: 1 = true, 0 = false); string
 * columns as strings.
 */
public record AtomProperty(String name, Type type, int columns, double[] values, String[] strings) {

    /** Column types of extended XYZ: R real, I integer, L logical, S string. */
    public enum Type {
        REAL('R'), INTEGER('I'), LOGICAL('L'), STRING('S');

        private final char code;

        Type(char code) { this.code = code; }

        public char code() { return code; }

        /** The type of an extxyz code letter, or null if none. */
        public static Type of(char c) {
            for (Type t : values()) if (t.code == Character.toUpperCase(c)) return t;
            return null;
        }
    }

    public AtomProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (columns < 1) throw new IllegalArgumentException("property '" + name + "': columns must be >= 1, got " + columns);
        if ((type == Type.STRING) != (strings != null) || (type == Type.STRING) == (values != null))
            throw new IllegalArgumentException("property '" + name + "': " + type + " needs "
                    + (type == Type.STRING ? "strings" : "values") + " and only those");
        int n = type == Type.STRING ? strings.length : values.length;
        if (n % columns != 0)
            throw new IllegalArgumentException("property '" + name + "': " + n + " entries is not a multiple of " + columns + " columns");
        values = values == null ? null : values.clone();
        strings = strings == null ? null : strings.clone();
    }

    /** A real-valued per-atom array (e.g. forces: columns = 3). */
    public static AtomProperty real(String name, int columns, double[] values) {
        return new AtomProperty(name, Type.REAL, columns, values, null);
    }

    /** Number of atoms the array covers. */
    public int atoms() { return (type == Type.STRING ? strings.length : values.length) / columns; }

    /** Value of atom i, column c (numeric types). */
    public double get(int atom, int column) {
        if (values == null) throw new IllegalStateException("property '" + name + "' holds strings");
        return values[atom * columns + column];
    }

    @Override
    public double[] values() { return values == null ? null : values.clone(); }

    @Override
    public String[] strings() { return strings == null ? null : strings.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof AtomProperty p && name.equals(p.name) && type == p.type && columns == p.columns
                && Arrays.equals(values, p.values) && Arrays.equals(strings, p.strings);
    }

    @Override
    public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(values) + Arrays.hashCode(strings); }

    @Override
    public String toString() { return name + ":" + type.code + ":" + columns + " (" + atoms() + " atoms)"; }
}
