package org.unite4j.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.unite4j.backend.LinearPlan;
import org.unite4j.backend.cpu.CpuKernels;
import org.unite4j.backend.cpu.CpuDense;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.data.GraphBatch;
import org.unite4j.irreps.Irreps;
import org.unite4j.nn.IrrepLinear;

/**
 * The dense kernels around the tensor product at the shapes of one interaction block of the
 * default model (float64, as the CPU trains), for {@link #rows} edge rows (a QM7 batch of 16
 * molecules has ~3,000):
 * <ul>
 *   <li>{@code denseForward}: the TP weights w = x W of the edge MLP output, x [rows x 32],
 *       W [32 x 320]; {@code denseGradW}: its weight gradient x^T g ([32 x rows] [rows x 320]);</li>
 *   <li>{@code linearForward}: the edge linear map e = Linear(t) from the 400 merged components of
 *       the decomposed GFN1 operators (24x0e+8x1e+24x1o+...) to 16x(0e+1o+1e+2e+2o);
 *       {@code linearGradW}: its weight gradient.</li>
 * </ul>
 * Run with {@code -Dunite.cpu.threads=1} for single-thread numbers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DenseKernelBenchmark {
    public static final int HIDDEN = 32, WEIGHTS = 320;
    public static final String EDGE_IRREPS = "16x0e+16x1o+16x1e+16x2e+16x2o";

    @Param({"3000"})
    public int rows;

    double[] x, w, g, out, gradW;
    LinearPlan plan;
    double[] t, lw, lout, lg, lgradW;

    static double[] randn(Random r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextGaussian();
        }
        return a;
    }

    @Setup
    public void setup() {
        Random r = new Random(1);
        x = randn(r, rows * HIDDEN);
        w = randn(r, HIDDEN * WEIGHTS);
        g = randn(r, rows * WEIGHTS);
        out = new double[rows * WEIGHTS];
        gradW = new double[HIDDEN * WEIGHTS];
        Irreps in = GraphBatch.featureIrreps(XtbMethod.GFN1), o = Irreps.parse(EDGE_IRREPS);
        plan = IrrepLinear.plan(in, o);
        t = randn(r, rows * in.dim());
        lw = randn(r, plan.numWeights());
        lg = randn(r, rows * o.dim());
        lout = new double[rows * o.dim()];
        lgradW = new double[plan.numWeights()];
    }

    @Benchmark
    public double[] denseForward() {
        CpuDense.matmul(x, w, out, rows, HIDDEN, WEIGHTS, false, false);
        return out;
    }

    @Benchmark
    public double[] denseGradW() {
        CpuDense.matmul(x, g, gradW, HIDDEN, rows, WEIGHTS, true, false);
        return gradW;
    }

    @Benchmark
    public double[] linearForward() {
        CpuDense.irrepLinear(plan, rows, t, lw, lout);
        return lout;
    }

    @Benchmark
    public double[] linearGradW() {
        CpuDense.irrepLinearBackward(plan, rows, t, lw, lg, null, lgradW);
        return lgradW;
    }
}
