package org.unite4j.jmh;

import org.unite4j.bench.ScalingOps;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * The timed ops of the scaling sweep, shared by {@link ScalingBenchmark} (cutoff) and
 * {@link DenseScalingBenchmark} (every pair): CG decomposition, fused TP forward and backward,
 * pooling. Subclasses build {@link #ops} in their trial setup (JMH inherits these methods).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public abstract class ScalingOpsBenchmark {
    ScalingOps ops;

    @Benchmark
    public void decompose() {
        ops.decompose();
    }

    @Benchmark
    public void tpForward() {
        ops.tpForward();
    }

    @Benchmark
    public void tpBackward() {
        ops.tpBackward();
    }

    @Benchmark
    public void pool() {
        ops.pool();
    }
}
