package org.unite4j.chem;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A molecule: atomic numbers, Cartesian positions in Angstrom, total charge (e) and spin
 * multiplicity 2S+1, an optional name and free-form key=value info (labels from extxyz comment
 * lines, for example). Immutable; arrays are copied in and out.
 *
 * <p>Invariants checked at construction: at least one atom, known elements, 3N finite
 * coordinates, multiplicity >= 1.
 */
public final class Molecule {
    private final int[] z;
    private final double[] xyz;
    private final int charge;
    private final int multiplicity;
    private final String name;
    private final Map<String, String> info;

    public Molecule(int[] atomicNumbers, double[] positionsAngstrom, int charge, int multiplicity,
                    String name, Map<String, String> info) {
        if (atomicNumbers == null || atomicNumbers.length == 0)
            throw new IllegalArgumentException("a molecule needs at least one atom");
        if (positionsAngstrom == null || positionsAngstrom.length != 3 * atomicNumbers.length)
            throw new IllegalArgumentException("expected " + 3 * atomicNumbers.length + " coordinates for "
                    + atomicNumbers.length + " atoms, got " + (positionsAngstrom == null ? 0 : positionsAngstrom.length));
        for (int i = 0; i < atomicNumbers.length; i++) {
            int zi = atomicNumbers[i];
            if (zi < 1 || zi > Elements.MAX_Z)
                throw new IllegalArgumentException("atom " + (i + 1) + ": no element with atomic number " + zi);
            for (int k = 0; k < 3; k++) {
                double v = positionsAngstrom[3 * i + k];
                if (!Double.isFinite(v))
                    throw new IllegalArgumentException("atom " + (i + 1) + " (" + Elements.symbol(zi) + "): coordinate "
                            + "xyz".charAt(k) + " is " + v);
            }
        }
        if (multiplicity < 1) throw new IllegalArgumentException("spin multiplicity must be >= 1, got " + multiplicity);
        this.z = atomicNumbers.clone();
        this.xyz = positionsAngstrom.clone();
        this.charge = charge;
        this.multiplicity = multiplicity;
        this.name = name == null ? "" : name;
        this.info = info == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(info));
    }

    /** A neutral singlet without name or info. */
    public Molecule(int[] atomicNumbers, double[] positionsAngstrom) {
        this(atomicNumbers, positionsAngstrom, 0, 1, "", Map.of());
    }

    public int size() { return z.length; }

    public int atomicNumber(int i) { return z[i]; }

    public int[] atomicNumbers() { return z.clone(); }

    /** Positions in Angstrom, flat [x0, y0, z0, x1, ...]. */
    public double[] positions() { return xyz.clone(); }

    public double x(int i, int k) { return xyz[3 * i + k]; }

    public int charge() { return charge; }

    public int multiplicity() { return multiplicity; }

    public String name() { return name; }

    public Map<String, String> info() { return info; }

    /** Number of electrons of the neutral atoms minus the charge. */
    public int electrons() {
        int n = -charge;
        for (int zi : z) n += zi;
        return n;
    }

    /** The same molecule with positions replaced (Angstrom, flat 3N). */
    public Molecule withPositions(double[] positionsAngstrom) {
        return new Molecule(z, positionsAngstrom, charge, multiplicity, name, info);
    }

    /**
     * The molecule transformed by r -> Q r for a 3x3 orthogonal matrix Q (a rotation, or with
     * det Q = -1 a rotation combined with inversion).
     */
    public Molecule transformed(double[][] q) {
        double[] out = new double[xyz.length];
        for (int i = 0; i < z.length; i++)
            for (int a = 0; a < 3; a++)
                out[3 * i + a] = q[a][0] * xyz[3 * i] + q[a][1] * xyz[3 * i + 1] + q[a][2] * xyz[3 * i + 2];
        return withPositions(out);
    }

    /** Chemical formula in Hill order, e.g. "C2H6O". */
    public String formula() {
        int[] count = new int[Elements.MAX_Z + 1];
        for (int zi : z) count[zi]++;
        StringBuilder sb = new StringBuilder();
        boolean carbon = count[6] > 0;
        if (carbon) { append(sb, 6, count[6]); if (count[1] > 0) append(sb, 1, count[1]); }
        java.util.TreeMap<String, Integer> rest = new java.util.TreeMap<>();
        for (int zi = 1; zi <= Elements.MAX_Z; zi++)
            if (count[zi] > 0 && !(carbon && (zi == 6 || zi == 1))) rest.put(Elements.symbol(zi), count[zi]);
        rest.forEach((s, c) -> sb.append(s).append(c > 1 ? c : ""));
        return sb.toString();
    }

    private static void append(StringBuilder sb, int zi, int c) {
        sb.append(Elements.symbol(zi)).append(c > 1 ? c : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Molecule m && Arrays.equals(z, m.z) && Arrays.equals(xyz, m.xyz) && charge == m.charge
                && multiplicity == m.multiplicity && name.equals(m.name) && info.equals(m.info);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(z) * 31 + Arrays.hashCode(xyz); }

    @Override
    public String toString() {
        return "Molecule[" + formula() + (name.isEmpty() ? "" : ", " + name) + ", charge " + charge
                + ", multiplicity " + multiplicity + "]";
    }
}
