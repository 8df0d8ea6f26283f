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

    @picocli.CommandLine.Mixin
    MoleculeReadOptions.Cell cell;

    @picocli.CommandLine.Mixin
    MoleculeReadOptions.Size size;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        XtbMethod m = XtbMethod.parse(method);
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (nThreads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + nThreads);
        if (limit != null && limit < 1) throw new IllegalArgumentException("--limit must be >= 1, got " + limit);
        if (!(accuracy >= 1e-4 && accuracy <= 1e3)) throw new IllegalArgumentException("--accuracy must be in [1e-4, 1e3], got " + accuracy);
        OutputGuard.refuseFile("--out", out, new OutputGuard.Input("--data", data));
        XtbEnvironment.availabilityProblem().ifPresent(p -> {
            throw new IllegalArgumentException("libxtb is not available (install the libxtb6 package): " + p);
        });
        List<Molecule> mols = new ArrayList<>();
        try (FrameReader r = MoleculeReader.open(data, size.with(cell))) {
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
        LargeMolecules large = new LargeMolecules(progress, m);
        try {
            int chunk = Math.max(16, 32 * nThreads); // stream: only one chunk of results in memory
            for (int start = 0; start < mols.size(); start += chunk) {
                List<Molecule> part = mols.subList(start, Math.min(mols.size(), start + chunk));
                int base = start;
                List<XtbFeaturizer.Outcome> results = fz.featurizeEach(part, nThreads, k -> progress.update(base + k),
                        large.of(part, base));
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
            // --skip-failed with every molecule failing: an error, not an empty archive
            if (written == 0) throw nothingSucceeded(failures, mols.size());
        } catch (IOException | RuntimeException e) {
            w.abort();
            progress.finish();
            throw e;
        } finally {
            large.close();
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

    /**
     * The error of a run that skipped every molecule: "nothing succeeded: N of N molecules failed;
     * first error: ...". {@code failures} are the skipped molecules' messages, in order.
     */
    static IllegalArgumentException nothingSucceeded(List<String> failures, int total) {
        return new IllegalArgumentException("nothing succeeded: " + failures.size() + " of " + total
                + " molecules failed; first error: " + failures.getFirst());
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

    /** Molecules from this many atoms on get a start line, a line every {@link LargeMolecules#REPORT_EVERY_S} s and an end line. */
    static final int LARGE_ATOMS = 150;

    /**
     * The progress of single large molecules, whose GFN-xTB run alone takes seconds to minutes
     * (README, size limits), so that a file of one such molecule is not a silent wait: on stderr a
     * line when one starts (atoms, AOs), one every {@link #REPORT_EVERY_S} s while it runs, and
     * one with its time when it ends.
     */
    static final class LargeMolecules implements AutoCloseable {
        static final long REPORT_EVERY_S = 30;
        private final Progress bar;
        private final XtbMethod method;
        private final java.util.Map<Integer, Long> running = new java.util.concurrent.ConcurrentSkipListMap<>();
        private java.util.concurrent.ScheduledExecutorService timer;

        LargeMolecules(Progress bar, XtbMethod method) {
            this.bar = bar;
            this.method = method;
        }

        /** The listener for the chunk {@code part} whose first molecule is molecule {@code base} of the file. */
        XtbFeaturizer.Listener of(List<Molecule> part, int base) {
            return new XtbFeaturizer.Listener() {
                @Override
                public void started(int i) {
                    Molecule mol = part.get(i);
                    if (mol.size() < LARGE_ATOMS) return;
                    int nao;
                    try {
                        nao = org.unite4j.chem.xtb.XtbBasisSet.basis(mol, method).numAo();
                    } catch (IllegalArgumentException unsupported) {
                        return; // an element without a basis: the featurizer refuses it at once, as the molecule's error
                    }
                    bar.println(String.format(Locale.ROOT, "unite featurize: molecule %d (%s): %d atoms, %d AOs, a large molecule: "
                            + "its %s single point takes seconds to minutes", base + i, mol.formula(), mol.size(), nao, method));
                    running.put(base + i, System.nanoTime());
                    startTimer();
                }

                @Override
                public void finished(int i, XtbFeaturizer.Outcome o) {
                    Long t0 = running.remove(base + i);
                    if (t0 == null) return;
                    bar.println(String.format(Locale.ROOT, "unite featurize: molecule %d %s after %.1f s", base + i,
                            o.ok() ? "done" : "failed", (System.nanoTime() - t0) * 1e-9));
                }
            };
        }

        private synchronized void startTimer() {
            if (timer != null) return;
            timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "featurize-progress");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(() -> {
                long now = System.nanoTime();
                for (var e : running.entrySet())
                    bar.println(String.format(Locale.ROOT, "unite featurize: molecule %d still running, %.0f s so far", e.getKey(),
                            (now - e.getValue()) * 1e-9));
            }, REPORT_EVERY_S, REPORT_EVERY_S, java.util.concurrent.TimeUnit.SECONDS);
        }

        @Override
        public synchronized void close() {
            if (timer != null) timer.shutdownNow();
        }
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

        /** Prints a line of its own: ends a drawn bar's line first (the next update redraws it). */
        synchronized void println(String line) {
            if (drawn) err.println();
            drawn = false;
            err.println(line);
            err.flush();
        }

        synchronized void finish() {
            if (drawn) err.println();
            err.flush();
            drawn = false;
        }
    }
}
