package org.unite4j.nn;

import java.util.ArrayList;
import java.util.List;
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
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(x);
            if (i + 1 < layers.size()) {
                x = F.silu(x);
            }
        }
        return x;
    }

    @Override
    public List<Tensor> parameters() {
        List<Tensor> p = new ArrayList<>();
        for (Dense d : layers) {
            p.addAll(d.parameters());
        }
        return p;
    }
}
