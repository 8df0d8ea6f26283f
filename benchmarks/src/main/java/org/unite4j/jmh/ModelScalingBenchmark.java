package org.unite4j.jmh;

import org.unite4j.bench.SyntheticTensors;
import org.unite4j.bench.ModelOps;
import org.unite4j.bench.ScalingInputs;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.unite4j.backend.Backends;

/**
 * The whole model on synthetic F, P, S, W tensors over water clusters of {@link #waters} molecules
 * with the 5 A cutoff ({@link SyntheticTensors#graph}; blocks ~ 45 x atoms at the larger sizes).
 * Run: {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main ModelScaling}.
 */
@State(Scope.Benchmark)
public class ModelScalingBenchmark extends ModelOpsBenchmark {
    @Param({"4", "16", "64", "256"})
    public int waters;

    @Setup(Level.Trial)
    public void setup() {
        model = new ModelOps(ScalingInputs.syntheticGraph(waters, false, 42), 42, Backends.cpu());
    }
}
