package org.unite4j.jmh;

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
 * cores) and {@code -Dunite.cpu.vector=false} selects the scalar reference kernels instead of the
 * SIMD ones; both are passed on to the forked JVMs, which always get
 * {@code --add-modules jdk.incubator.vector}.
 */
public final class TpReport {
    private TpReport() {
    }

    public static void main(String[] args) throws RunnerException {
        int warm = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int meas = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        double secs = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
        int forks = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        // SIMD tensor product kernels unless -Dunite.cpu.vector=false (then the scalar reference kernels)
        boolean simd = !"false".equalsIgnoreCase(System.getProperty("unite.cpu.vector", "").trim());
        ChainedOptionsBuilder ob = new OptionsBuilder().include(TpBenchmark.class.getName() + ".*")
                .warmupIterations(warm).measurementIterations(meas)
                .warmupTime(TimeValue.milliseconds((long) (secs * 1000)))
                .measurementTime(TimeValue.milliseconds((long) (secs * 1000))).forks(forks)
                .jvmArgsAppend("--add-modules=jdk.incubator.vector", "-Dunite.cpu.threads=" + Parallel.threads(),
                        "-Dunite.cpu.vector=" + simd, "-Xmx6g");
        Collection<RunResult> results = new Runner(ob.build()).run();
        // per benchmark: median, min and max over all measured iterations of all forks
        java.util.List<Double> copies = new java.util.ArrayList<>();
        Map<Integer, double[]> rows = new TreeMap<>();
        for (RunResult rr : results) {
            String name = rr.getParams().getBenchmark();
            org.openjdk.jmh.util.Statistics st = rr.getPrimaryResult().getStatistics();
            if (name.endsWith(".copy")) {
                copies.add(st.getPercentile(50));
                continue;
            }
            int nodes = Integer.parseInt(rr.getParams().getParam("nodes"));
            double[] row = rows.computeIfAbsent(nodes, k -> new double[6]);
            int at = name.endsWith(".forward") ? 0 : 3;
            row[at] = st.getPercentile(50);
            row[at + 1] = st.getMin();
            row[at + 2] = st.getMax();
        }
        copies.sort(null);
        double copyMs = copies.isEmpty() ? Double.NaN : copies.get(copies.size() / 2);
        double copyGBs = 2.0 * 4 * TpBenchmark.COPY_FLOATS / (copyMs * 1e6);
        System.out.printf(Locale.ROOT, "%nFused CG TP on the CPU, float32, irreps %s (node = edge = out), all paths, "
                        + "%d edges per node, %d threads, %s kernels, %s%n%n", TpBenchmark.IRREPS, TpBenchmark.DEGREE,
                Parallel.threads(), simd ? "SIMD (Vector API)" : "scalar", Runtime.version());
        System.out.println("Times in ms: median [min - max] over all measured iterations of all forks; GB/s from the median.");
        System.out.println();
        System.out.println("| nodes | edges | forward ms | forward GB/s | backward ms | backward GB/s | bwd/fwd |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
        for (Map.Entry<Integer, double[]> en : rows.entrySet()) {
            int n = en.getKey();
            double[] r = en.getValue();
            System.out.printf(Locale.ROOT, "| %d | %d | %.2f [%.2f - %.2f] | %.2f | %.2f [%.2f - %.2f] | %.2f | %.2f |%n",
                    n, n * TpBenchmark.DEGREE, r[0], r[1], r[2], TpBenchmark.forwardBytes(n) / (r[0] * 1e6),
                    r[3], r[4], r[5], TpBenchmark.backwardBytes(n) / (r[3] * 1e6), r[3] / r[0]);
        }
        System.out.printf(Locale.ROOT, "%nCopy bandwidth (System.arraycopy of 64 MiB, read + write counted, median): "
                + "%.2f GB/s (%.3f ms)%n", copyGBs, copyMs);
    }
}
