package org.unite4j.bench;

import org.unite4j.data.MolecularGraph;

import org.unite4j.chem.Molecule;
import org.unite4j.chem.xtb.XtbBasisSet;
import org.unite4j.chem.xtb.XtbException;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbFeatures;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.tensor.NBodyTensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@link Workload}s of a scaling sweep.
 * <ul>
 *   <li>Real: a generated molecule ({@link Geometries}) featurized with GFN1-xTB; its tensors are
 *       F, P, S and W with the default cutoff -ln ||T_AB||_F &lt; 12 ("alkane", "water"), or with
 *       the cutoff disabled, every atom pair kept ("alkane-dense").</li>
 *   <li>Synthetic: {@link SyntheticTensors} on the geometry of a water cluster with the GFN1 basis
 *       of its atoms, distance cutoff {@link #SYNTHETIC_CUTOFF} A ("synthetic"), or every pair
 *       ("synthetic-dense").</li>
 * </ul>
 */
public final class ScalingInputs {
    /** Distance cutoff of the synthetic tensors, Angstrom. */
    public static final double SYNTHETIC_CUTOFF = 5.0;
    /** Electronic temperature of the retry when the SCC of a water cluster does not converge at 300 K. */
    public static final double RETRY_TEMPERATURE_K = 1000.0;

    private ScalingInputs() {
    }

    /**
     * GFN1-xTB features of m (XtbFeaturizer runs libxtb on a large-stack thread, so big alkanes
     * and clusters are safe). When the SCC does not converge at libxtb's default 300 K, it retries at
     * {@value #RETRY_TEMPERATURE_K} K (Fermi smearing; the operators' sparsity is what matters here)
     * and says so through {@code notes}.
     */
    public static XtbFeatures featurize(Molecule m, List<String> notes) {
        try {
            return new XtbFeaturizer(XtbMethod.GFN1).featurize(m);
        } catch (XtbException first) {
            XtbFeatures f = new XtbFeaturizer(XtbMethod.GFN1, 1.0, RETRY_TEMPERATURE_K, 250).featurize(m);
            if (notes != null)
                notes.add(m.name() + ": SCC did not converge at 300 K; featurized at " + (int) RETRY_TEMPERATURE_K + " K");
            return f;
        }
    }

    /** The xtb workload of a featurized molecule, with the default cutoff or (dense) none. */
    public static Workload xtb(String input, XtbFeatures f, boolean dense) {
        double tau = dense ? Double.POSITIVE_INFINITY : NBodyTensor.DEFAULT_TAU;
        List<NBodyTensor> ts = new ArrayList<>();
        for (String op : XtbFeatures.OPERATORS) ts.add(f.tensor(op, tau));
        return Workload.of(input, f.molecule().name(), ts);
    }

    /** A synthetic workload on the geometry of (H2O)_waters; dense keeps every pair. */
    public static Workload synthetic(int waters, boolean dense, long seed) {
        Molecule g = Geometries.waterCluster(waters, seed);
        double decay = NBodyTensor.DEFAULT_TAU / SYNTHETIC_CUTOFF;
        NBodyTensor t = SyntheticTensors.build(g, XtbBasisSet.basis(g, XtbMethod.GFN1),
                dense ? Double.POSITIVE_INFINITY : SYNTHETIC_CUTOFF, decay, seed);
        return Workload.of(dense ? "synthetic-dense" : "synthetic", g.size() + " atoms", List.of(t));
    }

    /**
     * The model input matching {@link #synthetic}: four synthetic operators on the same geometry and
     * cutoff (so the same pairs, the same nnz).
     */
    public static MolecularGraph syntheticGraph(int waters, boolean dense, long seed) {
        Molecule g = Geometries.waterCluster(waters, seed);
        return SyntheticTensors.graph(g, dense ? Double.POSITIVE_INFINITY : SYNTHETIC_CUTOFF,
                NBodyTensor.DEFAULT_TAU / SYNTHETIC_CUTOFF, seed);
    }
}
