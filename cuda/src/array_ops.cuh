// The array-level kernels of org.unite4j.backend.cuda.CudaKernels beyond the tensor product: fills,
// axpy, elementwise products and sums, scaling, AdamW.
#pragma once
#include "u4j_common.cuh"

U4J_HD U4J_FI void u4j_fill_thread(float* x, i64 n, float v, i64 tid) {
  const i64 t = tid; if (t < n) x[t] = v;
}
// x[i] = lo + (hi - lo) * u(seed, i), u a hash of (seed, i) in [0, 1): fills benchmark inputs on
// the device without host traffic; the same (seed, n) gives the same values on every run.
U4J_HD U4J_FI void u4j_fill_uniform_thread(float* x, i64 n, unsigned int seed, float lo, float hi, i64 tid) {
  const i64 t = tid;
  if (t >= n) return;
  unsigned long long z = (unsigned long long)t + 0x9E3779B97F4A7C15ull * (seed + 1ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  x[t] = lo + (hi - lo) * ((float)(z >> 40) * (1.0f / 16777216.0f));
}
// y = a * x + y
U4J_HD U4J_FI void u4j_axpy_thread(i64 n, float a, const float* x, float* y, i64 tid) {
  const i64 t = tid; if (t < n) y[t] = fmaf(a, x[t], y[t]);
}
// z = x * y
U4J_HD U4J_FI void u4j_mul_thread(i64 n, const float* x, const float* y, float* z, i64 tid) {
  const i64 t = tid; if (t < n) z[t] = x[t] * y[t];
}
// z = x + y
U4J_HD U4J_FI void u4j_add_thread(i64 n, const float* x, const float* y, float* z, i64 tid) {
  const i64 t = tid; if (t < n) z[t] = x[t] + y[t];
}
// y = x * s (s a scalar)
U4J_HD U4J_FI void u4j_scale_thread(i64 n, float s, const float* x, float* y, i64 tid) {
  const i64 t = tid; if (t < n) y[t] = x[t] * s;
}
// AdamW step (Loshchilov & Hutter): m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
// p -= lr * ( (m / bc1) / (sqrt(v / bc2) + eps) + wd * p ),  bc1 = 1-b1^t, bc2 = 1-b2^t (host-side).
U4J_HD U4J_FI void u4j_adamw_thread(i64 n, float* p, const float* g, float* m, float* v, float lr, float b1,
                                     float b2, float eps, float wd, float bc1, float bc2, i64 tid) {
  const i64 t = tid;
  if (t >= n) return;
  const float gi = g[t];
  const float mi = fmaf(b1, m[t], (1.f - b1) * gi);
  const float vi = fmaf(b2, v[t], (1.f - b2) * gi * gi);
  m[t] = mi; v[t] = vi;
  const float pi = p[t];
  p[t] = pi - lr * ((mi / bc1) / (sqrtf(vi / bc2) + eps) + wd * pi);
}

#if defined(__CUDACC__)
// __global__ entry points: one thread per element (the thread functions above).
extern "C" __global__ void u4j_fill(float* x, i64 n, float v) {
  u4j_fill_thread(x, n, v, U4J_TID());
}
extern "C" __global__ void u4j_fill_uniform(float* x, i64 n, unsigned int seed, float lo, float hi) {
  u4j_fill_uniform_thread(x, n, seed, lo, hi, U4J_TID());
}
extern "C" __global__ void u4j_axpy(i64 n, float a, const float* x, float* y) {
  u4j_axpy_thread(n, a, x, y, U4J_TID());
}
extern "C" __global__ void u4j_mul(i64 n, const float* x, const float* y, float* z) {
  u4j_mul_thread(n, x, y, z, U4J_TID());
}
extern "C" __global__ void u4j_add(i64 n, const float* x, const float* y, float* z) {
  u4j_add_thread(n, x, y, z, U4J_TID());
}
extern "C" __global__ void u4j_scale(i64 n, float s, const float* x, float* y) {
  u4j_scale_thread(n, s, x, y, U4J_TID());
}
extern "C" __global__ void u4j_adamw(i64 n, float* p, const float* g, float* m, float* v, float lr, float b1,
                                     float b2, float eps, float wd, float bc1, float bc2) {
  u4j_adamw_thread(n, p, g, m, v, lr, b1, b2, eps, wd, bc1, bc2, U4J_TID());
}
#endif
