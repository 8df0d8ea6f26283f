package org.unite4j.jmh;

import org.unite4j.bench.ModelOps;
import org.unite4j.bench.ScalingInputs;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.unite4j.backend.Backends;

/**
 * The dense contrast of {@link ModelScalingBenchmark}: the same model and geometries with every
 * atom pair kept (blocks = atoms^2, so the cost grows with atoms squared).
 * Run: {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main DenseModelScaling}.
 */
@State(Scope.Benchmark)
public class DenseModelScalingBenchmark extends ModelOpsBenchmark {
    @Param({"4", "8", "16", "32", "64"})
    public int waters;

    @Setup(Level.Trial)
    public void setup() {
        model = new ModelOps(ScalingInputs.syntheticGraph(waters, true, 42), 42, Backends.cpu());
    }
}
