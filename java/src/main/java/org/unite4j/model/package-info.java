/**
 * The UNiTE network (DESIGN.md section 4): {@link org.unite4j.model.UniteModel} (embedding of the
 * diagonal blocks, message passing with the fused CG tensor product over the kept atom pairs,
 * point-wise self tensor product, EvNorm and gate, energy and dipole heads),
 * {@link org.unite4j.model.UniteConfig} (architecture, JSON) and {@link org.unite4j.model.Heads}
 * (what the heads predict: labels, units, element shifts, scales, delta learning). Saving and
 * loading is {@code org.unite4j.train.ModelStore} (the package rule keeps the safetensors code in
 * train).
 */
package org.unite4j.model;
