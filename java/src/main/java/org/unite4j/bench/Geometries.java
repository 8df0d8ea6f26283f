package org.unite4j.bench;

import org.unite4j.chem.Molecule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Molecules of any size built in code, for scaling benchmarks (Angstrom):
 * <ul>
 *   <li>{@link #alkane(int)}: the all-trans (zig-zag) linear alkane C_nH_{2n+2}, C-C 1.54 A,
 *       C-H 1.09 A, every angle tetrahedral (arccos(-1/3) = 109.47 deg). Carbon i sits at
 *       (i d sin(t/2), (i mod 2) d cos(t/2), 0) with d = 1.54 and t the tetrahedral angle; the
 *       hydrogens of carbon i point along -b cos(t/2) +- z sin(t/2) (b the unit bisector of its
 *       two C-C bonds), and a chain end takes a third hydrogen where the next carbon would be.</li>
 *   <li>{@link #waterCluster(int, long)}: (H2O)_n with O-H 0.9572 A and H-O-H 104.52 deg, the
 *       oxygens on the n points of a simple cubic grid of spacing {@value #WATER_GRID} A
 *       (liquid density, 30 A^3 per molecule) nearest to the origin, each molecule turned to the
 *       orientation (best of {@value #ORIENTATION_TRIES} random ones, seeded) that maximizes the
 *       shortest distance of its hydrogens to the atoms of the waters placed before it in the
 *       neighbouring grid cells.</li>
 * </ul>
 */
public final class Geometries {
    /** C-C bond length, Angstrom. */
    public static final double CC = 1.54;
    /** C-H bond length, Angstrom. */
    public static final double CH = 1.09;
    /** O-H bond length of water, Angstrom. */
    public static final double OH = 0.9572;
    /** H-O-H angle of water, degrees. */
    public static final double HOH_DEG = 104.52;
    /** Spacing of the oxygen grid of water clusters, Angstrom (30 A^3 per molecule). */
    public static final double WATER_GRID = 3.1;
    static final int ORIENTATION_TRIES = 64;
    /** The tetrahedral angle arccos(-1/3), radians. */
    public static final double TETRAHEDRAL = Math.acos(-1.0 / 3.0);

    private Geometries() {
    }

    /** The linear alkane C_nH_{2n+2} (n >= 1), all-trans; methane for n = 1. */
    public static Molecule alkane(int n) {
        if (n < 1) throw new IllegalArgumentException("an alkane needs at least one carbon, got n = " + n);
        List<double[]> pos = new ArrayList<>();
        List<Integer> z = new ArrayList<>();
        if (n == 1) {
            z.add(6);
            pos.add(new double[]{0, 0, 0});
            double s = CH / Math.sqrt(3);
            for (double[] d : new double[][]{{1, 1, 1}, {1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}}) {
                z.add(1);
                pos.add(new double[]{s * d[0], s * d[1], s * d[2]});
            }
            return build(z, pos, "methane");
        }
        double half = TETRAHEDRAL / 2;
        double dx = CC * Math.sin(half), dy = CC * Math.cos(half);
        // carbons at i = 0..n-1; virtual neighbours at i = -1 and i = n place the end hydrogens
        double[][] c = new double[n + 2][];
        for (int i = -1; i <= n; i++) c[i + 1] = new double[]{i * dx, Math.floorMod(i, 2) * dy, 0};
        for (int i = 0; i < n; i++) {
            z.add(6);
            pos.add(c[i + 1]);
        }
        for (int i = 0; i < n; i++) {
            double[] ci = c[i + 1];
            double[] u = unit(sub(c[i], ci)), v = unit(sub(c[i + 2], ci));
            double[] b = unit(add(u, v));
            for (int sign : new int[]{1, -1}) {
                double[] dir = {-b[0] * Math.cos(half), -b[1] * Math.cos(half), sign * Math.sin(half)};
                z.add(1);
                pos.add(add(ci, scale(dir, CH)));
            }
            if (i == 0) {
                z.add(1);
                pos.add(add(ci, scale(u, CH)));
            }
            if (i == n - 1) {
                z.add(1);
                pos.add(add(ci, scale(v, CH)));
            }
        }
        return build(z, pos, "C" + n + "H" + (2 * n + 2));
    }

    /** A cluster of n >= 1 water molecules (O first, then its two H), deterministic for a seed. */
    public static Molecule waterCluster(int n, long seed) {
        if (n < 1) throw new IllegalArgumentException("a water cluster needs at least one molecule, got n = " + n);
        int side = (int) Math.ceil(Math.cbrt(n)) + 2;
        List<int[]> grid = new ArrayList<>();
        for (int i = -side; i <= side; i++)
            for (int j = -side; j <= side; j++)
                for (int k = -side; k <= side; k++) grid.add(new int[]{i, j, k});
        // nearest to the origin first; ties broken by (i, j, k) so the order is total
        grid.sort((a, b) -> {
            int c = Integer.compare(norm2(a), norm2(b));
            return c != 0 ? c : Arrays.compare(a, b);
        });
        Random rng = new Random(seed);
        double ha = Math.toRadians(HOH_DEG) / 2;
        double[][] local = {{OH * Math.sin(ha), OH * Math.cos(ha), 0}, {-OH * Math.sin(ha), OH * Math.cos(ha), 0}};
        List<double[]> pos = new ArrayList<>();
        List<Integer> z = new ArrayList<>();
        java.util.HashMap<Long, Integer> placed = new java.util.HashMap<>(); // grid cell -> water index
        for (int w = 0; w < n; w++) {
            int[] g = grid.get(w);
            double[] o = {g[0] * WATER_GRID, g[1] * WATER_GRID, g[2] * WATER_GRID};
            // atoms of the waters already placed in the 26 neighbouring cells (farther ones are > 3 A away)
            List<double[]> near = new ArrayList<>();
            for (int i = -1; i <= 1; i++)
                for (int j = -1; j <= 1; j++)
                    for (int k = -1; k <= 1; k++) {
                        Integer other = placed.get(cellKey(g[0] + i, g[1] + j, g[2] + k));
                        if (other != null) for (int a = 0; a < 3; a++) near.add(pos.get(3 * other + a));
                    }
            double[][] best = null;
            double bestD = -1;
            for (int t = 0; t < ORIENTATION_TRIES; t++) {
                double[][] q = randomRotation(rng);
                double[][] h = {add(o, apply(q, local[0])), add(o, apply(q, local[1]))};
                double d = Double.POSITIVE_INFINITY;
                for (double[] p : near) d = Math.min(d, Math.min(dist(p, h[0]), dist(p, h[1])));
                if (d > bestD) {
                    bestD = d;
                    best = h;
                }
                if (near.isEmpty()) break;
            }
            placed.put(cellKey(g[0], g[1], g[2]), w);
            z.add(8);
            pos.add(o);
            z.add(1);
            pos.add(best[0]);
            z.add(1);
            pos.add(best[1]);
        }
        return build(z, pos, "(H2O)" + n);
    }

    /** Shortest distance between any two atoms, Angstrom (infinity for one atom). */
    public static double minDistance(Molecule m) {
        double d = Double.POSITIVE_INFINITY;
        for (int i = 0; i < m.size(); i++)
            for (int j = 0; j < i; j++) d = Math.min(d, distance(m, i, j));
        return d;
    }

    /** Distance between atoms i and j, Angstrom. */
    public static double distance(Molecule m, int i, int j) {
        double s = 0;
        for (int k = 0; k < 3; k++) {
            double d = m.x(i, k) - m.x(j, k);
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** Uniformly random rotation matrix (from a random unit quaternion). */
    static double[][] randomRotation(Random r) {
        double a = r.nextGaussian(), b = r.nextGaussian(), c = r.nextGaussian(), d = r.nextGaussian();
        double n = Math.sqrt(a * a + b * b + c * c + d * d);
        a /= n;
        b /= n;
        c /= n;
        d /= n;
        return new double[][]{
                {a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
                {2 * (b * c + a * d), a * a - b * b + c * c - d * d, 2 * (c * d - a * b)},
                {2 * (b * d - a * c), 2 * (c * d + a * b), a * a - b * b - c * c + d * d}};
    }

    private static Molecule build(List<Integer> z, List<double[]> pos, String name) {
        int[] zz = z.stream().mapToInt(Integer::intValue).toArray();
        double[] xyz = new double[3 * zz.length];
        for (int i = 0; i < zz.length; i++) System.arraycopy(pos.get(i), 0, xyz, 3 * i, 3);
        return new Molecule(zz, xyz, 0, 1, name, Map.of());
    }

    private static long cellKey(int i, int j, int k) {
        return ((long) (i + 4096) << 26) | ((long) (j + 4096) << 13) | (k + 4096);
    }

    private static int norm2(int[] a) {
        return a[0] * a[0] + a[1] * a[1] + a[2] * a[2];
    }

    private static double[] apply(double[][] q, double[] v) {
        return new double[]{q[0][0] * v[0] + q[0][1] * v[1] + q[0][2] * v[2],
                q[1][0] * v[0] + q[1][1] * v[1] + q[1][2] * v[2],
                q[2][0] * v[0] + q[2][1] * v[1] + q[2][2] * v[2]};
    }

    private static double dist(double[] a, double[] b) {
        double x = a[0] - b[0], y = a[1] - b[1], w = a[2] - b[2];
        return Math.sqrt(x * x + y * y + w * w);
    }

    private static double[] add(double[] a, double[] b) {
        return new double[]{a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }

    private static double[] sub(double[] a, double[] b) {
        return new double[]{a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    private static double[] scale(double[] a, double s) {
        return new double[]{a[0] * s, a[1] * s, a[2] * s};
    }

    private static double[] unit(double[] a) {
        return scale(a, 1 / Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]));
    }
}
