package org.unite4j.nn;

import java.util.Map;
import java.util.Random;
import org.unite4j.autograd.F;
import org.unite4j.autograd.Tensor;
import org.unite4j.backend.Backend;
import org.unite4j.backend.DType;

/** Fully connected layer on scalars: y = x W + b, x [n, in], W [in, out] ~ N(0, 1/in), b [out] = 0. */
public final class Dense implements Module {
    private final Tensor weight;
    private final Tensor bias;

    public Dense(int in, int out, boolean bias, Random rng, Backend backend, DType dtype) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Dense: sizes must be positive, got " + in + " -> " + out);
        }
        weight = Tensor.randn(rng, 1.0 / Math.sqrt(in), backend, dtype, in, out).requiresGrad(true);
        this.bias = bias ? Tensor.zeros(backend, dtype, out).requiresGrad(true) : null;
    }

    public Tensor forward(Tensor x) {
        return forward(x, own());
    }

    /** x W + b with W = p.get("weight") and b = p.get("bias"). */
    public Tensor forward(Tensor x, Params p) {
        Tensor y = F.matmul(x, p.get("weight"));
        return bias == null ? y : F.add(y, p.get("bias"));
    }

    public Tensor weight() {
        return weight;
    }

    @Override
    public Map<String, Tensor> namedParameters() {
        return Module.weightAndBias(weight, bias);
    }
}
