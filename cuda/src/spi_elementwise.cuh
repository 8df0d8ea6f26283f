// Elementwise kernels of the Backend SPI ("cuda" backend, float32): unary, binary, copies, gathers of rows,
// irrep dot/scale, Adam. Same math as org.unite4j.backend.cpu.CpuKernels; one thread per output element.
#pragma once
#include "u4j_common.cuh"

U4J_HD U4J_FI float u4j_sigmoid(float x) {
  if (x >= 0.f) return 1.f / (1.f + expf(-x));
  const float e = expf(x);
  return e / (1.f + e);
}
// op codes = org.unite4j.backend.UnaryOp ordinals
U4J_HD U4J_FI float u4j_unary_f(int op, float x, float p) {
  switch (op) {
    case 0: return -x;
    case 1: return expf(x);
    case 2: return logf(x);
    case 3: return sqrtf(x);
    case 4: return x * x;
    case 5: return 1.f / x;
    case 6: return fabsf(x);
    case 7: return u4j_sigmoid(x);
    case 8: return x * u4j_sigmoid(x);
    case 9: return fmaxf(x, 0.f) + log1pf(expf(-fabsf(x)));
    case 10: return tanhf(x);
    case 11: return powf(x, p);
    case 12: return fabsf(x) <= p ? 0.5f * x * x : p * (fabsf(x) - 0.5f * p);
    case 13: return p * x;
    case 14: return x + p;
  }
  return u4j_bits_to_float(0x7fc00000);
}
U4J_HD U4J_FI float u4j_signf(float x) { return x > 0.f ? 1.f : (x < 0.f ? -1.f : x); }
U4J_HD U4J_FI float u4j_unary_d(int op, float x, float p) {
  switch (op) {
    case 0: return -1.f;
    case 1: return expf(x);
    case 2: return 1.f / x;
    case 3: return 0.5f / sqrtf(x);
    case 4: return 2.f * x;
    case 5: return -1.f / (x * x);
    case 6: return u4j_signf(x);
    case 7: { const float s = u4j_sigmoid(x); return s * (1.f - s); }
    case 8: { const float s = u4j_sigmoid(x); return s * (1.f + x * (1.f - s)); }
    case 9: return u4j_sigmoid(x);
    case 10: { const float t = tanhf(x); return 1.f - t * t; }
    case 11: return p == 0.f ? 0.f : p * powf(x, p - 1.f);
    case 12: return fabsf(x) <= p ? x : p * u4j_signf(x);
    case 13: return p;
    case 14: return 1.f;
  }
  return u4j_bits_to_float(0x7fc00000);
}
U4J_HD U4J_FI void u4j_unary_thread(int op, float p, i64 n, const float* x, float* out, i64 tid) {
  const i64 t = tid; if (t < n) out[t] = u4j_unary_f(op, x[t], p);
}
U4J_HD U4J_FI void u4j_unary_bwd_thread(int op, float p, i64 n, const float* x, const float* gy, float* gx, i64 tid) {
  const i64 t = tid; if (t < n) gx[t] = gy[t] * u4j_unary_d(op, x[t], p);
}
// out = a (op) b with broadcasting: dims[0..nd) = out shape, dims[nd..2nd) = a strides (0 where
// broadcast), dims[2nd..3nd) = b strides. op = BinaryOp ordinal (ADD, SUB, MUL, DIV).
U4J_HD U4J_FI void u4j_binary_thread(int op, int nd, i64 n, const int* dims, const float* a, const float* b, float* out, i64 tid) {
  const i64 t = tid;
  if (t >= n) return;
  i64 rem = t, ia = 0, ib = 0;
  for (int d = nd - 1; d >= 0; --d) {
    const int idx = (int)(rem % dims[d]);
    rem /= dims[d];
    ia += (i64)idx * dims[nd + d];
    ib += (i64)idx * dims[2 * nd + d];
  }
  const float x = a[ia], y = b[ib];
  out[t] = op == 0 ? x + y : op == 1 ? x - y : op == 2 ? x * y : x / y;
}
U4J_HD U4J_FI void u4j_copy_blocks_thread(const float* src, int srcStride, int srcOffset, float* dst, int dstStride, int dstOffset,
                                           int outer, int count, i64 tid) {
  const i64 t = tid;
  if (t >= (i64)outer * count) return;
  const int o = (int)(t / count), j = (int)(t % count);
  dst[(i64)dstOffset + (i64)o * dstStride + j] = src[(i64)srcOffset + (i64)o * srcStride + j];
}
U4J_HD U4J_FI void u4j_index_select_thread(const float* x, int width, const int* index, int rows, float* out, i64 tid) {
  const i64 t = tid;
  if (t >= (i64)rows * width) return;
  const int i = (int)(t / width), j = (int)(t % width);
  out[t] = x[(i64)index[i] * width + j];
}
// layout: L[0] = nBlocks, L[1] = width, L[2] = channels, then per block i at 3 + 4i: mul, dim, offset, channelOffset
U4J_HD U4J_FI int u4j_block_of_channel(const int* L, int ch) {
  int i = 0;
  while (i + 1 < L[0] && L[3 + 4 * (i + 1) + 3] <= ch) ++i;
  return i;
}
// out[r, chOff(i)+c] = sum_m a[r, off(i)+m*mul+c] b[...]
U4J_HD U4J_FI void u4j_irrep_dot_thread(const int* L, int rows, const float* a, const float* b, float* out, i64 tid) {
  const i64 t = tid;
  const int nc = L[2], w = L[1];
  if (t >= (i64)rows * nc) return;
  const i64 r = t / nc; const int ch = (int)(t % nc);
  const int i = u4j_block_of_channel(L, ch);
  const int mul = L[3 + 4 * i], dim = L[3 + 4 * i + 1], off = L[3 + 4 * i + 2], c = ch - L[3 + 4 * i + 3];
  const i64 xb = r * w + off + c;
  float s = 0.f;
  for (int m = 0; m < dim; ++m) s += a[xb + (i64)m * mul] * b[xb + (i64)m * mul];
  out[t] = s;
}
// out[r, off(i)+m*mul+c] = x[...] * s[(sRows == 1 ? 0 : r), chOff(i)+c]
U4J_HD U4J_FI void u4j_irrep_scale_thread(const int* L, int rows, const float* x, const float* s, int sRows, float* out, i64 tid) {
  const i64 t = tid;
  const int nc = L[2], w = L[1];
  if (t >= (i64)rows * w) return;
  const i64 r = t / w; const int pos = (int)(t % w);
  int i = 0;
  while (i + 1 < L[0] && L[3 + 4 * (i + 1) + 2] <= pos) ++i;
  const int mul = L[3 + 4 * i], off = L[3 + 4 * i + 2];
  const int c = (pos - off) % mul;
  out[t] = x[t] * s[(sRows == 1 ? 0 : r) * nc + L[3 + 4 * i + 3] + c];
}
// Adam (decoupled = 0: g += wd p first) / AdamW (decoupled = 1: p -= lr wd p): as CpuKernels.adamStep
U4J_HD U4J_FI void u4j_adam_step_thread(i64 n, float* p, const float* g, float* m, float* v, float lr, float b1, float b2,
                                         float eps, float wd, int decoupled, float c1, float c2, i64 tid) {
  const i64 t = tid;
  if (t >= n) return;
  const float pi = p[t];
  const float gi = decoupled ? g[t] : g[t] + wd * pi;
  const float mi = b1 * m[t] + (1.f - b1) * gi;
  const float vi = b2 * v[t] + (1.f - b2) * gi * gi;
  m[t] = mi; v[t] = vi;
  float upd = (mi / c1) / (sqrtf(vi / c2) + eps);
  if (decoupled) upd += wd * pi;
  p[t] = pi - lr * upd;
}

