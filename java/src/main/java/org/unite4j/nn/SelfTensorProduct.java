package org.unite4j.nn;

import java.util.Map;
import java.util.Random;
import org.unite4j.autograd.F;
import org.unite4j.autograd.Tensor;
import org.unite4j.backend.Backend;
import org.unite4j.backend.CsrGraph;
import org.unite4j.backend.DType;
import org.unite4j.irreps.Irreps;
import org.unite4j.irreps.TensorProductDescriptor;

/**
 * Node-wise channel-wise self tensor product (the point-wise interaction, how higher l appear):
 * out[a, o, M, c] = sum_{p: iOut(p) = o} w[p, c] sum_{(m1, m2, M) in cg(p)} cg h[a, iEdge(p), m1, c] h[a, iNode(p), m2, c]
 * with learnable weights w[p, c] shared by all nodes. It runs the fused TP kernel on the
 * identity graph (each node its own single edge), so gradients to h collect both factors.
 */
public final class SelfTensorProduct implements Module {
    private final TensorProductDescriptor descriptor;
    private final Tensor weight;
    private CsrGraph identity = new CsrGraph(0, new int[]{0}, new int[0]);

    public SelfTensorProduct(Irreps irreps, Irreps out, Random rng, Backend backend, DType dtype) {
        descriptor = TensorProductDescriptor.allPaths(irreps, irreps, out);
        int c = descriptor.channels();
        double[] w = new double[descriptor.weightWidth()];
        for (int p = 0; p < descriptor.numPaths(); p++) {
            int o = descriptor.path(p).iOut();
            int pathsInto = descriptor.outPathStart(o + 1) - descriptor.outPathStart(o);
            for (int ch = 0; ch < c; ch++) {
                w[p * c + ch] = rng.nextGaussian() / Math.sqrt(pathsInto);
            }
        }
        weight = Tensor.of(backend, dtype, w, w.length).requiresGrad(true);
    }

    /** The op as a function of h [N, dim] and the weights [numPaths*C]. */
    public static Tensor apply(TensorProductDescriptor d, CsrGraph identity, Tensor h, Tensor w) {
        int n = h.dim(0);
        Tensor wr = F.broadcastTo(F.reshape(w, 1, d.weightWidth()), new int[]{n, d.weightWidth()});
        return F.tensorProduct(d, identity, h, h, wr);
    }

    /** The graph a -> a for n nodes. */
    public static CsrGraph identityGraph(int n) {
        int[] ptr = new int[n + 1], s = new int[n];
        for (int a = 0; a < n; a++) {
            ptr[a + 1] = a + 1;
            s[a] = a;
        }
        return new CsrGraph(n, ptr, s);
    }

    public Tensor forward(Tensor h) {
        int n = h.dim(0);
        if (identity.numNodes() != n) {
            identity = identityGraph(n);
        }
        return apply(descriptor, identity, h, weight);
    }

    public TensorProductDescriptor descriptor() {
        return descriptor;
    }

    public Tensor weight() {
        return weight;
    }

    @Override
    public Map<String, Tensor> namedParameters() {
        return Map.of("weight", weight);
    }
}
