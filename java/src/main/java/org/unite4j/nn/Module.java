package org.unite4j.nn;

import java.util.List;
import org.unite4j.autograd.Tensor;

/** A layer with trainable parameters (leaf tensors with requiresGrad). */
public interface Module {
    /** The trainable parameters, in a fixed order (used by optimizers and save/load). */
    List<Tensor> parameters();
}
