package org.unite4j.cli;

import org.unite4j.bench.ScalingSweep;
import org.unite4j.io.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code unite bench scaling} (time vs non-zero blocks, log-log fits, PNG plots) and
 * {@code unite bench vs-dft} (featurize + predict against a psi4 DFT single point).
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks: scaling with the number of non-zero blocks, speed against DFT, the Java GFN1-xTB against libxtb.",
        subcommands = {BenchCommand.Scaling.class, VsDftCommand.class, Gfn1BenchCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code unite bench scaling}. */
    @Command(name = "scaling",
            mixinStandardHelpOptions = true,
            description = {"Time the CG decomposition, the fused tensor product (forward, backward), pooling and the whole model (forward, "
                    + "forward+backward) on inputs of growing size "
                    + "(generated alkanes and water clusters featurized with GFN1-xTB, synthetic block-sparse tensors; with the "
                    + "cutoff and dense contrasts) and fit log(time) = k log(nnz) + c by least squares.",
                    "Writes DIR/scaling.json and log-log plots DIR/scaling*.png (atomically)."})
    public static final class Scaling implements Callable<Integer> {
        @CommandLine.Mixin
        BackendOption backendOption;

        /** The resolved backend's name. */
        private String backend;

        @Option(names = "--quick", description = "Shortened sweep (a few minutes on 2 cores).")
        boolean quick;

        @Option(names = "--json", description = "Print one JSON object per (op, input) line: "
                + "{\"op\":..,\"input\":..,\"exponent\":..,\"r2\":..,\"points\":[[nnz, seconds],...],...}.")
        boolean json;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory for scaling.json and the plots.")
        Path out;

        @Option(names = "--channels", paramLabel = "C", description = "Channels of the timed tensor product (default: 16).")
        Integer channels;

        @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "CPU threads of the kernels (default: ${DEFAULT-VALUE}: "
                + "the complexity is measured single-threaded, so that the parallel efficiency of small inputs does not bend the line).")
        int threads;

        @Option(names = "--sizes", hidden = true, split = ",", paramLabel = "N,...",
                description = "Alkane carbon counts and water cluster sizes (xtb inputs) instead of the defaults.")
        int[] sizes;

        @Option(names = "--synthetic-sizes", hidden = true, split = ",", paramLabel = "N,...",
                description = "Water counts of the synthetic geometries (with the cutoff and dense) instead of the defaults.")
        int[] syntheticSizes;

        @Option(names = "--inputs", hidden = true, split = ",", paramLabel = "NAME,...",
                description = "Only these input families: synthetic, synthetic-dense, alkane, alkane-dense (runs with alkane), water.")
        java.util.Set<String> inputs;

        @Option(names = "--from", paramLabel = "FILE", description = "Time nothing: read a scaling.json written earlier "
                + "(e.g. on a GPU machine with --no-plots) and write its table, JSON and plots to --out.")
        Path from;

        @Option(names = "--no-plots", description = "Write scaling.json only (for a Java runtime without java.desktop).")
        boolean noPlots;

        @Option(names = "--model-max-nnz", hidden = true, paramLabel = "N",
                description = "Largest input (non-zero blocks) the whole model runs on (default: 40000 quick, 70000 full).")
        Long modelMaxNnz;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (from != null) return replot(); // times nothing: no backend to pick
            backend = backendOption.resolve().name(); // cuda where it cannot run: a one-line reason, exit 2
            if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            int before = org.unite4j.backend.cpu.Parallel.threads();
            org.unite4j.backend.cpu.Parallel.setThreads(threads);
            try {
                return sweep();
            } finally {
                org.unite4j.backend.cpu.Parallel.setThreads(before);
            }
        }

        private int sweep() throws IOException {
            ScalingSweep.Config c = quick ? ScalingSweep.Config.quick(backend) : ScalingSweep.Config.full(backend);
            int ch = channels == null ? c.channels() : channels;
            if (ch < 1) throw new IllegalArgumentException("--channels must be >= 1, got " + ch);
            int[] real = sizes == null ? null : checked("--sizes", sizes);
            int[] syn = syntheticSizes == null ? null : checked("--synthetic-sizes", syntheticSizes);
            c = new ScalingSweep.Config(c.backend(), ch, real == null ? c.alkanes() : real, real == null ? c.waters() : real,
                    syn == null ? c.synthetic() : syn, syn == null ? c.syntheticDense() : syn, c.alkaneDense(), c.warmups(),
                    c.repeats(), c.minSampleSeconds(), c.seed(), modelMaxNnz == null ? c.modelMaxNnz() : modelMaxNnz);
            if (inputs != null) c = c.only(inputs);
            PrintWriter err = spec.commandLine().getErr();
            err.println("unite bench scaling: " + (quick ? "quick" : "full") + " sweep on " + backend
                    + " (timings on a shared machine are noisy; each point is a median)");
            Map<String, Object> heap = ScalingSweep.heap();
            if (backend.equals("cpu") && (!(Boolean) heap.get("fixed") || !(Boolean) heap.get("pre_touched")))
                err.println("unite bench scaling: note: the JVM heap is " + ((Boolean) heap.get("fixed") ? "fixed but not pre-touched"
                        : "not fixed (initial " + heap.get("initial_mib") + " MiB, max " + heap.get("max_mib") + " MiB)")
                        + ", so some inputs are also timed faulting in fresh memory pages; `./unite bench scaling` fixes and "
                        + "pre-touches it (or give the JVM -Xms equal to -Xmx and -XX:+AlwaysPreTouch)");
            err.flush();
            ScalingSweep.Result r = ScalingSweep.run(c, line -> {
                err.println(line);
                err.flush();
            });
            return writeAndPrint(r);
        }

        /** Writes scaling.json and the plots to --out; prints the table (or a JSON line per series). */
        private int writeAndPrint(ScalingSweep.Result r) throws IOException {
            List<Path> files = ScalingSweep.write(r, out, !noPlots);
            String wrote = "wrote " + files.stream().map(Path::toString).reduce((a, b) -> a + ", " + b).orElse("");
            PrintWriter o = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            if (json) {
                for (ScalingSweep.Series s : r.series()) o.println(Json.write(s.toJson()));
                err.println(wrote);
                err.flush();
            } else {
                o.print(ScalingSweep.table(r));
                o.println(wrote);
            }
            o.flush();
            return 0;
        }

        private int replot() throws IOException {
            if (!Files.isRegularFile(from)) throw new IllegalArgumentException("--from: no such file: " + from);
            OutputGuard.refuse("--out", out, Files.isDirectory(out) ? List.of(out.resolve("scaling.json")) : List.of(out),
                    new OutputGuard.Input("--from", from));
            Object parsed = Json.readFile(from);
            if (!(parsed instanceof Map<?, ?> m)) throw new IllegalArgumentException(from + ": not a JSON object");
            @SuppressWarnings("unchecked")
            ScalingSweep.Result r = ScalingSweep.Result.fromJson((Map<String, Object>) m, from.toString());
            return writeAndPrint(r);
        }

        private static int[] checked(String name, int[] v) {
            if (v.length < 2) throw new IllegalArgumentException(name + " needs at least 2 sizes to fit a line, got " + v.length);
            for (int x : v) if (x < 1) throw new IllegalArgumentException(name + ": sizes must be >= 1, got " + x);
            return v;
        }
    }
}
