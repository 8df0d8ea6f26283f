/**
 * The pure-Java reference backend: {@link org.unite4j.backend.cpu.CpuKernels} (array-level
 * kernels, float64 and float32 for the tensor product), run on {@link org.unite4j.backend.cpu.Parallel}
 * with a fixed partition of rows and a fixed summation order, so results are bitwise identical
 * for any thread count.
 */
package org.unite4j.backend.cpu;
