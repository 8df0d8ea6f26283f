package org.unite4j.nn;

import java.util.List;
import java.util.Map;
import org.unite4j.autograd.Tensor;

/**
 * A layer with trainable parameters (leaf tensors with requiresGrad), each under a local name
 * ("weight", "bias", "0.weight", ...). A model composes modules and names their parameters
 * "MODULE.LOCAL"; the layers' {@code forward(x, params)} take the parameters through a
 * {@link Params} lookup, so a caller can run a layer on replaced parameters (gradient checks,
 * functional use) without copying it.
 */
public interface Module {
    /** The trainable parameters by local name, in a fixed order (used by optimizers and save/load). */
    Map<String, Tensor> namedParameters();

    /** The trainable parameters in the order of {@link #namedParameters()}. */
    default List<Tensor> parameters() {
        return List.copyOf(namedParameters().values());
    }

    /** {"weight": weight, "bias": bias}, without "bias" when it is null (the layers' usual pair). */
    static Map<String, Tensor> weightAndBias(Tensor weight, Tensor bias) {
        Map<String, Tensor> p = new java.util.LinkedHashMap<>();
        p.put("weight", weight);
        if (bias != null) {
            p.put("bias", bias);
        }
        return p;
    }

    /** A lookup of parameters by local name. */
    @FunctionalInterface
    interface Params {
        Tensor get(String name);
    }

    /** The module's own parameters as a lookup. */
    default Params own() {
        Map<String, Tensor> p = namedParameters();
        return name -> {
            Tensor t = p.get(name);
            if (t == null) throw new IllegalArgumentException(getClass().getSimpleName() + " has no parameter " + name);
            return t;
        };
    }
}
