package org.unite4j.bench;

import org.unite4j.autograd.F;
import org.unite4j.backend.Backend;
import org.unite4j.autograd.GradMode;
import org.unite4j.autograd.Tensor;
import org.unite4j.chem.xtb.XtbFeatures;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.data.GraphBatch;
import org.unite4j.data.MolecularGraph;
import org.unite4j.model.Heads;
import org.unite4j.model.UniteConfig;
import org.unite4j.model.UniteModel;
import org.unite4j.tensor.NBodyTensor;

import java.util.List;

/**
 * The whole UNiTE network ({@link UniteModel} with {@link UniteConfig#defaults()}, seeded random
 * weights: the cost does not depend on the values) on one featurized molecule, for the scaling
 * sweep and {@code vs-dft}:
 * <ul>
 *   <li>{@code model_forward}: inference (no tape, running EvNorm statistics), energy and dipole;</li>
 *   <li>{@code model_forward_backward}: training-mode forward, then backward of
 *       L = sum E_net + sum mu through every parameter (gradients cleared after each call).</li>
 * </ul>
 * The batch (CG decomposition of every kept pair, {@link GraphBatch}) is built once, outside the
 * timed calls; {@code decompose} times that part.
 */
public final class ModelOps {
    private final UniteModel model;
    private final GraphBatch batch;
    private final MolecularGraph graph;

    /** The graph keeps the pairs with -ln||T_AB||_F &lt; 12 for some operator, or every pair when dense. */
    public ModelOps(XtbFeatures f, boolean dense, long seed, Backend backend) {
        this(MolecularGraph.of(f, dense ? Double.POSITIVE_INFINITY : NBodyTensor.DEFAULT_TAU), seed, backend);
    }

    /**
     * The model on a prepared graph (e.g. {@link SyntheticTensors#graph}), computing on backend
     * (in float64 where it can, else float32: {@link UniteModel#configFor}).
     */
    public ModelOps(MolecularGraph graph, long seed, Backend backend) {
        this.graph = graph;
        batch = GraphBatch.of(List.of(graph), XtbMethod.GFN1);
        model = new UniteModel(UniteModel.configFor(UniteConfig.defaults(), backend), heads(), seed, backend);
    }

    /** The dtype the model computes in. */
    public String dtype() { return model.dtype().name().toLowerCase(java.util.Locale.ROOT); }

    /** Heads for timing only: energy in kcal/mol, dipole in e*bohr, every xtb element known with a zero baseline. */
    static Heads heads() {
        int[] z = new int[org.unite4j.chem.xtb.XtbBasisSet.MAX_Z];
        for (int i = 0; i < z.length; i++) z[i] = i + 1;
        return new Heads("energy", "kcal/mol", "dipole", "e*bohr", false, z, new double[z.length], 0.0, 1.0, 1.0);
    }

    /** Pairs of the model's graph (diagonal included): its nnz. */
    public int pairs() { return graph.numPairs(); }

    public void forward() {
        model.setTraining(false);
        try (var ignored = GradMode.noGrad()) {
            UniteModel.Output o = model.forward(batch);
            o.energy().toDoubles();
        }
    }

    public void forwardBackward() {
        model.setTraining(true);
        UniteModel.Output o = model.forward(batch);
        Tensor loss = F.add(F.sum(o.energy()), F.sum(o.dipole()));
        loss.backward();
        // wait for the device: read one gradient value back (the CPU has finished anyway)
        Tensor first = model.parameters().values().iterator().next();
        if (first.grad() != null) first.grad().toDoubles();
        for (Tensor p : model.parameters().values()) p.zeroGrad();
    }

    /** The model's prediction for the molecule (inference), with the graph built from the features: what vs-dft times. */
    public static double predictEnergy(XtbFeatures f, UniteModel model) {
        MolecularGraph g = MolecularGraph.of(f, NBodyTensor.DEFAULT_TAU);
        return model.predict(List.of(g), 1).energy()[0];
    }

    /** A model for timing (defaults, seeded random weights). */
    public static UniteModel timingModel(long seed) {
        return new UniteModel(UniteConfig.defaults(), heads(), seed);
    }
}
