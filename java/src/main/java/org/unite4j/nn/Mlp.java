package org.unite4j.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.unite4j.autograd.F;
import org.unite4j.autograd.Tensor;
import org.unite4j.backend.Backend;
import org.unite4j.backend.DType;

/** Multilayer perceptron on scalars: Dense, SiLU, ..., Dense (no activation after the last). */
public final class Mlp implements Module {
    private final List<Dense> layers = new ArrayList<>();

    /** sizes = {in, hidden..., out}. */
    public Mlp(int[] sizes, Random rng, Backend backend, DType dtype) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("Mlp needs at least input and output sizes");
        }
        for (int i = 0; i + 1 < sizes.length; i++) {
            layers.add(new Dense(sizes[i], sizes[i + 1], true, rng, backend, dtype));
        }
    }

    public Tensor forward(Tensor x) {
        return forward(x, own());
    }

    /** The layers with layer i's parameters p.get("i.weight"), p.get("i.bias"); SiLU between layers. */
    public Tensor forward(Tensor x, Params p) {
        for (int i = 0; i < layers.size(); i++) {
            String pre = i + ".";
            x = layers.get(i).forward(x, name -> p.get(pre + name));
            if (i + 1 < layers.size()) {
                x = F.silu(x);
            }
        }
        return x;
    }

    /** Number of Dense layers. */
    public int depth() {
        return layers.size();
    }

    @Override
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> p = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            for (Map.Entry<String, Tensor> e : layers.get(i).namedParameters().entrySet()) {
                p.put(i + "." + e.getKey(), e.getValue());
            }
        }
        return p;
    }
}
