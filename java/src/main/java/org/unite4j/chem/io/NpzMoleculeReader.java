package org.unite4j.chem.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.Units;

/**
 * Reads molecule sets stored as .npz into frames. Two layouts are recognised:
 * <ul>
 * <li><b>flat</b> (rMD17, sGDML, QM7-X style): atomic numbers {@code nuclear_charges} / {@code Z} /
 * {@code atomic_numbers} / {@code numbers} of shape (N,) or (M, N), and coordinates
 * {@code coords} / {@code R} / {@code positions} / {@code coordinates} of shape (M, N, 3) (or
 * (N, 3) for one frame). Every other array whose first axis has length M becomes, per frame
 * m: shape (M,) an info label (its array name, e.g. "energies"), shape (M, k) an info vector
 * "v1 v2 ...", shape (M, N, k) a per-atom array (e.g. "forces", k = 3).</li>
 * <li><b>grouped</b> (what {@code unite featurize} writes): arrays "i/Z" and "i/R" for each
 * molecule i (sorted numerically), plus size-1 arrays "i/KEY" as info labels and (N, k) arrays
 * as per-atom arrays.</li>
 * </ul>
 * Coordinates are converted from the given unit to Angstrom (default: Angstrom, as in rMD17).
 * Labels keep the units of the file (rMD17: energies kcal/mol, forces kcal/mol/A; see its
 * SOURCE.txt). Non-finite labels or coordinates are errors naming the file, array and frame.
 */
public final class NpzMoleculeReader {
    static final List<String> Z_KEYS = List.of("nuclear_charges", "Z", "z", "atomic_numbers", "numbers");
    static final List<String> R_KEYS = List.of("coords", "R", "positions", "coordinates", "xyz", "pos");

    private NpzMoleculeReader() {
    }

    /** Reads an npz molecule set with coordinates in Angstrom. */
    public static List<Frame> read(Path path) throws IOException {
        return read(path, Units.ANGSTROM);
    }

    /** Reads an npz molecule set whose coordinates are in {@code coordinateUnit}. */
    public static List<Frame> read(Path path, Units.Unit coordinateUnit) throws IOException {
        return frames(path.toString(), NpzReader.open(path), coordinateUnit);
    }

