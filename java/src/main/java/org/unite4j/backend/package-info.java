/**
 * The compute backend SPI ({@link org.unite4j.backend.Backend}, found by ServiceLoader through
 * {@link org.unite4j.backend.Backends}), the CSR graph every gather runs on
 * ({@link org.unite4j.backend.CsrGraph}), the tensor product as each backend compiles it from
 * its descriptor ({@link org.unite4j.backend.CompiledTp}), and the flattened plans of the other
 * kernels ({@link org.unite4j.backend.LinearPlan}, {@link org.unite4j.backend.BlockLayout}).
 */
package org.unite4j.backend;
