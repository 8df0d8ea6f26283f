package org.unite4j.nn;

import org.unite4j.autograd.F;
import org.unite4j.autograd.Tensor;
import org.unite4j.backend.CsrGraph;
import org.unite4j.irreps.TensorProductDescriptor;

/**
 * The fused sparse CG convolution (message passing): for a CSR graph sorted by receiver,
 * m[a, o, M, c] = sum_{k: receiver a} sum_{p: iOut(p) = o} w[k, p, c]
 *                 sum_{(m1, m2, M) in cg(p)} cg e[k, iEdge(p), m1, c] h[sender k, iNode(p), m2, c].
 * Weights come per edge (e.g. from an MLP of invariants); the layer has no parameters of its own.
 * No per-edge output is materialized; gradients go to e, h and w.
 */
public final class TensorProduct {
    private final TensorProductDescriptor descriptor;

    public TensorProduct(TensorProductDescriptor descriptor) {
        this.descriptor = descriptor;
    }

    /** e [E, edgeDim*C], h [N, nodeDim*C], w [E, numPaths*C] -> [N, outDim*C]. */
    public Tensor forward(CsrGraph graph, Tensor e, Tensor h, Tensor w) {
        return F.tensorProduct(descriptor, graph, e, h, w);
    }

    public TensorProductDescriptor descriptor() {
        return descriptor;
    }

    /** numPaths * channels: the width of one edge's weight row. */
    public int weightWidth() {
        return descriptor.weightWidth();
    }
}
