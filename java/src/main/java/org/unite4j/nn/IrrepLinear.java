package org.unite4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.unite4j.autograd.F;
import org.unite4j.autograd.Tensor;
import org.unite4j.backend.Backend;
import org.unite4j.backend.BlockLayout;
import org.unite4j.backend.DType;
import org.unite4j.backend.LinearPlan;
import org.unite4j.irreps.Irrep;
import org.unite4j.irreps.Irreps;

/**
 * Equivariant linear layer on "ir_mul" features: one weight matrix per pair of input/output
 * blocks of the same irrep (l, parity), mixing channels only:
 * out[o, m, c'] = sum_{i: ir_i = ir_o} sum_c W_{io}[c', c] x[i, m, c] (+ b[c'] on 0e blocks).
 * Weights start N(0, 1/fan_in) with fan_in = the channels feeding the output block; output
 * irreps absent from the input are zero (plus bias on 0e).
 */
public final class IrrepLinear implements Module {
    private final Irreps in;
    private final Irreps out;
    private final LinearPlan plan;
    private final Tensor weight;
    private final Tensor bias;
    private final int[] biasIndex;

    public IrrepLinear(Irreps in, Irreps out, boolean bias, Random rng, Backend backend, DType dtype) {
        this.in = in;
        this.out = out;
        this.plan = plan(in, out);
        double[] w = new double[plan.numWeights()];
        int[] fanIn = new int[out.size()];
        for (int j = 0; j < plan.numInstructions(); j++) {
            fanIn[plan.outBlock()[j]] += in.get(plan.inBlock()[j]).mul();
        }
        for (int j = 0; j < plan.numInstructions(); j++) {
            int n = in.get(plan.inBlock()[j]).mul() * out.get(plan.outBlock()[j]).mul();
            double s = 1.0 / Math.sqrt(fanIn[plan.outBlock()[j]]);
            for (int q = 0; q < n; q++) {
                w[plan.weightOffset()[j] + q] = s * rng.nextGaussian();
            }
        }
        weight = Tensor.of(backend, dtype, w, w.length).requiresGrad(true);
        biasIndex = bias ? biasIndex(out) : null;
        int nb = bias ? scalarChannels(out) : 0;
        this.bias = nb > 0 ? Tensor.zeros(backend, dtype, nb).requiresGrad(true) : null;
    }

    /** The per-irrep plan between two irreps (instructions pair equal irreps). */
    public static LinearPlan plan(Irreps in, Irreps out) {
        Object[] ti = new Object[in.size()], to = new Object[out.size()];
        for (int i = 0; i < in.size(); i++) {
            ti[i] = in.get(i).ir();
        }
        for (int o = 0; o < out.size(); o++) {
            to[o] = out.get(o).ir();
        }
        return LinearPlan.between(BlockLayout.of(in), BlockLayout.of(out), ti, to);
    }

    private static int scalarChannels(Irreps out) {
        int n = 0;
        for (Irreps.MulIrrep b : out) {
            if (b.ir().equals(Irrep.parse("0e"))) {
                n += b.mul();
            }
        }
        return n;
    }

    /** For every feature position, the bias entry it receives, or nb (a zero slot). */
    private static int[] biasIndex(Irreps out) {
        int nb = scalarChannels(out);
        int[] idx = new int[out.dim()];
        java.util.Arrays.fill(idx, nb);
        int k = 0;
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).ir().equals(Irrep.parse("0e"))) {
                for (int c = 0; c < out.get(i).mul(); c++) {
                    idx[out.offset(i) + c] = k++;
                }
            }
        }
        return idx;
    }

    /**
     * The layer as a function of all its inputs: x [rows, in.dim()], w [numWeights], and the bias
     * b [scalar channels] or null; {@code biasIndex} from the layer.
     */
    public static Tensor apply(LinearPlan plan, Tensor x, Tensor w, Tensor b, int[] biasIndex) {
        Tensor y = F.irrepLinear(plan, x, w);
        if (b == null) {
            return y;
        }
        Tensor padded = F.concat(0, F.reshape(b, b.size(), 1), Tensor.zeros(b.backend(), b.dtype(), 1, 1));
        return F.add(y, F.reshape(F.indexSelect(padded, biasIndex), biasIndex.length));
    }

    public Tensor forward(Tensor x) {
        return forward(x, own());
    }

    /** The layer with weight = p.get("weight") and bias = p.get("bias") (when it has one). */
    public Tensor forward(Tensor x, Params p) {
        return apply(plan, x, p.get("weight"), bias == null ? null : p.get("bias"), biasIndex);
    }

    public Irreps inIrreps() {
        return in;
    }

    public Irreps outIrreps() {
        return out;
    }

    public LinearPlan plan() {
        return plan;
    }

    /** Positions of bias entries in an output row (see {@link #apply}); null without bias. */
    public int[] biasIndex() {
        return biasIndex == null ? null : biasIndex.clone();
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    public Map<String, Tensor> namedParameters() {
        return Module.weightAndBias(weight, bias);
    }
}
