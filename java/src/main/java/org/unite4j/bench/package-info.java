/**
 * Benchmarks behind {@code unite bench}: inputs of controlled size ({@link org.unite4j.bench.Geometries}
 * alkanes and water clusters featurized with GFN1-xTB, {@link org.unite4j.bench.SyntheticTensors}),
 * the timed ops ({@link org.unite4j.bench.ScalingOps}: CG decomposition, fused TP forward and
 * backward, pooling), the sweep with least-squares log-log fits t = a nnz^k
 * ({@link org.unite4j.bench.ScalingSweep}, {@link org.unite4j.bench.LogLogFit}), and the
 * comparison with a psi4 DFT single point ({@link org.unite4j.bench.VsDft}, {@link org.unite4j.bench.Psi4}).
 * Timings are medians of repeats after warm-up ({@link org.unite4j.bench.Timing}); nothing here
 * asserts a time.
 */
package org.unite4j.bench;
