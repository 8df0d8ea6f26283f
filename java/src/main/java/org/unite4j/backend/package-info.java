/**
 * The compute backend SPI ({@link org.unite4j.backend.Backend}, found by ServiceLoader through
 * {@link org.unite4j.backend.Backends}), the CSR graph every gather runs on
 * ({@link org.unite4j.backend.CsrGraph}), and the flattened execution plans the kernels take
 * ({@link org.unite4j.backend.TpPlan}, {@link org.unite4j.backend.LinearPlan},
 * {@link org.unite4j.backend.BlockLayout}).
 */
package org.unite4j.backend;
