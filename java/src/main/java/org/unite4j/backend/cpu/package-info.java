/**
 * The pure-Java reference backend: {@link org.unite4j.backend.cpu.CpuKernels} (array-level
 * kernels, float64 and float32 for the tensor product), run on {@link org.unite4j.backend.cpu.Parallel}
 * with a fixed partition of rows and a fixed summation order, so results are bitwise identical
 * for any thread count. The fused tensor product has scalar reference kernels and SIMD kernels
 * ({@code TpVector}, Vector API, used when {@code jdk.incubator.vector} is present) that give the
 * same bits.
 */
package org.unite4j.backend.cpu;