#if defined(__CUDACC__)
// __global__ entry points: one thread per output element (the thread functions above).
extern "C" __global__ void u4j_unary(int op, float p, i64 n, const float* x, float* out) {
  u4j_unary_thread(op, p, n, x, out, U4J_TID());
}
extern "C" __global__ void u4j_unary_bwd(int op, float p, i64 n, const float* x, const float* gy, float* gx) {
  u4j_unary_bwd_thread(op, p, n, x, gy, gx, U4J_TID());
}
extern "C" __global__ void u4j_binary(int op, int nd, i64 n, const int* dims, const float* a, const float* b, float* out) {
  u4j_binary_thread(op, nd, n, dims, a, b, out, U4J_TID());
}
extern "C" __global__ void u4j_copy_blocks(const float* src, int srcStride, int srcOffset, float* dst, int dstStride, int dstOffset,
                                           int outer, int count) {
  u4j_copy_blocks_thread(src, srcStride, srcOffset, dst, dstStride, dstOffset, outer, count, U4J_TID());
}
extern "C" __global__ void u4j_index_select(const float* x, int width, const int* index, int rows, float* out) {
  u4j_index_select_thread(x, width, index, rows, out, U4J_TID());
}
extern "C" __global__ void u4j_irrep_dot(const int* L, int rows, const float* a, const float* b, float* out) {
  u4j_irrep_dot_thread(L, rows, a, b, out, U4J_TID());
}
extern "C" __global__ void u4j_irrep_scale(const int* L, int rows, const float* x, const float* s, int sRows, float* out) {
  u4j_irrep_scale_thread(L, rows, x, s, sRows, out, U4J_TID());
}
extern "C" __global__ void u4j_adam_step(i64 n, float* p, const float* g, float* m, float* v, float lr, float b1, float b2,
                                         float eps, float wd, int decoupled, float c1, float c2) {
  u4j_adam_step_thread(n, p, g, m, v, lr, b1, b2, eps, wd, decoupled, c1, c2, U4J_TID());
}
#endif
