package org.unite4j.model;

import java.util.ArrayList;
import java.util.List;
import org.unite4j.autograd.LinearMap;
import org.unite4j.data.FeatureJacobian;
import org.unite4j.data.GraphBatch;
import org.unite4j.data.MolecularGraph;

/**
 * The linear map from the gradients of a batch's inputs to dE/dR of every atom: x = (dE/d node
 * feature rows, dE/d edge feature rows, dE/d edge lengths) -> J^T D^T (node, edge) + P^T (lengths),
 * with D the irrep decomposition of each pair's blocks, J each molecule's {@link FeatureJacobian}
 * and P the derivative of the edge lengths. Its transpose takes a displacement to the change of the
 * inputs: D J dR and P dR. Constant in the parameters, so {@code F.linearMap} differentiates
 * through it (force training).
 */
final class ForceOperator implements LinearMap {
    private final GraphBatch batch;
    private final List<FeatureJacobian.Jacobian> jacobians;
    private final int nodeLen, edgeLen;

    ForceOperator(GraphBatch batch, List<FeatureJacobian.Jacobian> jacobians) {
        if (jacobians.size() != batch.numMolecules)
            throw new IllegalArgumentException(jacobians.size() + " Jacobians for " + batch.numMolecules + " molecules");
        for (int m = 0; m < jacobians.size(); m++) {
            MolecularGraph g = batch.molecules().get(m);
            FeatureJacobian.Jacobian j = jacobians.get(m);
            if (j.numCoordinates() != 3 * g.numAtoms() || j.numValues() != g.numBlockValues())
                throw new IllegalArgumentException("molecule " + m + " (" + g.numAtoms() + " atoms): its Jacobian has "
                        + j.numCoordinates() + " coordinates and " + j.numValues() + " values, the graph " + 3 * g.numAtoms()
                        + " and " + g.numBlockValues());
        }
        this.batch = batch;
        this.jacobians = jacobians;
        this.nodeLen = batch.numAtoms * batch.featureDim;
        this.edgeLen = batch.numEdges * batch.featureDim;
    }

    @Override
    public int inSize() { return nodeLen + edgeLen + batch.numEdges; }

    @Override
    public int outSize() { return 3 * batch.numAtoms; }

    @Override
    public double[] apply(double[] x) {
        double[] gn = java.util.Arrays.copyOfRange(x, 0, nodeLen), ge = java.util.Arrays.copyOfRange(x, nodeLen, nodeLen + edgeLen);
        double[] gl = java.util.Arrays.copyOfRange(x, nodeLen + edgeLen, x.length);
        double[][] blocks = batch.blockGradients(gn, ge);
        double[][] pos = batch.positionGradients(gl);
        double[] out = new double[outSize()];
        int o = 0;
        for (int m = 0; m < blocks.length; m++) {
            double[] r = jacobians.get(m).vjp(blocks[m]);
            for (int q = 0; q < r.length; q++) out[o + q] = r[q] + pos[m][q];
            o += r.length;
        }
        return out;
    }

    @Override
    public double[] applyTranspose(double[] y) {
        List<MolecularGraph> moved = new ArrayList<>(batch.numMolecules);
        int o = 0;
        for (int m = 0; m < batch.numMolecules; m++) {
            MolecularGraph g = batch.molecules().get(m);
            int n3 = 3 * g.numAtoms();
            moved.add(g.withValues(jacobians.get(m).jvp(java.util.Arrays.copyOfRange(y, o, o + n3)), g.positions()));
            o += n3;
        }
        GraphBatch d = GraphBatch.of(moved, moved.get(0).method());
        double[] len = batch.edgeLengthChanges(y);
        double[] out = new double[inSize()];
        System.arraycopy(d.nodeFeatures, 0, out, 0, nodeLen);
        System.arraycopy(d.edgeFeatures, 0, out, nodeLen, edgeLen);
        System.arraycopy(len, 0, out, nodeLen + edgeLen, len.length);
        return out;
    }
}
