package org.unite4j.bench;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.unite4j.backend.cpu.Parallel;

/**
 * Runs {@link TpBenchmark} through JMH and prints a Markdown table: time per call, GB/s moved
 * (each input read once, each output written once) and the copy bandwidth of the same run.
 * Usage: {@code java -jar benchmarks/target/benchmarks.jar [warmupIters measureIters seconds forks]}
 * (defaults 3 5 1 1). The thread count is the JVM's {@code -Dunite.cpu.threads} (default: all
 * cores), passed on to the forked JVM.
 */
public final class TpReport {
    private TpReport() {
    }

    public static void main(String[] args) throws RunnerException {
        int warm = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int meas = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        double secs = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
        int forks = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        ChainedOptionsBuilder ob = new OptionsBuilder().include(TpBenchmark.class.getName() + ".*")
                .warmupIterations(warm).measurementIterations(meas)
                .warmupTime(TimeValue.milliseconds((long) (secs * 1000)))
                .measurementTime(TimeValue.milliseconds((long) (secs * 1000))).forks(forks)
                .jvmArgsAppend("-Dunite.cpu.threads=" + Parallel.threads(), "-Xmx6g");
        Collection<RunResult> results = new Runner(ob.build()).run();
        double copyMs = Double.NaN;
        Map<Integer, double[]> rows = new TreeMap<>();
        for (RunResult rr : results) {
            String name = rr.getParams().getBenchmark();
            double ms = rr.getPrimaryResult().getScore();
            double err = rr.getPrimaryResult().getScoreError();
            if (name.endsWith(".copy")) {
                copyMs = ms;
                continue;
            }
            int nodes = Integer.parseInt(rr.getParams().getParam("nodes"));
            double[] row = rows.computeIfAbsent(nodes, k -> new double[]{Double.NaN, Double.NaN, Double.NaN, Double.NaN});
            if (name.endsWith(".forward")) {
                row[0] = ms;
                row[1] = err;
            } else {
                row[2] = ms;
                row[3] = err;
            }
        }
        double copyGBs = 2.0 * 4 * TpBenchmark.COPY_FLOATS / (copyMs * 1e6);
        System.out.printf(Locale.ROOT, "%nFused CG TP on the CPU, float32, irreps %s (node = edge = out), all paths, "
                        + "%d edges per node, %d threads, %s%n%n", TpBenchmark.IRREPS, TpBenchmark.DEGREE,
                Parallel.threads(), Runtime.version());
        System.out.println("| nodes | edges | forward ms | forward GB/s | backward ms | backward GB/s | bwd/fwd |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
        for (Map.Entry<Integer, double[]> en : rows.entrySet()) {
            int n = en.getKey();
            double[] r = en.getValue();
            System.out.printf(Locale.ROOT, "| %d | %d | %.3f ± %.3f | %.2f | %.3f ± %.3f | %.2f | %.2f |%n", n,
                    n * TpBenchmark.DEGREE, r[0], r[1], TpBenchmark.forwardBytes(n) / (r[0] * 1e6), r[2], r[3],
                    TpBenchmark.backwardBytes(n) / (r[2] * 1e6), r[2] / r[0]);
        }
        System.out.printf(Locale.ROOT, "%nCopy bandwidth (System.arraycopy of 64 MiB, read + write counted): "
                + "%.2f GB/s (%.3f ms)%n", copyGBs, copyMs);
    }
}
