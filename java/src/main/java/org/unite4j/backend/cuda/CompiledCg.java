package org.unite4j.backend.cuda;

import java.util.HashMap;
import java.util.Map;
import org.unite4j.irreps.CGTable;
import org.unite4j.irreps.ClebschGordan;

/**
 * The Clebsch-Gordan non-zeros compiled into the kernels: {@link ClebschGordan}'s tables for
 * l &lt;= {@link #LMAX}, which {@link CgHeader} writes into {@code cuda/src/cg_tables.cuh} (a test
 * keeps the checked-in header equal to them). Real basis, orthonormal:
 * sum_{m1,m2} C[m1,m2,m3] C[m1,m2,m3'] = delta(m3,m3'); entries sorted by (i3, i1, i2).
 */
public final class CompiledCg {
    /** Highest l the kernels are compiled for. */
    public static final int LMAX = 4;
    private static final Map<Integer, Table> TABLES = load();

    /** One triple's non-zeros (indices m+l). */
    public record Table(int l1, int l2, int l3, int[] i1, int[] i2, int[] i3, double[] value) {
        public int nnz() {
            return value.length;
        }
    }

    private CompiledCg() {}

    private static int key(int l1, int l2, int l3) {
        return (l1 * 16 + l2) * 16 + l3;
    }

    /** The compiled table of (l1, l2, l3), or null where the triple is not compiled (l > 4 or no coupling). */
    public static Table table(int l1, int l2, int l3) {
        return TABLES.get(key(l1, l2, l3));
    }

    /** Number of compiled triples. */
    public static int size() {
        return TABLES.size();
    }

    private static Map<Integer, Table> load() {
        Map<Integer, Table> out = new HashMap<>();
        for (int l1 = 0; l1 <= LMAX; l1++)
            for (int l2 = 0; l2 <= LMAX; l2++)
                for (int l3 = Math.abs(l1 - l2); l3 <= Math.min(l1 + l2, LMAX); l3++) {
                    CGTable t = ClebschGordan.sparse(l1, l2, l3);
                    out.put(key(l1, l2, l3), new Table(l1, l2, l3, t.i1.clone(), t.i2.clone(), t.i3.clone(), t.value.clone()));
                }
        return Map.copyOf(out);
    }

    /**
     * The factor s with {@code given = s * compiled} entry by entry, for a CG table of (l1, l2, l3)
     * that may differ from the compiled one by a factor (a scaled or sign-flipped table).
     * The kernels multiply each path's weight by s, so they compute exactly {@code given}.
     *
     * @throws IllegalArgumentException if l > 4, or the non-zero pattern differs, or the ratio is not
     *     one constant (to 1e-9 relative): then the two tables are not in the same real basis
     */
    public static double scaleFor(int l1, int l2, int l3, int[] i1, int[] i2, int[] i3, double[] value) {
        if (Math.max(l1, Math.max(l2, l3)) > LMAX)
            throw new IllegalArgumentException("CG path (" + l1 + "," + l2 + "," + l3 + "): the CUDA kernels are compiled for l <= " + LMAX);
        Table t = table(l1, l2, l3);
        if (t == null) throw new IllegalArgumentException("CG path (" + l1 + "," + l2 + "," + l3 + ") violates the triangle rule");
        Map<Long, Double> given = new HashMap<>();
        double maxAbs = 0;
        for (int j = 0; j < value.length; j++) {
            maxAbs = Math.max(maxAbs, Math.abs(value[j]));
            given.merge(((long) i1[j] * 64 + i2[j]) * 64 + i3[j], value[j], Double::sum);
        }
        double s = Double.NaN;
        for (int j = 0; j < t.nnz(); j++) {
            Double g = given.remove(((long) t.i1[j] * 64 + t.i2[j]) * 64 + t.i3[j]);
            if (g == null) g = 0.0;
            double r = g / t.value[j];
            if (Double.isNaN(s)) s = r;
            else if (Math.abs(r - s) > 1e-9 * Math.max(1, Math.abs(s)))
                throw new IllegalArgumentException("CG table (" + l1 + "," + l2 + "," + l3 + ") is not a multiple of the compiled one "
                        + "(entry " + t.i1[j] + "," + t.i2[j] + "," + t.i3[j] + ": ratio " + r + " vs " + s + "): different real basis?");
        }
        for (double g : given.values())
            if (Math.abs(g) > 1e-12 * Math.max(1, maxAbs))
                throw new IllegalArgumentException("CG table (" + l1 + "," + l2 + "," + l3 + ") has a non-zero where the compiled one has none: different real basis?");
        return s;
    }
}
