/**
 * Equivariant layers on "ir_mul" features: per-irrep {@link org.unite4j.nn.IrrepLinear}, the
 * fused CG convolution {@link org.unite4j.nn.TensorProduct}, the point-wise
 * {@link org.unite4j.nn.SelfTensorProduct}, {@link org.unite4j.nn.EvNorm}, norms and the gate
 * ({@link org.unite4j.nn.IrrepOps}), scalar {@link org.unite4j.nn.Dense}/{@link org.unite4j.nn.Mlp},
 * {@link org.unite4j.nn.Losses} and the {@link org.unite4j.nn.Adam} optimizer (Adam and AdamW).
 * {@code org.unite4j.nn.selftest} holds the op registry behind {@code unite selftest}.
 */
package org.unite4j.nn;
