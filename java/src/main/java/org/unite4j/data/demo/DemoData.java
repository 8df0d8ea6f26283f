package org.unite4j.data.demo;

import org.unite4j.chem.Molecule;
import org.unite4j.chem.io.ExtXyzReader;
import org.unite4j.chem.dynamics.Bfgs;
import org.unite4j.chem.io.ExtXyzWriter;
import org.unite4j.chem.io.Frame;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.util.Progress;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * A self-contained demo data set: distorted conformers of small neutral molecules labelled with
 * GFN2-xTB (and GFN1-xTB) through the in-process libxtb, written as extended XYZ.
 *
 * <p>The molecules ({@link #startGeometries()}: 15 closed-shell molecules of H C N O F S Cl, 3 to 9
 * atoms) come from a resource the project writes (textbook bond lengths and angles, Angstrom).
 * Each is first relaxed to its GFN2-xTB minimum x0 ({@link #minima()}: Cartesian BFGS until every
 * gradient component is below {@value #GRADIENT_TOLERANCE} Eh/bohr). A conformer is then
 * <pre>
 *   x = R (x0 - c + sigma * xi),   xi ~ N(0, 1)^(3N),   sigma ~ U[{@value #SIGMA_MIN}, {@value #SIGMA_MAX}] Angstrom
 * </pre>
 * with c the centroid of x0 and R a uniformly random rotation (a normalised Gaussian quaternion);
 * a draw with two atoms closer than {@value #MIN_DISTANCE_ANGSTROM} Angstrom is rejected and
 * redrawn. Each frame carries the comment-line keys
 * {@code name}, {@code conformer} (0-based index within its molecule), {@code charge=0},
 * {@code multiplicity=1}, {@code energy_gfn2} (total energy, Hartree), {@code dipole_gfn2}
 * ("x y z", e*bohr, in the frame's coordinates) and {@code energy_gfn1} (Hartree, same geometry,
 * for delta learning).
 *
 * <p>Deterministic: the random numbers of conformer k of molecule i come from a generator seeded
 * by (seed, i, k) alone, and labels are computed independently per frame, so the same seed gives
 * the same bytes however many threads label.
 */
public final class DemoData {
    public static final String ENERGY_GFN2 = "energy_gfn2";
    public static final String DIPOLE_GFN2 = "dipole_gfn2";
    public static final String ENERGY_GFN1 = "energy_gfn1";
    public static final String CONFORMER = "conformer";

    /** Smallest and largest per-conformer displacement width, Angstrom. */
    public static final double SIGMA_MIN = 0.02, SIGMA_MAX = 0.05;
    /** Draws with two atoms closer than this (Angstrom) are rejected. */
    public static final double MIN_DISTANCE_ANGSTROM = 0.7;
    /** Convergence of the minimisation: largest gradient component, Hartree/bohr. */
    public static final double GRADIENT_TOLERANCE = 2e-5;

    private static final String RESOURCE = "molecules.xyz";
    private static volatile List<Molecule> minima;

    private DemoData() {
    }

    /**
     * Generates {@code conformersPerMolecule} labelled conformers of every demo molecule and writes
     * them to {@code outExtxyz} atomically (molecule by molecule, conformers in order).
     *
     * @param progressOrNull stepped once per frame labelled; its total should be
     *                       {@link #frameCount(int)}
     * @return the number of frames written
     * @throws IllegalArgumentException if conformersPerMolecule < 1
     * @throws UncheckedIOException     if the file cannot be written
     */
    public static int generate(int conformersPerMolecule, long seed, Path outExtxyz, Progress progressOrNull) {
        return generate(conformersPerMolecule, seed, outExtxyz, progressOrNull, Runtime.getRuntime().availableProcessors());
    }

    /** {@link #generate(int, long, Path, Progress)} labelling on {@code threads} threads (same bytes for any count). */
    static int generate(int conformersPerMolecule, long seed, Path outExtxyz, Progress progressOrNull, int threads) {
        if (conformersPerMolecule < 1)
            throw new IllegalArgumentException("conformers per molecule must be >= 1, got " + conformersPerMolecule);
        List<Molecule> mins = minima();
        List<Molecule> geometries = new ArrayList<>(mins.size() * conformersPerMolecule);
        for (int i = 0; i < mins.size(); i++)
            for (int k = 0; k < conformersPerMolecule; k++)
                geometries.add(conformer(mins.get(i), k, new SplittableRandom(mix(seed, i, k))));
        List<Frame> frames = parallel(geometries.size(), threads, j -> {
            Frame f = Frame.of(label(geometries.get(j)));
            if (progressOrNull != null) progressOrNull.step();
            return f;
        });
        try {
            ExtXyzWriter.write(outExtxyz, frames);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + outExtxyz + ": " + e.getMessage(), e);
        }
        return frames.size();
    }

    /** Number of frames {@link #generate} writes for this many conformers per molecule. */
    public static int frameCount(int conformersPerMolecule) {
        return startGeometries().size() * conformersPerMolecule;
    }

    /** The demo molecules as written in the project's resource (Angstrom, name, charge 0, singlet). */
    public static List<Molecule> startGeometries() {
        try (InputStream in = DemoData.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("resource " + RESOURCE + " of " + DemoData.class.getPackageName() + " is missing");
            try (ExtXyzReader r = ExtXyzReader.of(new InputStreamReader(in, StandardCharsets.UTF_8), RESOURCE)) {
                return r.toList().stream().map(Frame::molecule).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The demo molecules at their GFN2-xTB minima, centred at the origin; info holds
     * {@code energy_gfn2} (Hartree) at the minimum. Computed once per JVM (in parallel).
     */
    public static List<Molecule> minima() {
        List<Molecule> m = minima;
        if (m == null) {
            synchronized (DemoData.class) {
                m = minima;
                if (m == null) {
                    List<Molecule> start = startGeometries();
                    m = List.copyOf(parallel(start.size(), Runtime.getRuntime().availableProcessors(), i -> {
                        Bfgs.Result r = Bfgs.minimize(start.get(i), SinglePoint.potential(XtbMethod.GFN2), GRADIENT_TOLERANCE, 500, null);
                        Map<String, String> info = new LinkedHashMap<>(r.molecule().info());
                        info.put(ENERGY_GFN2, Double.toString(r.energy()));
                        Molecule c = centred(r.molecule());
                        return new Molecule(c.atomicNumbers(), c.positions(), c.charge(), c.multiplicity(), c.name(), info);
                    }));
                    minima = m;
                }
            }
        }
        return m;
    }

    /** Conformer k of a molecule at its minimum: Gaussian distortion, then a random rotation. */
    static Molecule conformer(Molecule minimum, int k, SplittableRandom rng) {
        double sigma = SIGMA_MIN + (SIGMA_MAX - SIGMA_MIN) * rng.nextDouble();
        double[] x0 = minimum.positions();
        double[] x = new double[x0.length];
        for (int attempt = 0; ; attempt++) {
            if (attempt == 1000)
                throw new IllegalStateException(minimum.name() + ": no distortion without atoms closer than "
                        + MIN_DISTANCE_ANGSTROM + " A in 1000 draws");
            for (int i = 0; i < x.length; i++) x[i] = x0[i] + sigma * rng.nextGaussian();
            if (minDistance(x) >= MIN_DISTANCE_ANGSTROM) break;
        }
        Map<String, String> info = new LinkedHashMap<>();
        info.put("name", minimum.name());
        info.put(CONFORMER, Integer.toString(k));
        Molecule m = new Molecule(minimum.atomicNumbers(), x, minimum.charge(), minimum.multiplicity(), minimum.name(), info);
        return m.transformed(randomRotation(rng));
    }

    /**
     * The molecule with GFN2 energy and dipole and the GFN1 energy added to its info (after
     * {@code name}, {@code conformer}, {@code charge}, {@code multiplicity}).
     */
    static Molecule label(Molecule m) {
        SinglePoint gfn2 = SinglePoint.of(m, XtbMethod.GFN2);
        SinglePoint gfn1 = SinglePoint.of(m, XtbMethod.GFN1);
        Map<String, String> info = new LinkedHashMap<>(m.info());
        info.put("charge", Integer.toString(m.charge()));
        info.put("multiplicity", Integer.toString(m.multiplicity()));
        info.put(ENERGY_GFN2, Double.toString(gfn2.energy()));
        double[] d = gfn2.dipole();
        info.put(DIPOLE_GFN2, d[0] + " " + d[1] + " " + d[2]);
        info.put(ENERGY_GFN1, Double.toString(gfn1.energy()));
        return new Molecule(m.atomicNumbers(), m.positions(), m.charge(), m.multiplicity(), m.name(), info);
    }

    /** A uniformly distributed rotation matrix: the normalised quaternion of four Gaussians. */
    static double[][] randomRotation(SplittableRandom rng) {
        double w, a, b, c, n;
        do {
            w = rng.nextGaussian();
            a = rng.nextGaussian();
            b = rng.nextGaussian();
            c = rng.nextGaussian();
            n = Math.sqrt(w * w + a * a + b * b + c * c);
        } while (n < 1e-6);
        w /= n;
        a /= n;
        b /= n;
        c /= n;
        return new double[][]{
                {1 - 2 * (b * b + c * c), 2 * (a * b - w * c), 2 * (a * c + w * b)},
                {2 * (a * b + w * c), 1 - 2 * (a * a + c * c), 2 * (b * c - w * a)},
                {2 * (a * c - w * b), 2 * (b * c + w * a), 1 - 2 * (a * a + b * b)}};
    }

    static double minDistance(double[] x) {
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < x.length; i += 3)
            for (int j = 0; j < i; j += 3) {
                double dx = x[i] - x[j], dy = x[i + 1] - x[j + 1], dz = x[i + 2] - x[j + 2];
                min = Math.min(min, Math.sqrt(dx * dx + dy * dy + dz * dz));
            }
        return min;
    }

    private static Molecule centred(Molecule m) {
        double[] x = m.positions();
        int n = m.size();
        for (int k = 0; k < 3; k++) {
            double c = 0;
            for (int i = 0; i < n; i++) c += x[3 * i + k];
            c /= n;
            for (int i = 0; i < n; i++) x[3 * i + k] -= c;
        }
        return m.withPositions(x);
    }

    /** SplitMix64 finaliser over (seed, i, k): independent streams per conformer. */
    static long mix(long seed, int i, int k) {
        long z = seed;
        z = splitmix(z + 0x9E3779B97F4A7C15L * (i + 1));
        z = splitmix(z + 0xBF58476D1CE4E5B9L * (k + 1));
        return z;
    }

    private static long splitmix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** f(0..n-1) on up to {@code maxThreads} threads, results in index order. */
    private static <T> List<T> parallel(int n, int maxThreads, IntFunction<T> f) {
        if (maxThreads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + maxThreads);
        int threads = Math.max(1, Math.min(n, maxThreads));
        List<T> out = new ArrayList<>(n);
        if (threads == 1) {
            for (int i = 0; i < n; i++) out.add(f.apply(i));
            return out;
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "demo-data");
            t.setDaemon(true);
            return t;
        })) {
            List<Future<T>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int idx = i;
                futures.add(pool.submit(() -> f.apply(idx)));
            }
            try {
                for (Future<T> fu : futures) out.add(fu.get());
            } catch (ExecutionException e) {
                pool.shutdownNow();
                if (e.getCause() instanceof RuntimeException re) throw re;
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                pool.shutdownNow();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return out;
    }
}