    /** Builds frames from arrays already loaded; {@code file} names the source in messages. */
    public static List<Frame> frames(String file, Map<String, NpyArray> arrays, Units.Unit coordinateUnit) {
        if (coordinateUnit.kind() != Units.Kind.LENGTH)
            throw new IllegalArgumentException("coordinate unit must be a length, got " + coordinateUnit);
        double toA = coordinateUnit.toBase();
        String zKey = first(arrays, Z_KEYS), rKey = first(arrays, R_KEYS);
        String stem = stem(file);
        if (zKey != null && rKey != null) return flat(file, stem, arrays, zKey, rKey, toA);
        TreeMap<Long, String> groups = new TreeMap<>();
        for (String k : arrays.keySet()) {
            int s = k.indexOf('/');
            if (s > 0 && k.substring(s + 1).equals("Z") && arrays.containsKey(k.substring(0, s) + "/R")) {
                try {
                    groups.put(Long.parseLong(k.substring(0, s)), k.substring(0, s));
                } catch (NumberFormatException e) {
                    groups.put((long) groups.size() + (1L << 40), k.substring(0, s));
                }
            }
        }
        if (groups.isEmpty())
            throw new MoleculeFormatException(file, 0, "no molecules found: expected atomic numbers (one of " + Z_KEYS
                    + ") and coordinates (one of " + R_KEYS + "), or per-molecule arrays \"i/Z\" and \"i/R\"; the archive has "
                    + arrays.keySet());
        List<Frame> out = new ArrayList<>();
        int index = 0;
        for (String g : groups.values()) {
            NpyArray za = arrays.get(g + "/Z"), ra = arrays.get(g + "/R");
            int[] z = ints(file, g + "/Z", za);
            int n = z.length;
            if (ra.size() != 3L * n)
                throw new MoleculeFormatException(file, 0, "array '" + g + "/R' has shape " + Arrays.toString(ra.shape())
                        + ", expected (" + n + ", 3) to match '" + g + "/Z'");
            double[] r = scale(ra.asDoubles(), toA);
            Map<String, String> info = new LinkedHashMap<>();
            List<AtomProperty> props = new ArrayList<>();
            for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
                String k = e.getKey();
                if (!k.startsWith(g + "/") || k.equals(g + "/Z") || k.equals(g + "/R")) continue;
                String label = k.substring(g.length() + 1);
                NpyArray a = e.getValue();
                int[] sh = a.shape();
                if (a.size() == 1) {
                    info.put(label, a.isFloating() ? value(file, k, index, a.asDoubles(), null, 0) : Long.toString(a.asLongs()[0]));
                } else if (sh.length == 2 && sh[0] == n && a.isFloating()) {
                    double[] v = finite(file, k, index, a.asDoubles());
                    props.add(AtomProperty.real(label, sh[1], v));
                }
            }
            out.add(frame(file, index, z, r, stem + "[" + g + "]", info, props));
            index++;
        }
        return out;
    }

    private static List<Frame> flat(String file, String stem, Map<String, NpyArray> arrays, String zKey, String rKey, double toA) {
        NpyArray za = arrays.get(zKey), ra = arrays.get(rKey);
        int[] rs = ra.shape(), zs = za.shape();
        int m, n;
        if (rs.length == 3 && rs[2] == 3) {
            m = rs[0];
            n = rs[1];
        } else if (rs.length == 2 && rs[1] == 3) {
            m = 1;
            n = rs[0];
        } else {
            throw new MoleculeFormatException(file, 0, "coordinates '" + rKey + "' have shape " + Arrays.toString(rs)
                    + ", expected (frames, atoms, 3) or (atoms, 3)");
        }
        boolean zPerFrame;
        if (zs.length == 1 && zs[0] == n) zPerFrame = false;
        else if (zs.length == 2 && zs[0] == m && zs[1] == n) zPerFrame = true;
        else
            throw new MoleculeFormatException(file, 0, "atomic numbers '" + zKey + "' have shape " + Arrays.toString(zs)
                    + ", expected (" + n + ") or (" + m + ", " + n + ") to match coordinates '" + rKey + "' " + Arrays.toString(rs));
        int[] zAll = ints(file, zKey, za);
        double[] rAll = ra.asDoubles();

        // Other arrays indexed by frame.
        List<String> scalar = new ArrayList<>(), vector = new ArrayList<>(), atomic = new ArrayList<>();
        Map<String, double[]> dvals = new LinkedHashMap<>();
        Map<String, long[]> lvals = new LinkedHashMap<>();
        for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
            String k = e.getKey();
            if (k.equals(zKey) || k.equals(rKey)) continue;
            NpyArray a = e.getValue();
            int[] sh = a.shape();
            if (rs.length == 2 ? a.size() != 1 : (sh.length == 0 || sh[0] != m)) continue;
            if (rs.length == 2 || sh.length == 1) scalar.add(k);
            else if (sh.length == 2) vector.add(k);
            else if (sh.length == 3 && sh[1] == n) atomic.add(k);
            else continue;
            if (a.isFloating()) dvals.put(k, a.asDoubles());
            else lvals.put(k, a.asLongs());
        }
        List<Frame> out = new ArrayList<>(m);
        for (int f = 0; f < m; f++) {
            int[] z = zPerFrame ? Arrays.copyOfRange(zAll, f * n, (f + 1) * n) : zAll;
            double[] r = scale(Arrays.copyOfRange(rAll, f * 3 * n, (f + 1) * 3 * n), toA);
            Map<String, String> info = new LinkedHashMap<>();
            for (String k : scalar) info.put(k, value(file, k, f, dvals.get(k), lvals.get(k), f));
            for (String k : vector) {
                int w = arrays.get(k).shape()[1];
                StringBuilder sb = new StringBuilder();
                for (int j = 0; j < w; j++) sb.append(j > 0 ? " " : "").append(value(file, k, f, dvals.get(k), lvals.get(k), f * w + j));
                info.put(k, sb.toString());
            }
            List<AtomProperty> props = new ArrayList<>();
            for (String k : atomic) {
                int w = arrays.get(k).shape()[2];
                double[] v = new double[n * w];
                double[] d = dvals.get(k);
                long[] l = lvals.get(k);
                for (int j = 0; j < n * w; j++) v[j] = d != null ? d[f * n * w + j] : l[f * n * w + j];
                finite(file, k, f, v);
                props.add(d != null ? AtomProperty.real(k, w, v) : new AtomProperty(k, AtomProperty.Type.INTEGER, w, v, null));
            }
            out.add(frame(file, f, z, r, m == 1 ? stem : stem + "[" + f + "]", info, props));
        }
        return out;
    }

    private static Frame frame(String file, int index, int[] z, double[] r, String name, Map<String, String> info,
                               List<AtomProperty> props) {
        int charge = 0;
        String c = info.get("charge");
        if (c != null) {
            double d = Double.parseDouble(c);
            if (d != Math.rint(d)) throw new MoleculeFormatException(file, 0, "frame " + (index + 1) + ": charge " + c + " is not an integer");
            charge = (int) d;
        }
        try {
            return new Frame(new Molecule(z, r, charge, 1, name, info), props, file, index, 0);
        } catch (IllegalArgumentException e) {
            throw new MoleculeFormatException(file, 0, "frame " + (index + 1) + ": " + e.getMessage(), e);
        }
    }

    private static String value(String file, String key, int frame, double[] d, long[] l, int i) {
        if (d == null) return Long.toString(l[i]);
        if (!Double.isFinite(d[i]))
            throw new MoleculeFormatException(file, 0, "array '" + key + "' frame " + (frame + 1) + " is " + d[i]);
        return Double.toString(d[i]);
    }

    private static double[] finite(String file, String key, int frame, double[] v) {
        for (int i = 0; i < v.length; i++)
            if (!Double.isFinite(v[i]))
                throw new MoleculeFormatException(file, 0, "array '" + key + "' frame " + (frame + 1) + " holds " + v[i]
                        + " at flat index " + i);
        return v;
    }

    private static int[] ints(String file, String key, NpyArray a) {
        try {
            return a.asInts();
        } catch (IllegalArgumentException e) {
            throw new MoleculeFormatException(file, 0, "atomic numbers '" + key + "': " + e.getMessage(), e);
        }
    }

    private static double[] scale(double[] v, double f) {
        if (f != 1.0) for (int i = 0; i < v.length; i++) v[i] *= f;
        return v;
    }

    private static String first(Map<String, NpyArray> arrays, List<String> keys) {
        for (String k : keys) if (arrays.containsKey(k)) return k;
        return null;
    }

    private static String stem(String file) {
        String s = Path.of(file).getFileName().toString();
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }
}
