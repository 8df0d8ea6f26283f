package org.unite4j.jmh;

import org.unite4j.bench.Workload;
import org.unite4j.bench.ScalingInputs;
import org.unite4j.bench.ScalingOps;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.unite4j.backend.Backends;

/**
 * The dense contrast of {@link ScalingBenchmark}: the same ops on synthetic tensors that keep
 * every atom pair (atoms^2 non-zero blocks), so their cost grows with atoms squared.
 * Run: {@code java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main DenseScalingBenchmark}.
 */
@State(Scope.Benchmark)
public class DenseScalingBenchmark extends ScalingOpsBenchmark {
    @Param({"4", "16", "64", "128"})
    public int waters;

    @Setup(Level.Trial)
    public void setup() {
        Workload w = ScalingInputs.synthetic(waters, true, 42);
        ops = new ScalingOps(w, Backends.cpu(), 16, 42);
    }
}
