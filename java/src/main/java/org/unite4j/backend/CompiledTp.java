package org.unite4j.backend;

import org.unite4j.irreps.TensorProductDescriptor;

/**
 * A tensor-product descriptor lowered by one backend ({@link Backend#compile}): the fused
 * gather - channel-wise CG tensor product - reduce over a receiver-sorted CSR graph and its
 * gradients. With C channels, e [E][edgeDim*C], h [N][nodeDim*C], w [E][numPaths*C] and
 * out [N][outDim*C] in the "ir_mul" layout:
 * <pre>
 *   out[a, o, M, c] = sum_{k: receiver a} sum_{p: iOut(p) = o} w[k, p, c]
 *                     sum_{(m1, m2, M) in cg(p)} cg * e[k, iEdge(p), m1, c] * h[sender k, iNode(p), m2, c]
 * </pre>
 * Outputs are overwritten, never accumulated; the same inputs give bitwise the same outputs on
 * every run and for any thread count (sums in a fixed order, no atomics). Storages must belong to
 * the backend that compiled the product and share one dtype.
 */
public interface CompiledTp {

    /** The product this was compiled from. */
    TensorProductDescriptor descriptor();

    /** out = TP(e, h; w) summed over each receiver's edges. */
    void forward(CsrGraph g, Storage e, Storage h, Storage w, Storage out);

    /** The gradients to e, h and w given gradOut = dL/dout (overwritten; a null one is skipped). */
    void backward(CsrGraph g, Storage e, Storage h, Storage w, Storage gradOut, Storage gradE, Storage gradH, Storage gradW);
}
