package org.unite4j.bench;

import org.unite4j.backend.Backend;
import org.unite4j.backend.Backends;
import org.unite4j.backend.cpu.Parallel;
import org.unite4j.chem.xtb.XtbEnvironment;
import org.unite4j.chem.xtb.XtbFeatures;
import org.unite4j.report.Plots;
import org.unite4j.io.Json;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The scaling sweep behind {@code unite bench scaling}: for inputs of growing size (generated
 * alkanes and water clusters featurized with GFN1-xTB, synthetic tensors; each with the cutoff,
 * and dense contrasts with every atom pair kept) it times each op of {@link ScalingOps} and, on the
 * xtb inputs, the whole UNiTE model forward and forward+backward ({@link ModelOps}) (median of
 * repeats after warm-up, {@link Timing}) and fits t = a nnz^k and t = a' atoms^k' by least squares
 * in log-log space ({@link LogLogFit}). The model runs on every input up to
 * {@link Config#modelMaxNnz()} blocks (on the synthetic ones with four synthetic operators,
 * {@link SyntheticTensors#graph}). With the cutoff the work is linear in the non-zero blocks
 * (k = 1) and, once the molecule is longer than the cutoff radius, in the atoms too; without it,
 * nnz = atoms^2 and the cost grows with atoms squared.
 */
public final class ScalingSweep {

    /**
     * What to run.
     *
     * @param alkanes         carbon counts n of the alkanes C_nH_{2n+2} (empty: none)
     * @param waters          molecule counts of the (H2O)_n clusters featurized with xtb
     * @param synthetic       water counts of the synthetic geometries (with the cutoff)
     * @param syntheticDense  water counts of the synthetic dense contrast
     * @param alkaneDense     whether to add the alkanes with the cutoff disabled
     * @param minSampleSeconds a timing sample lasts at least this long (short ops are batched)
     * @param modelMaxNnz     the whole model runs on the inputs up to this many blocks (its
     *                        activations and tape grow ~40 KB per block)
     */
    public record Config(String backend, int channels, int[] alkanes, int[] waters, int[] synthetic, int[] syntheticDense,
                         boolean alkaneDense, int warmups, int repeats, double minSampleSeconds, long seed, long modelMaxNnz) {

        /**
         * The --quick sweep: about two minutes on a busy 2-core machine. On a GPU the synthetic
         * inputs go on to 16384 waters (2.5e6 blocks): a GPU is filled only from ~1e5 blocks.
         */
        public static Config quick(String backend) {
            int[] syn = backend.equals("cpu") ? new int[]{1, 4, 16, 64, 256, 1024} : new int[]{1, 4, 16, 64, 256, 1024, 4096, 16384};
            return new Config(backend, 16, new int[]{2, 4, 8, 16, 32, 64}, new int[]{2, 4, 8, 16, 32},
                    syn, new int[]{4, 8, 16, 32, 64, 128}, true, 2, 5, 0.02, 42, 40_000);
        }

        /**
         * The full sweep (alkanes to C128H258, synthetic to 12288 atoms / ~6e5 blocks; on a GPU to
         * 49152 atoms / 2.5e6 blocks).
         */
        public static Config full(String backend) {
            int[] syn = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};
            if (!backend.equals("cpu")) syn = java.util.stream.IntStream.concat(java.util.Arrays.stream(syn), java.util.stream.IntStream.of(8192, 16384)).toArray();
            return new Config(backend, 16, new int[]{1, 2, 4, 8, 16, 32, 48, 64, 96, 128}, new int[]{1, 2, 4, 8, 16, 32, 64},
                    syn, new int[]{4, 8, 16, 32, 64, 128, 192}, true, 3, 5, 0.05, 42, 70_000);
        }

        /**
         * Blocks from which {@link Series#fitLarge()} fits: {@value #LARGE_NNZ} on the CPU, where a
         * call's fixed cost is microseconds; {@value #LARGE_NNZ_DEVICE} on a GPU, whose launches,
         * copies and synchronization cost tens of microseconds per call and which runs below
         * capacity until an input fills its multiprocessors.
         */
        public long largeNnz() {
            return backend.equals("cpu") ? LARGE_NNZ : LARGE_NNZ_DEVICE;
        }

        /**
         * This sweep restricted to the named input families (synthetic, synthetic-dense, alkane,
         * alkane-dense, water). alkane-dense runs with alkane: both time the same featurized
         * molecules, which are the expensive part.
         */
        public Config only(java.util.Set<String> inputs) {
            for (String in : inputs)
                if (!INPUTS.contains(in)) throw new IllegalArgumentException("unknown input family '" + in + "' (known: " + String.join(", ", INPUTS) + ")");
            boolean alk = inputs.contains("alkane") || inputs.contains("alkane-dense");
            return new Config(backend, channels, alk ? alkanes : new int[0], inputs.contains("water") ? waters : new int[0],
                    inputs.contains("synthetic") ? synthetic : new int[0], inputs.contains("synthetic-dense") ? syntheticDense : new int[0],
                    alkaneDense && inputs.contains("alkane-dense"), warmups, repeats, minSampleSeconds, seed, modelMaxNnz);
        }
    }

    /** Blocks from which {@link Series#fitLarge()} fits on the CPU. */
    public static final long LARGE_NNZ = 1000;
    /** Blocks from which {@link Series#fitLarge()} fits on a GPU. */
    public static final long LARGE_NNZ_DEVICE = 100_000;
    /** The input families of a sweep. */
    public static final List<String> INPUTS = List.of("synthetic", "synthetic-dense", "alkane", "alkane-dense", "water");

    /** One timed point. */
    public record Point(String label, int atoms, long nnz, double seconds) {
    }

    /** The points of one op on one input family, with the fits. */
    public record Series(String op, String input, List<Point> points, long largeNnz) {
        /** A series fitted from {@value #LARGE_NNZ} blocks up in {@link #fitLarge()} (the CPU's threshold). */
        public Series(String op, String input, List<Point> points) {
            this(op, input, points, LARGE_NNZ);
        }

        public LogLogFit fitNnz() {
            return fit(Point::nnz);
        }

        public LogLogFit fitAtoms() {
            return fit(p -> (long) p.atoms());
        }

        /**
         * The fit over the points with at least {@code largeNnz} blocks only (the range where a
         * call's fixed cost, microseconds to a few milliseconds, no longer weighs on the line), or
         * null with fewer than 3 such points or less than a decade between them.
         */
        public LogLogFit fitLarge() {
            List<Point> big = points.stream().filter(p -> p.nnz() >= largeNnz).toList();
            long lo = big.stream().mapToLong(Point::nnz).min().orElse(0), hi = big.stream().mapToLong(Point::nnz).max().orElse(0);
            if (big.size() < 3 || hi < 10 * lo) return null;
            return new Series(op, input, big, largeNnz).fitNnz();
        }

        private LogLogFit fit(Function<Point, Long> size) {
            double[] x = new double[points.size()], y = new double[points.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = size.apply(points.get(i));
                y[i] = points.get(i).seconds();
            }
            return LogLogFit.fit(x, y);
        }

        /** The JSON object of this series: op, input, fits and [[nnz, seconds], ...]. */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("op", op);
            m.put("input", input);
            LogLogFit f = fitNnz(), fa = fitAtoms();
            m.put("exponent", round(f.exponent(), 4));
            m.put("r2", round(f.r2(), 4));
            m.put("exponent_atoms", round(fa.exponent(), 4));
            m.put("r2_atoms", round(fa.r2(), 4));
            LogLogFit fl = fitLarge();
            if (fl != null) {
                m.put("exponent_nnz_ge_" + largeNnz, round(fl.exponent(), 4));
                m.put("r2_nnz_ge_" + largeNnz, round(fl.r2(), 4));
            }
            List<Object> pts = new ArrayList<>(), atoms = new ArrayList<>(), labels = new ArrayList<>();
            for (Point p : points) {
                pts.add(List.of(p.nnz(), p.seconds()));
                atoms.add(p.atoms());
                labels.add(p.label());
            }
            m.put("points", pts);
            m.put("atoms", atoms);
            m.put("labels", labels);
            return m;
        }
    }

    /** Everything a run measured. */
    public record Result(Config config, String backend, String dtype, String modelDtype, int threads, List<Series> series,
                         List<String> notes, double wallSeconds, String java, Map<String, Object> heap) {
        /**
         * A run read back from its scaling.json (e.g. timed on a GPU machine whose Java runtime cannot
         * draw, plotted elsewhere); the sizes swept are not kept, only the points.
         */
        @SuppressWarnings("unchecked")
        public static Result fromJson(Map<String, Object> m, String source) {
            for (String key : List.of("backend", "channels", "warmups", "repeats", "model_max_nnz", "threads", "wall_seconds", "series"))
                if (!m.containsKey(key))
                    throw new IllegalArgumentException(source + ": not a scaling.json of `unite bench scaling` (no \"" + key + "\")");
            try {
                String backend = (String) m.get("backend");
                // the threshold the run was fitted with, where the file has such a fit (older CUDA runs: 1000)
                Long large = null;
                for (Object o : (List<Object>) m.get("series"))
                    for (String k : ((Map<String, Object>) o).keySet())
                        if (k.startsWith("exponent_nnz_ge_")) large = Long.parseLong(k.substring("exponent_nnz_ge_".length()));
                Config c = new Config(backend, ((Number) m.get("channels")).intValue(), new int[0], new int[0], new int[0], new int[0],
                        false, ((Number) m.get("warmups")).intValue(), ((Number) m.get("repeats")).intValue(), 0, 0,
                        ((Number) m.get("model_max_nnz")).longValue());
                List<Series> series = new ArrayList<>();
                for (Object o : (List<Object>) m.get("series")) {
                    Map<String, Object> s = (Map<String, Object>) o;
                    List<Object> pts = (List<Object>) s.get("points"), atoms = (List<Object>) s.get("atoms"), labels = (List<Object>) s.get("labels");
                    List<Point> ps = new ArrayList<>();
                    for (int i = 0; i < pts.size(); i++) {
                        List<Object> p = (List<Object>) pts.get(i);
                        ps.add(new Point((String) labels.get(i), ((Number) atoms.get(i)).intValue(), ((Number) p.get(0)).longValue(),
                                ((Number) p.get(1)).doubleValue()));
                    }
                    series.add(new Series((String) s.get("op"), (String) s.get("input"), ps, large != null ? large : c.largeNnz()));
                }
                return new Result(c, backend, (String) m.get("dtype"), (String) m.get("model_dtype"), ((Number) m.get("threads")).intValue(),
                        series, (List<String>) m.get("notes"), ((Number) m.get("wall_seconds")).doubleValue(), (String) m.get("java"),
                        (Map<String, Object>) m.get("heap"));
            } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException | NumberFormatException e) {
                throw new IllegalArgumentException(source + ": a damaged scaling.json (a series without op, input, points, atoms "
                        + "or labels of matching lengths, or a value of the wrong type)", e);
            }
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("backend", backend);
            m.put("dtype", dtype);
            m.put("model_dtype", modelDtype);
            m.put("model_max_nnz", config.modelMaxNnz());
            m.put("threads", threads);
            m.put("channels", config.channels());
            m.put("tensor_product", "edge " + ScalingOps.EDGE_IRREPS + ", node/out " + ScalingOps.NODE_IRREPS + " x " + config.channels() + " channels");
            m.put("warmups", config.warmups());
            m.put("repeats", config.repeats());
            m.put("java", java);
            m.put("heap", heap);
            m.put("wall_seconds", round(wallSeconds, 1));
            m.put("notes", notes);
            List<Object> s = new ArrayList<>();
            for (Series x : series) s.add(x.toJson());
            m.put("series", s);
            return m;
        }
    }

    /**
     * The JVM heap the sweep ran with: initial and maximum MiB, whether it was fixed (initial =
     * maximum) and pre-touched (-XX:+AlwaysPreTouch). With a heap that grows and shrinks (G1's
     * default), the model's large inputs are timed faulting in freshly committed pages; with a
     * fixed but untouched one, the inputs timed while the young generation is first filled are.
     * {@code unite bench scaling} fixes and pre-touches the heap.
     */
    public static Map<String, Object> heap() {
        Map<String, Object> m = new LinkedHashMap<>();
        Runtime rt = Runtime.getRuntime();
        long init, max;
        try {
            var u = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            init = u.getInit();
            max = u.getMax();
        } catch (LinkageError noManagementModule) { // a runtime without java.management
            init = rt.totalMemory() == rt.maxMemory() ? rt.maxMemory() : -1;
            max = rt.maxMemory();
        }
        boolean fixed = init == max, touched = false;
        try { // HotSpot's own options: the pool maximum above leaves out a survivor space on Serial/Parallel GC
            var hs = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (hs != null) {
                touched = "true".equals(hs.getVMOption("AlwaysPreTouch").getValue());
                fixed = hs.getVMOption("InitialHeapSize").getValue().equals(hs.getVMOption("MaxHeapSize").getValue());
            }
        } catch (RuntimeException | LinkageError notHotSpot) {
            // another JVM, or a runtime without jdk.management: reported as not pre-touched
        }
        m.put("initial_mib", init < 0 ? null : init >> 20);
        m.put("max_mib", max >> 20);
        m.put("fixed", fixed);
        m.put("pre_touched", touched);
        return m;
    }

    /** The ops, in the order they are timed and reported. */
    public static final List<String> OPS = List.of("decompose", "tp_forward", "tp_backward", "pool", "model_forward",
            "model_forward_backward");

    private ScalingSweep() {
    }

    /** Runs the sweep; progress lines go to {@code log}. */
    public static Result run(Config c, java.util.function.Consumer<String> log) {
        long t0 = System.nanoTime();
        Backend backend = Backends.get(c.backend());
        Map<String, Map<String, List<Point>>> byInput = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        String[] dtype = {"?"}, modelDtype = {null};
        java.util.function.BiConsumer<Workload, ModelOps> time = (w, model) -> {
            ScalingOps ops = new ScalingOps(w, backend, c.channels(), c.seed());
            dtype[0] = ops.dtype().name().toLowerCase(Locale.ROOT);
            Map<String, Runnable> run = new LinkedHashMap<>();
            run.put("decompose", ops::decompose);
            run.put("tp_forward", ops::tpForward);
            run.put("tp_backward", ops::tpBackward);
            run.put("pool", ops::pool);
            if (model != null) {
                modelDtype[0] = model.dtype();
                if (model.pairs() != w.nnz())
                    throw new IllegalStateException(w.label() + ": the model's graph has " + model.pairs() + " pairs, the workload " + w.nnz());
                run.put("model_forward", model::forward);
                run.put("model_forward_backward", model::forwardBackward);
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-16s %-14s atoms %6d  nnz %8d ", w.input(), w.label(), w.atoms(), w.nnz()));
            for (Map.Entry<String, Runnable> op : run.entrySet()) {
                double s = Timing.medianSeconds(op.getValue(), c.warmups(), c.repeats(), c.minSampleSeconds());
                byInput.computeIfAbsent(w.input(), k -> new LinkedHashMap<>()).computeIfAbsent(op.getKey(), k -> new ArrayList<>())
                        .add(new Point(w.label(), w.atoms(), w.nnz(), s));
                line.append(String.format(Locale.ROOT, " %s %s", op.getKey(), seconds(s)));
            }
            log.accept(line.toString());
        };
        List<String> noModel = new ArrayList<>();
        java.util.function.BiFunction<Workload, java.util.function.Supplier<ModelOps>, ModelOps> modelIfSmall = (w, make) -> {
            if (w.nnz() <= c.modelMaxNnz()) return make.get();
            noModel.add(w.input() + " " + w.label());
            return null;
        };
        warmUp(c, backend, log);
        for (int n : c.synthetic()) {
            Workload w = ScalingInputs.synthetic(n, false, c.seed());
            time.accept(w, modelIfSmall.apply(w, () -> new ModelOps(ScalingInputs.syntheticGraph(n, false, c.seed()), c.seed(), backend)));
        }
        for (int n : c.syntheticDense()) {
            Workload w = ScalingInputs.synthetic(n, true, c.seed());
            time.accept(w, modelIfSmall.apply(w, () -> new ModelOps(ScalingInputs.syntheticGraph(n, true, c.seed()), c.seed(), backend)));
        }
        boolean real = c.alkanes().length + c.waters().length > 0;
        if (real && !XtbEnvironment.isAvailable()) {
            String why = "libxtb is not available (" + XtbEnvironment.availabilityProblem().orElse("?")
                    + "): the alkane and water inputs were skipped";
            notes.add(why);
            log.accept("  " + why);
        } else if (real) {
            for (int n : c.alkanes()) {
                XtbFeatures f = ScalingInputs.featurize(Geometries.alkane(n), notes);
                Workload w = ScalingInputs.xtb("alkane", f, false);
                time.accept(w, modelIfSmall.apply(w, () -> new ModelOps(f, false, c.seed(), backend)));
                if (c.alkaneDense()) {
                    Workload d = ScalingInputs.xtb("alkane-dense", f, true);
                    time.accept(d, modelIfSmall.apply(d, () -> new ModelOps(f, true, c.seed(), backend)));
                }
            }
            for (int n : c.waters()) {
                XtbFeatures f = ScalingInputs.featurize(Geometries.waterCluster(n, c.seed()), notes);
                Workload w = ScalingInputs.xtb("water", f, false);
                time.accept(w, modelIfSmall.apply(w, () -> new ModelOps(f, false, c.seed(), backend)));
            }
        }
        if (!noModel.isEmpty())
            notes.add("the whole model ran on inputs up to " + c.modelMaxNnz() + " blocks; kernels only on " + String.join(", ", noModel));
        List<Series> series = new ArrayList<>();
        for (String op : OPS)
            for (Map.Entry<String, Map<String, List<Point>>> in : byInput.entrySet()) {
                List<Point> pts = in.getValue().get(op);
                if (pts != null && pts.size() >= 2) series.add(new Series(op, in.getKey(), List.copyOf(pts), c.largeNnz()));
            }
        return new Result(c, backend.name(), dtype[0], modelDtype[0], backend.name().equals("cpu") ? Parallel.threads() : 0, series, notes,
                (System.nanoTime() - t0) * 1e-9, Runtime.version().toString(), heap());
    }

    /**
     * Runs every op on a mid-size synthetic input (64 waters; the model on 16) and on the smallest
     * synthetic one of the sweep for {@code 25 x minSampleSeconds} each before anything is timed, so that the
     * first points are not timed in the interpreter, nor while the JIT recompiles the remainder
     * loops that only tiny shapes reach (without the small warm-up the model's first point came
     * out slower than its second).
     */
    static void warmUp(Config c, Backend backend, java.util.function.Consumer<String> log) {
        long t0 = System.nanoTime();
        int smallest = c.synthetic().length > 0 ? c.synthetic()[0] : 1;
        for (int waters : new int[]{64, smallest}) {
            ScalingOps ops = new ScalingOps(ScalingInputs.synthetic(waters, false, c.seed()), backend, c.channels(), c.seed());
            runFor(25 * c.minSampleSeconds(), ops::decompose, ops::tpForward, ops::tpBackward, ops::pool);
        }
        if (c.modelMaxNnz() > 0) {
            for (int waters : new int[]{16, smallest}) {
                ModelOps model = new ModelOps(ScalingInputs.syntheticGraph(waters, false, c.seed()), c.seed(), backend);
                runFor(25 * c.minSampleSeconds(), model::forward, model::forwardBackward);
            }
        }
        log.accept(String.format(Locale.ROOT, "  (JIT warm-up on 64 and %d synthetic waters, model on 16 and %d: %.1f s)",
                smallest, smallest, (System.nanoTime() - t0) * 1e-9));
    }

    /** Runs each op repeatedly for {@code seconds}. */
    private static void runFor(double seconds, Runnable... ops) {
        for (Runnable op : ops) {
            long end = System.nanoTime() + (long) (seconds * 1e9);
            do op.run(); while (System.nanoTime() < end);
        }
    }

    /** A readable table: one row per (op, input) with both fits and the range covered. */
    public static String table(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Scaling sweep on %s (kernels %s%s%s), TP %d channels, median of %d after %d warm-ups, %.0f s wall%n",
                r.backend(), r.dtype(), r.modelDtype() == null ? "" : ", model " + r.modelDtype(), r.threads() > 0 ? ", " + r.threads() + " threads" : "", r.config().channels(),
                r.config().repeats(), r.config().warmups(), r.wallSeconds()));
        sb.append(String.format(Locale.ROOT, "%-22s %-16s %6s %18s %16s %9s %6s %14s %11s %6s%n", "op", "input", "points", "nnz blocks",
                "atoms", "k (nnz)", "r2", "k (nnz>=" + (r.series().isEmpty() ? r.config().largeNnz() : r.series().getFirst().largeNnz()) + ")", "k (atoms)", "r2"));
        for (Series s : r.series()) {
            LogLogFit f = s.fitNnz(), fa = s.fitAtoms(), fl = s.fitLarge();
            Point a = s.points().getFirst(), b = s.points().getLast();
            sb.append(String.format(Locale.ROOT, "%-22s %-16s %6d %18s %16s %9.3f %6.3f %14s %11.3f %6.3f%n", s.op(), s.input(),
                    s.points().size(), a.nnz() + ".." + b.nnz(), a.atoms() + ".." + b.atoms(), f.exponent(), f.r2(),
                    fl == null ? "-" : String.format(Locale.ROOT, "%.3f", fl.exponent()), fa.exponent(), fa.r2()));
        }
        for (String n : r.notes()) sb.append("note: ").append(n).append('\n');
        Map<String, Object> h = r.heap() != null ? r.heap() : Map.of("max_mib", "?", "fixed", "?", "pre_touched", "?");
        sb.append(String.format(Locale.ROOT, "heap: %s MiB, fixed %s, pre-touched %s%n", h.get("max_mib"), h.get("fixed"), h.get("pre_touched")));
        return sb.toString();
    }

    /**
     * Writes {@code scaling.json} (the whole result) and the plots into dir: {@code scaling.png}
     * (every op on the synthetic input, time against non-zero blocks), {@code scaling-INPUT.png}
     * for each other input, and {@code scaling-atoms.png} (the fused TP forward against atoms
     * for every input: slope 1 with the cutoff, 2 for the dense contrasts). All written atomically.
     */
    public static List<Path> write(Result r, Path dir) throws IOException {
        return write(r, dir, true);
    }

    /** {@link #write(Result, Path)}, the plots only when {@code plots}. */
    public static List<Path> write(Result r, Path dir, boolean plots) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        Path json = dir.resolve("scaling.json");
        Json.writeFile(json, r.toJson());
        out.add(json);
        if (!plots) return out;
        Map<String, List<Series>> byInput = new LinkedHashMap<>();
        for (Series s : r.series()) byInput.computeIfAbsent(s.input(), k -> new ArrayList<>()).add(s);
        boolean first = true;
        for (Map.Entry<String, List<Series>> in : byInput.entrySet()) {
            Path png = dir.resolve(in.getKey().equals("synthetic") || (first && !byInput.containsKey("synthetic"))
                    ? "scaling.png" : "scaling-" + in.getKey() + ".png");
            first = false;
            List<Plots.Series> ps = new ArrayList<>();
            List<double[]> fits = new ArrayList<>();
            int i = 0;
            for (Series s : in.getValue()) {
                // on a GPU the line through every point says little (launch-bound below ~1e5 blocks): draw the large-range fit
                LogLogFit large = r.backend().equals("cpu") ? null : s.fitLarge(), f = large != null ? large : s.fitNnz();
                String label = large != null ? String.format(Locale.ROOT, "%s  k = %.2f (nnz >= %d)", s.op(), f.exponent(), s.largeNnz())
                        : String.format(Locale.ROOT, "%s  k = %.2f", s.op(), f.exponent());
                ps.add(new Plots.Series(label, xs(s, false), ys(s), color(i++)));
                fits.add(new double[]{f.exponent(), f.prefactor()});
            }
            Plots.logLog(png, "Time per call vs non-zero blocks: " + in.getKey() + " (" + r.backend() + ")",
                    "non-zero 2-body blocks (nnz)", "seconds per call", ps, fits, 900, 620);
            out.add(png);
        }
        List<Plots.Series> ps = new ArrayList<>();
        List<double[]> fits = new ArrayList<>();
        int i = 0;
        for (Series s : r.series()) {
            if (!s.op().equals("tp_forward")) continue;
            LogLogFit f = s.fitAtoms();
            ps.add(new Plots.Series(String.format(Locale.ROOT, "%s  k = %.2f", s.input(), f.exponent()), xs(s, true), ys(s), color(i++)));
            fits.add(new double[]{f.exponent(), f.prefactor()});
        }
        if (!ps.isEmpty()) {
            Path png = dir.resolve("scaling-atoms.png");
            Plots.logLog(png, "Fused TP forward vs atoms: cutoff vs dense (" + r.backend() + ")", "atoms", "seconds per call",
                    ps, fits, 900, 620);
            out.add(png);
        }
        return out;
    }

    private static double[] xs(Series s, boolean atoms) {
        double[] x = new double[s.points().size()];
        for (int i = 0; i < x.length; i++) x[i] = atoms ? s.points().get(i).atoms() : s.points().get(i).nnz();
        return x;
    }

    private static double[] ys(Series s) {
        double[] y = new double[s.points().size()];
        for (int i = 0; i < y.length; i++) y[i] = s.points().get(i).seconds();
        return y;
    }

    /** Plot colours; a holder class, so that java.awt (module java.desktop) loads only when plotting. */
    private static final class Palette {
        static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
                new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
                new Color(127, 127, 127)};
    }

    private static Color color(int i) {
        return Palette.COLORS[i % Palette.COLORS.length];
    }

    static String seconds(double s) {
        return s >= 1 ? String.format(Locale.ROOT, "%.2fs", s) : s >= 1e-3 ? String.format(Locale.ROOT, "%.2fms", s * 1e3)
                : String.format(Locale.ROOT, "%.1fus", s * 1e6);
    }

    static double round(double v, int digits) {
        if (!Double.isFinite(v)) return v;
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
