package org.unite4j.cli;

import org.unite4j.chem.Molecule;
import org.unite4j.chem.io.FrameReader;
import org.unite4j.chem.io.MoleculeReader;
import org.unite4j.chem.io.NpzWriter;
import org.unite4j.chem.xtb.XtbEnvironment;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbFeatures;
import org.unite4j.chem.xtb.XtbMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code unite featurize}: GFN-xTB single points of every molecule of a file, written to one .npz
 * with, per molecule i: {@code i/F}, {@code i/P}, {@code i/S}, {@code i/W} (float64 nao x nao, AO
 * basis in the project's real-spherical-harmonic convention), {@code i/Z} (int32), {@code i/R}
 * (float64 [n,3], Angstrom), {@code i/energy} (Hartree), {@code i/shells} (int32 rows atom, n, l),
 * and {@code i/gradient} (Hartree/bohr), {@code i/dipole} (e*bohr), {@code i/charges} (e).
 */
@Command(name = "featurize",
        mixinStandardHelpOptions = true,
        description = {"Run in-process GFN-xTB single points (libxtb) on every molecule of a file and write the AO operators "
                + "F (Fock), P (density), S (overlap), W (energy-weighted density) to an .npz.",
                "Per molecule i: i/F i/P i/S i/W [nao,nao] float64 (our m=-l..l order), i/Z, i/R [n,3] Angstrom, "
                        + "i/energy Hartree, i/shells [rows: atom, n, l], i/gradient Eh/bohr, i/dipole e*bohr, i/charges e."})
public final class FeaturizeCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Molecules (.xyz, .extxyz, .sdf, .mol, .npz).")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "OUT.npz", description = "Output archive (written atomically).")
    Path out;

    @Option(names = "--method", defaultValue = "gfn1", paramLabel = "gfn1|gfn2", description = "Hamiltonian (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--threads", paramLabel = "N", description = "Molecules featurized in parallel (default: all cores).")
    Integer threads;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N molecules of the file.")
    Integer limit;

    @Option(names = "--accuracy", defaultValue = "1.0", paramLabel = "A", description = "xtb numerical accuracy, 1e-4..1e3; smaller is tighter (default: ${DEFAULT-VALUE}).")
    double accuracy;

    @Option(names = "--skip-failed", description = "Skip molecules whose calculation fails (reported on stderr) instead of stopping.")
    boolean skipFailed;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        XtbMethod m = XtbMethod.parse(method);
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (nThreads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + nThreads);
        if (limit != null && limit < 1) throw new IllegalArgumentException("--limit must be >= 1, got " + limit);
        if (!(accuracy >= 1e-4 && accuracy <= 1e3)) throw new IllegalArgumentException("--accuracy must be in [1e-4, 1e3], got " + accuracy);
        if (Files.exists(out) && Files.exists(data) && Files.isSameFile(out, data))
            throw new IllegalArgumentException("--out " + out + " is the input file --data " + data + ": choose another file");
        XtbEnvironment.availabilityProblem().ifPresent(p -> {
            throw new IllegalArgumentException("libxtb is not available (install the libxtb6 package): " + p);
        });
        List<Molecule> mols = new ArrayList<>();
        try (FrameReader r = MoleculeReader.open(data)) {
            while (r.hasNext() && (limit == null || mols.size() < limit)) mols.add(r.next().molecule());
        }
        if (mols.isEmpty()) throw new IllegalArgumentException(data + ": no molecules in the file");
        XtbFeaturizer fz = new XtbFeaturizer(m, accuracy, 300.0, 250);
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, mols.size());
        long t0 = System.nanoTime();
        int written = 0;
        List<String> failures = new ArrayList<>();
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        NpzWriter w = NpzWriter.create(out);
        try {
            int chunk = Math.max(16, 32 * nThreads); // stream: only one chunk of results in memory
            for (int start = 0; start < mols.size(); start += chunk) {
                List<Molecule> part = mols.subList(start, Math.min(mols.size(), start + chunk));
                int base = start;
                List<XtbFeaturizer.Outcome> results = fz.featurizeEach(part, nThreads, k -> progress.update(base + k));
                List<XtbFeatures> feats = new ArrayList<>();
                for (int i = 0; i < results.size(); i++) {
                    XtbFeaturizer.Outcome o = results.get(i);
                    if (o.ok()) { feats.add(o.features()); continue; }
                    String msg = data + ": " + renumber(o.error().getMessage(), base);
                    if (!skipFailed) throw new IllegalArgumentException(msg + " (use --skip-failed to skip such molecules)", o.error());
                    failures.add(msg);
                    feats.add(null);
                }
                for (int i = 0; i < feats.size(); i++) {
                    XtbFeatures f = feats.get(i);
                    if (f == null) continue;
                    write(w, String.valueOf(base + i), f);
                    written++;
                }
            }
        } catch (IOException | RuntimeException e) {
            w.abort();
            progress.finish();
            throw e;
        }
        w.close();
        progress.finish();
        for (String f : failures) err.println("unite featurize: skipped " + f);
        err.flush();
        double s = (System.nanoTime() - t0) * 1e-9;
        spec.commandLine().getOut().printf(Locale.ROOT,
                "featurized %d of %d molecules with %s on %d thread%s in %.2f s (%.1f molecules/s) -> %s%n",
                written, mols.size(), m, nThreads, nThreads == 1 ? "" : "s", s, mols.size() / s, out);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** "molecule 3 (...)" inside a chunk starting at base -> "molecule base+3 (...)". */
    private static String renumber(String msg, int base) {
        var mt = java.util.regex.Pattern.compile("^molecule (\\d+)").matcher(msg == null ? "" : msg);
        return mt.find() ? "molecule " + (Integer.parseInt(mt.group(1)) + base) + msg.substring(mt.end()) : msg;
    }

    static void write(NpzWriter w, String i, XtbFeatures f) throws IOException {
        int n = f.nao(), na = f.molecule().size();
        for (String op : XtbFeatures.OPERATORS) w.write(i + "/" + op, f.operator(op), n, n);
        w.write(i + "/Z", f.molecule().atomicNumbers(), na);
        w.write(i + "/R", f.molecule().positions(), na, 3);
        w.write(i + "/energy", new double[]{f.energy()});
        int[] shells = f.basis().shellTable();
        w.write(i + "/shells", shells, shells.length / 3, 3);
        w.write(i + "/gradient", f.gradient(), na, 3);
        w.write(i + "/dipole", f.dipole(), 3);
        w.write(i + "/charges", f.charges(), na);
    }

    /** A one-line progress bar on stderr, redrawn at most every 200 ms. */
    static final class Progress {
        private final PrintWriter err;
        private final int total;
        private final long t0 = System.nanoTime();
        private long lastDraw;
        private int done;
        private boolean drawn;

        Progress(PrintWriter err, int total) {
            this.err = err;
            this.total = total;
        }

        synchronized void update(int k) {
            done = Math.max(done, k);
            long now = System.nanoTime();
            if (done < total && now - lastDraw < 200_000_000L) return;
            lastDraw = now;
            double s = (now - t0) * 1e-9;
            double rate = done / Math.max(s, 1e-9);
            int width = 30, fill = (int) ((long) width * done / total);
            String eta = done == 0 ? "?" : String.format(Locale.ROOT, "%.0fs", (total - done) / rate);
            err.printf(Locale.ROOT, "\rfeaturize [%s%s] %d/%d %3d%% %.1f mol/s ETA %s ",
                    "#".repeat(fill), "-".repeat(width - fill), done, total, 100L * done / total, rate, eta);
            err.flush();
            drawn = true;
        }

        synchronized void finish() {
            if (drawn) err.println();
            err.flush();
            drawn = false;
        }
    }
}
