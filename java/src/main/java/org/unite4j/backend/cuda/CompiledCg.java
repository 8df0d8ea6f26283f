package org.unite4j.backend.cuda;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Clebsch-Gordan non-zeros compiled into the kernels (resource
 * {@code org/unite4j/cuda/cg_tables.txt}, written by cuda/gen/gen_cg.py together with the CUDA
 * header, so both hold the same numbers). Real basis, orthonormal:
 * sum_{m1,m2} C[m1,m2,m3] C[m1,m2,m3'] = delta(m3,m3'); entries sorted by (i3, i1, i2).
 */
public final class CompiledCg {
    /** Highest l the kernels are compiled for. */
    public static final int LMAX = 4;
    private static final String RESOURCE = CudaBackend.RESOURCE_DIR + "cg_tables.txt";
    private static volatile Map<Integer, Table> tables;

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
        return all().get(key(l1, l2, l3));
    }

    /** Number of compiled triples. */
    public static int size() {
        return all().size();
    }

    private static Map<Integer, Table> all() {
        Map<Integer, Table> t = tables;
        if (t == null) {
            synchronized (CompiledCg.class) {
                if (tables == null) tables = load();
                t = tables;
            }
        }
        return t;
    }

    private static Map<Integer, Table> load() {
        InputStream in = CompiledCg.class.getResourceAsStream(RESOURCE);
        if (in == null) throw new IllegalStateException("missing resource " + RESOURCE + " (unite4j-cuda jar not on the class path)");
        Map<Integer, List<double[]>> rows = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] f = line.split("\\s+");
                if (f.length != 7) throw new IllegalStateException(RESOURCE + " line " + no + ": expected 7 fields, got " + f.length);
                double[] v = new double[7];
                for (int i = 0; i < 7; i++) v[i] = Double.parseDouble(f[i]);
                rows.computeIfAbsent(key((int) v[0], (int) v[1], (int) v[2]), k -> new ArrayList<>()).add(v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Integer, Table> out = new HashMap<>();
        for (var e : rows.entrySet()) {
            List<double[]> L = e.getValue();
            int n = L.size();
            int[] a = new int[n], b = new int[n], c = new int[n];
            double[] val = new double[n];
            for (int i = 0; i < n; i++) {
                double[] v = L.get(i);
                a[i] = (int) v[3]; b[i] = (int) v[4]; c[i] = (int) v[5]; val[i] = v[6];
            }
            double[] v0 = L.get(0);
            out.put(e.getKey(), new Table((int) v0[0], (int) v0[1], (int) v0[2], a, b, c, val));
        }
        return Map.copyOf(out);
    }

    /**
     * The factor s with {@code given = s * compiled} entry by entry, for a CG table of (l1, l2, l3)
     * from another source (e.g. org.unite4j.irreps.ClebschGordan, whose sign convention may differ).
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
