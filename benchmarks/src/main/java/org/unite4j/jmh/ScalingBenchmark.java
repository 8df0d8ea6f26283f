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
 * JMH view of the scaling sweep ({@code unite bench scaling} runs the same ops with its own
 * timer and fits the exponents): CG decomposition, fused TP forward and backward (16 channels,
 * edge irreps 0e+1o+1e+2e, node/out 0e+1o+2e) and pooling on synthetic block-sparse 2-body
 * tensors over water-cluster geometries of {@link #waters} molecules with the 5 A cutoff
 * (non-zero blocks ~ 45 x atoms once the cluster is larger than the cutoff sphere);
 * {@link DenseScalingBenchmark} is the contrast with every atom pair kept.
 * Run: {@code java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main Scaling}.
 */
@State(Scope.Benchmark)
public class ScalingBenchmark extends ScalingOpsBenchmark {
    @Param({"16", "64", "256", "1024"})
    public int waters;

    @Setup(Level.Trial)
    public void setup() {
        Workload w = ScalingInputs.synthetic(waters, false, 42);
        ops = new ScalingOps(w, Backends.cpu(), 16, 42);
    }
}
