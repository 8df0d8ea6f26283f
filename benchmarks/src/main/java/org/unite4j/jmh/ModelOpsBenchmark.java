package org.unite4j.jmh;

import org.unite4j.bench.ModelOps;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * The whole-model points of the scaling sweep, shared by {@link ModelScalingBenchmark} (cutoff)
 * and {@link DenseModelScalingBenchmark} (every pair): UNiTE (default config, float64 on the CPU)
 * forward (inference) and forward+backward ({@link ModelOps}). Subclasses build {@link #model}.
 * The forks run with a fixed, pre-touched heap of 4 GiB (the largest input here needs ~1.5 GB), as
 * {@code unite bench scaling} does (a -jvmArgsAppend on the command line replaces it): a heap
 * that grows and shrinks times the largest inputs faulting in freshly committed pages.
 */
@Fork(jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public abstract class ModelOpsBenchmark {
    ModelOps model;

    @Benchmark
    public void modelForward() {
        model.forward();
    }

    @Benchmark
    public void modelForwardBackward() {
        model.forwardBackward();
    }
}
