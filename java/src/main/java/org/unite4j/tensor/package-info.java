/**
 * N-body tensors over the atoms of a molecule: the AO {@link org.unite4j.tensor.Basis} (shells per
 * atom), the block-sparse {@link org.unite4j.tensor.NBodyTensor} (N = 1, 2, 3; Frobenius norms,
 * cutoff -ln||T_b||_F &lt; tau), the padded {@link org.unite4j.tensor.ShellSlots} layout and the
 * Clebsch-Gordan {@link org.unite4j.tensor.IrrepDecomposition} of blocks into O(3) irreps.
 */
package org.unite4j.tensor;
