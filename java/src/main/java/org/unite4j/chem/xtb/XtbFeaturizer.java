package org.unite4j.chem.xtb;

import org.unite4j.chem.Molecule;
import org.unite4j.tensor.Basis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Featurizes molecules with an in-process GFN1-xTB (default) or GFN2-xTB single point through
 * libxtb: energy, gradient, dipole, charges and the AO operators F, P, S, W in our convention
 * (see {@link XtbFeatures} for the formulas, {@link XtbBasisSet} for the AO order).
 *
 * <p>Thread-safe: each call builds its own xtb environment, molecule, calculator and results and
 * frees them before returning; libxtb's OpenMP regions run on the calling thread, so results do
 * not depend on how many molecules run in parallel (bitwise).
 */
public final class XtbFeaturizer {
    private final XtbMethod method;
    private final double accuracy;
    private final double electronicTemperature;
    private final int maxIterations;

    /** libxtb's defaults (the {@code xtb} program's too): accuracy 1, 300 K, 250 iterations. */
    public XtbFeaturizer(XtbMethod method) {
        this(method, 1.0, 300.0, 250);
    }

    public XtbFeaturizer(XtbMethod method, double accuracy, double electronicTemperatureK, int maxIterations) {
        this.method = method;
        this.accuracy = accuracy;
        this.electronicTemperature = electronicTemperatureK;
        this.maxIterations = maxIterations;
    }

    public XtbMethod method() { return method; }

    /**
     * Runs one single point. Bad input (unsupported element, atoms closer than 0.1 A, impossible
     * charge/spin) throws IllegalArgumentException before libxtb is called; a failed calculation
     * throws {@link XtbException} with libxtb's message.
     */
    public XtbFeatures featurize(Molecule m) {
        return ON_XTB_STACK.get() ? featurizeHere(m) : onXtbStack(() -> featurizeHere(m));
    }

    /**
     * Stack size of the threads that call libxtb. libxtb keeps large automatic arrays on the
     * calling thread's stack and segfaults (killing the JVM) above about 150 atoms on an ordinary
     * Java thread stack; the address space is only reserved, not committed.
     */
    static final long XTB_STACK_BYTES = 1L << 30;
    private static final ThreadLocal<Boolean> ON_XTB_STACK = ThreadLocal.withInitial(() -> false);

    /** A thread with {@link #XTB_STACK_BYTES} of stack that may call libxtb directly. */
    static Thread xtbThread(Runnable r, String name) {
        Thread t = new Thread(null, () -> {
            ON_XTB_STACK.set(true);
            r.run();
        }, name, XTB_STACK_BYTES);
        t.setDaemon(true);
        return t;
    }

