package org.unite4j.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The atomic-orbital layout of a molecule: for each atom, its shells (principal quantum number n,
 * angular momentum l), each shell contributing 2l+1 real-spherical-harmonic functions m = -l..l
 * (project convention: l = 1 as (y, z, x), l = 2 as (xy, yz, 3z^2-r^2, xz, x^2-y^2)). AOs are
 * ordered atom by atom, shell by shell, m fastest: AO index = aoOffset(A) + shellOffset(A, s) + m + l.
 * Immutable.
 */
public final class Basis {
    /** One shell of an atom: principal quantum number n and angular momentum l. */
    public record Shell(int n, int l) {
        public Shell {
            if (l < 0 || n <= l) throw new IllegalArgumentException("invalid shell n=" + n + " l=" + l);
        }

        public int dim() { return 2 * l + 1; }

        @Override
        public String toString() { return n + "spdfghik".substring(l, l + 1); }
    }

    private final Shell[][] shells;
    private final int[] aoOffset;   // numAtoms + 1
    private final int[][] shellOffset; // per atom, per shell: offset of the shell within the atom

    public Basis(List<List<Shell>> perAtom) {
        int n = perAtom.size();
        shells = new Shell[n][];
        aoOffset = new int[n + 1];
        shellOffset = new int[n][];
        for (int a = 0; a < n; a++) {
            shells[a] = perAtom.get(a).toArray(new Shell[0]);
            shellOffset[a] = new int[shells[a].length];
            int off = 0;
            for (int s = 0; s < shells[a].length; s++) {
                shellOffset[a][s] = off;
                off += shells[a][s].dim();
            }
            aoOffset[a + 1] = aoOffset[a] + off;
        }
    }

    public int numAtoms() { return shells.length; }

    /** Total number of AOs. */
    public int numAo() { return aoOffset[shells.length]; }

    public int aoOffset(int atom) { return aoOffset[atom]; }

    /** Number of AOs on an atom. */
    public int numAo(int atom) { return aoOffset[atom + 1] - aoOffset[atom]; }

    public int numShells(int atom) { return shells[atom].length; }

    public Shell shell(int atom, int s) { return shells[atom][s]; }

    public List<Shell> shells(int atom) { return List.of(shells[atom]); }

    /** Offset of shell s within the AOs of its atom. */
    public int shellOffset(int atom, int s) { return shellOffset[atom][s]; }

    /** Rows (atom index, n, l), one per shell, atom by atom: the layout of {@code i/shells} files. */
    public int[] shellTable() {
        List<int[]> rows = new ArrayList<>();
        for (int a = 0; a < shells.length; a++)
            for (Shell s : shells[a]) rows.add(new int[]{a, s.n(), s.l()});
        int[] out = new int[3 * rows.size()];
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, out, 3 * i, 3);
        return out;
    }

    /** Rebuilds a basis from a {@link #shellTable()} (rows atom, n, l; atoms in increasing order). */
    public static Basis fromShellTable(int numAtoms, int[] table) {
        if (table.length % 3 != 0) throw new IllegalArgumentException("shell table length " + table.length + " is not a multiple of 3");
        List<List<Shell>> per = new ArrayList<>();
        for (int a = 0; a < numAtoms; a++) per.add(new ArrayList<>());
        int last = 0;
        for (int r = 0; r < table.length / 3; r++) {
            int a = table[3 * r];
            if (a < last || a >= numAtoms)
                throw new IllegalArgumentException("shell table row " + r + ": atom index " + a + " out of order or range");
            last = a;
            per.get(a).add(new Shell(table[3 * r + 1], table[3 * r + 2]));
        }
        return new Basis(per);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Basis b && Arrays.deepEquals(shells, b.shells);
    }

    @Override
    public int hashCode() { return Arrays.deepHashCode(shells); }

    @Override
    public String toString() { return "Basis[" + numAtoms() + " atoms, " + numAo() + " AOs]"; }
}
