package org.unite4j.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.gfn1.Gfn1Calculator;
import org.unite4j.chem.io.MoleculeReader;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.data.AnalyticFeatureJacobian;
import org.unite4j.data.MolecularGraph;
import org.unite4j.data.NumericalFeatureJacobian;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * GFN1-xTB on one molecule: a libxtb single point against the Java one, the featurizer Jacobian
 * (dT/dR of F, P, S, W and dE_xTB/dR) analytic against numerical, and the analytic
 * vector-Jacobian product that forces use. The molecule is the
 * first frame of an rMD17 file ({@code -p file=...}, default aspirin from ../shared/data).
 * One thread everywhere except the Jacobians, which use {@code -p threads=N}.
 */
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xss1g"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class Gfn1Benchmark {
    @Param("../shared/data/rmd17/rmd17_aspirin_test_01.npz")
    public String file;

    @Param("1")
    public int threads;

    Molecule molecule;
    MolecularGraph graph;
    XtbFeaturizer libxtb;
    Gfn1Calculator java;
    AnalyticFeatureJacobian analytic;
    NumericalFeatureJacobian numerical;
    double[] gradient;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        molecule = MoleculeReader.read(Path.of(file)).get(0);
        libxtb = new XtbFeaturizer(XtbMethod.GFN1);
        java = new Gfn1Calculator();
        graph = MolecularGraph.of(libxtb.featurize(molecule), 12.0);
        analytic = new AnalyticFeatureJacobian(threads);
        numerical = new NumericalFeatureJacobian(NumericalFeatureJacobian.DEFAULT_STEP, NumericalFeatureJacobian.DEFAULT_ACCURACY,
                threads, null);
        gradient = new double[graph.numBlockValues()];
        java.util.Random r = new java.util.Random(1);
        for (int k = 0; k < gradient.length; k++) gradient[k] = r.nextGaussian();
    }

    @Benchmark
    public Object libxtbSinglePoint() {
        return libxtb.featurize(molecule);
    }

    @Benchmark
    public Object javaSinglePoint() {
        return java.singlePoint(molecule);
    }

    @Benchmark
    public Object analyticJacobian() {
        return analytic.of(graph);
    }

    /** dE/dT . dT/dR for one dE/dT (what forces need): one adjoint pass. */
    @Benchmark
    public Object analyticVjp() {
        return analytic.vjp(graph, gradient);
    }

    @Benchmark
    public Object numericalJacobian() {
        return numerical.of(graph);
    }
}