    /** Runs {@code task} on a fresh thread with a large stack and returns its result (or rethrows). */
    private static <T> T onXtbStack(java.util.function.Supplier<T> task) {
        java.util.concurrent.atomic.AtomicReference<T> result = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> error = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = xtbThread(() -> {
            try {
                result.set(task.get());
            } catch (Throwable e) {
                error.set(e);
            }
        }, "xtb");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for xtb", e);
        }
        Throwable e = error.get();
        if (e instanceof RuntimeException re) throw re;
        if (e instanceof Error er) throw er;
        return result.get();
    }

    private XtbFeatures featurizeHere(Molecule m) {
        Basis basis = XtbBasisSet.basis(m, method);
        try (XtbEnvironment env = new XtbEnvironment();
             XtbMolecule mol = new XtbMolecule(env, m, method);
             XtbCalculator calc = new XtbCalculator(env, mol, method)) {
            calc.setAccuracy(accuracy);
            calc.setElectronicTemperature(electronicTemperature);
            calc.setMaxIterations(maxIterations);
            try (XtbResults res = calc.singlepoint(mol)) {
                int n = res.nao();
                if (n != basis.numAo())
                    throw new XtbException("libxtb reports " + n + " AOs for " + m.formula() + ", the " + method
                            + " shell table gives " + basis.numAo());
                double[] eps = res.orbitalEigenvalues();
                double[] occ = res.orbitalOccupations();
                double[] cx = res.orbitalCoefficients();
                // C in our AO order, row-major [ao][mo].
                int[] index = new int[n];
                double[] sign = new double[n];
                XtbBasisSet.xtbToOurs(basis, index, sign);
                double[] c = new double[n * n];
                for (int i = 0; i < n; i++)
                    for (int mo = 0; mo < n; mo++) c[i * n + mo] = sign[i] * cx[mo * n + index[i]];
                double[] p = congruence(c, occ, n, false);
                double[] fe = new double[n];
                for (int k = 0; k < n; k++) fe[k] = occ[k] * eps[k];
                double[] w = congruence(c, fe, n, false);
                double[] x = DenseLinearAlgebra.inverse(c, n, "MO coefficient matrix of " + m.formula());
                double[] s = congruence(x, null, n, true);
                double[] f = congruence(x, eps, n, true);
                return new XtbFeatures(m, method, basis, res.energy(), res.gradient(), res.dipole(), res.charges(),
                        eps, occ, f, p, s, w);
            }
        }
    }

    /**
     * transposed = false: A diag(d) A^T; transposed = true: A^T diag(d) A (d = null: identity),
     * for a row-major n x n A. Symmetric by construction.
     */
    static double[] congruence(double[] a, double[] d, int n, boolean transposed) {
        double[] out = new double[n * n];
        double[] row = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double v = transposed ? a[k * n + i] : a[i * n + k];
                row[k] = d == null ? v : v * d[k];
            }
            for (int j = 0; j <= i; j++) {
                double sum = 0;
                if (transposed) for (int k = 0; k < n; k++) sum += row[k] * a[k * n + j];
                else for (int k = 0; k < n; k++) sum += row[k] * a[j * n + k];
                out[i * n + j] = sum;
                out[j * n + i] = sum;
            }
        }
        return out;
    }

    /** The result of one molecule of a batch: features, or the error that stopped it. */
    public record Outcome(XtbFeatures features, RuntimeException error) {
        public boolean ok() { return error == null; }
    }

    /**
     * Featurizes many molecules on {@code threads} threads; results in input order, identical to
     * serial. {@code progress} (may be null) receives the number done so far after each molecule.
     *
     * @throws IllegalArgumentException / XtbException of the first failing molecule (in input
     *                                  order), naming it (index, formula, name)
     */
    public List<XtbFeatures> featurizeAll(List<Molecule> molecules, int threads, IntConsumer progress) {
        List<XtbFeatures> out = new ArrayList<>(molecules.size());
        for (Outcome o : featurizeEach(molecules, threads, progress, true)) {
            if (!o.ok()) throw o.error();
            out.add(o.features());
        }
        return out;
    }

    /**
     * Like {@link #featurizeAll} but returns every molecule's outcome, failures included (their
     * errors name the molecule), so a caller can skip bad molecules.
     */
    public List<Outcome> featurizeEach(List<Molecule> molecules, int threads, IntConsumer progress) {
        return featurizeEach(molecules, threads, progress, false, null);
    }

    /** Hears when each molecule of a batch starts and ends (on the thread that computes it). */
    public interface Listener {
        /** Molecule {@code i} of the batch is about to be computed. */
        void started(int i);

        /** Molecule {@code i} is done (features or error). */
        void finished(int i, Outcome outcome);
    }

    /** {@link #featurizeEach(List, int, IntConsumer)} that also tells {@code listener} when each molecule starts and ends. */
    public List<Outcome> featurizeEach(List<Molecule> molecules, int threads, IntConsumer progress, Listener listener) {
        return featurizeEach(molecules, threads, progress, false, listener);
    }

    private List<Outcome> featurizeEach(List<Molecule> molecules, int threads, IntConsumer progress, boolean stopAtFirstError) {
        return featurizeEach(molecules, threads, progress, stopAtFirstError, null);
    }

    private List<Outcome> featurizeEach(List<Molecule> molecules, int threads, IntConsumer progress, boolean stopAtFirstError,
                                        Listener listener) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        AtomicInteger done = new AtomicInteger();
        List<Outcome> out = new ArrayList<>(molecules.size());
        if (threads == 1) {
            for (int i = 0; i < molecules.size(); i++) {
                Outcome o = outcome(molecules, i, listener);
                out.add(o);
                if (progress != null) progress.accept(done.incrementAndGet());
                if (stopAtFirstError && !o.ok()) break;
            }
            return out;
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(threads, r -> xtbThread(r, "xtb-featurizer"))) {
            List<Future<Outcome>> futures = new ArrayList<>(molecules.size());
            for (int i = 0; i < molecules.size(); i++) {
                int idx = i;
                futures.add(pool.submit(() -> {
                    Outcome o = outcome(molecules, idx, listener);
                    if (progress != null) progress.accept(done.incrementAndGet());
                    return o;
                }));
            }
            try {
                for (Future<Outcome> fu : futures) {
                    Outcome o = fu.get();
                    out.add(o);
                    if (stopAtFirstError && !o.ok()) {
                        pool.shutdownNow();
                        break;
                    }
                }
            } catch (ExecutionException e) {
                pool.shutdownNow();
                throw new IllegalStateException("featurizer thread failed", e.getCause());
            } catch (InterruptedException e) {
                pool.shutdownNow();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return out;
    }

    private Outcome outcome(List<Molecule> molecules, int i, Listener listener) {
        if (listener != null) listener.started(i);
        Outcome o;
        try {
            o = new Outcome(featurizeNamed(molecules, i), null);
        } catch (XtbException | IllegalArgumentException e) {
            o = new Outcome(null, e);
        }
        if (listener != null) listener.finished(i, o);
        return o;
    }

    private XtbFeatures featurizeNamed(List<Molecule> molecules, int i) {
        Molecule m = molecules.get(i);
        try {
            return featurize(m);
        } catch (XtbException e) {
            throw new XtbException(describe(i, m) + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(describe(i, m) + ": " + e.getMessage(), e);
        }
    }

    private static String describe(int i, Molecule m) {
        return "molecule " + i + " (" + m.formula() + (m.name().isEmpty() ? "" : ", " + m.name()) + ")";
    }
}
