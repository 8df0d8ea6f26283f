// Reductions of the Backend SPI in a fixed order (split into runs added in order): sums over axes and CSR gathers.
#pragma once
#include "u4j_common.cuh"

// out[j] = sum_r x[base(j) + red[r]], r = 0..count-1 in order (red = offsets of the reduced
// sub-array in row-major order); dims[0..nd) = out shape (1 on reduced axes), dims[nd..2nd) = x strides.
// Split reductions (reduce_sum, matmul, irrep_linear_bwd_w): a long sum is cut into `parts` runs
// of `per` terms; thread (c, j) writes the partial sum of run c of output j to part[c * n + j], and
// u4j_sum_parts adds the runs in order. The split depends on the sizes only, so results are
// bitwise reproducible; with parts = 1 the thread writes the whole sum straight to the output.
U4J_HD U4J_FI void u4j_sum_parts_thread(i64 n, int parts, const float* part, float* out, i64 tid) {
  const i64 j = tid;
  if (j >= n) return;
  float s = 0.f;
  for (int c = 0; c < parts; ++c) s += part[(i64)c * n + j];
  out[j] = s;
}
U4J_HD U4J_FI void u4j_reduce_sum_thread(int nd, i64 nOut, int count, int per, int parts, const int* dims, const int* red, const float* x,
                                          float* out, i64 tid) {
  const i64 id = tid;
  if (id >= nOut * parts) return;
  const i64 j = id % nOut;
  const int c = (int)(id / nOut);
  i64 rem = j, base = 0;
  for (int d = nd - 1; d >= 0; --d) {
    base += (rem % dims[d]) * (i64)dims[nd + d];
    rem /= dims[d];
  }
  const int r0 = c * per, r1 = u4j_min(count, r0 + per);
  float s = 0.f;
  for (int r = r0; r < r1; ++r) s += x[base + red[r]];
  out[id] = s;
}
// out[a, j] = sum_{k=ptr[a]}^{ptr[a+1]-1} x[col ? col[k] : k, j] in increasing k
U4J_HD U4J_FI void u4j_csr_gather_sum_thread(const int* ptr, const int* col, int rows, int width, const float* x, float* out, i64 tid) {
  const i64 t = tid;
  if (t >= (i64)rows * width) return;
  const int a = (int)(t / width), j = (int)(t % width);
  float s = 0.f;
  for (int k = ptr[a]; k < ptr[a + 1]; ++k) s += x[(i64)(col ? col[k] : k) * width + j];
  out[t] = s;
}

#if defined(__CUDACC__)
// __global__ entry points: one thread per output element (the thread functions above).
extern "C" __global__ void u4j_sum_parts(i64 n, int parts, const float* part, float* out) {
  u4j_sum_parts_thread(n, parts, part, out, U4J_TID());
}
extern "C" __global__ void u4j_reduce_sum(int nd, i64 nOut, int count, int per, int parts, const int* dims, const int* red, const float* x,
                                          float* out) {
  u4j_reduce_sum_thread(nd, nOut, count, per, parts, dims, red, x, out, U4J_TID());
}
extern "C" __global__ void u4j_csr_gather_sum(const int* ptr, const int* col, int rows, int width, const float* x, float* out) {
  u4j_csr_gather_sum_thread(ptr, col, rows, width, x, out, U4J_TID());
}
#endif
