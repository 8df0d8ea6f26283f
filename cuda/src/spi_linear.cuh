// Dense layers of the Backend SPI: matmul and the per-irrep linear map with its gradients.
#pragma once
#include "spi_reduce.cuh"

// out[m x n] = op(A) op(B), op(A) m x k (A stored k x m if transA), op(B) k x n (B stored n x k if transB);
// split over k in `parts` runs of `per` (see u4j_sum_parts)
U4J_HD U4J_FI void u4j_matmul_thread(int m, int k, int n, int transA, int transB, int per, int parts, const float* a, const float* b,
                                      float* out, i64 tid) {
  const i64 id = tid;
  const i64 mn = (i64)m * n;
  if (id >= mn * parts) return;
  const i64 t = id % mn;
  const int c = (int)(id / mn);
  const int i = (int)(t / n), j = (int)(t % n);
  const int k0 = c * per, k1 = u4j_min(k, k0 + per);
  float s = 0.f;
  for (int kk = k0; kk < k1; ++kk) {
    const float av = transA ? a[(i64)kk * m + i] : a[(i64)i * k + kk];
    const float bv = transB ? b[(i64)j * k + kk] : b[(i64)kk * n + j];
    s += av * bv;
  }
  out[id] = s;
}
// Per-irrep linear. P: [nInstr, inLayout(3+4*nIn ints) at P[1], outLayout at P[2], then instr j at 3 + 3j: inBlock, outBlock, wOff]
U4J_HD U4J_FI const int* u4j_lin_in(const int* P) { return P + P[1]; }
U4J_HD U4J_FI const int* u4j_lin_out(const int* P) { return P + P[2]; }
// out[r, o, m, co] = sum_{j: outBlock=o, in order} sum_ci W_j[co, ci] x[r, inBlock_j, m, ci]
U4J_HD U4J_FI void u4j_irrep_linear_thread(const int* P, int rows, const float* x, const float* wt, float* out, i64 tid) {
  const int* Li = u4j_lin_in(P); const int* Lo = u4j_lin_out(P);
  const int ow = Lo[1], iw = Li[1];
  const i64 t = tid;
  if (t >= (i64)rows * ow) return;
  const i64 r = t / ow; const int pos = (int)(t % ow);
  int o = 0;
  while (o + 1 < Lo[0] && Lo[3 + 4 * (o + 1) + 2] <= pos) ++o;
  const int mo = Lo[3 + 4 * o], m = (pos - Lo[3 + 4 * o + 2]) / mo, co = (pos - Lo[3 + 4 * o + 2]) % mo;
  float acc = 0.f;
  for (int j = 0; j < P[0]; ++j) {
    const int* I = P + 3 + 3 * j;
    if (I[1] != o) continue;
    const int ib = I[0], mi = Li[3 + 4 * ib];
    const float* wr = wt + I[2] + (i64)co * mi;
    const float* xr = x + r * iw + Li[3 + 4 * ib + 2] + (i64)m * mi;
    float s = 0.f;
    for (int ci = 0; ci < mi; ++ci) s += wr[ci] * xr[ci];
    acc += s;
  }
  out[t] = acc;
}
// gradX[r, i, m, ci] = sum_{j: inBlock=i, in order} sum_co W_j[co, ci] g[r, outBlock_j, m, co]
U4J_HD U4J_FI void u4j_irrep_linear_bwd_x_thread(const int* P, int rows, const float* wt, const float* g, float* gradX, i64 tid) {
  const int* Li = u4j_lin_in(P); const int* Lo = u4j_lin_out(P);
  const int ow = Lo[1], iw = Li[1];
  const i64 t = tid;
  if (t >= (i64)rows * iw) return;
  const i64 r = t / iw; const int pos = (int)(t % iw);
  int ib = 0;
  while (ib + 1 < Li[0] && Li[3 + 4 * (ib + 1) + 2] <= pos) ++ib;
  const int mi = Li[3 + 4 * ib], m = (pos - Li[3 + 4 * ib + 2]) / mi, ci = (pos - Li[3 + 4 * ib + 2]) % mi;
  float acc = 0.f;
  for (int j = 0; j < P[0]; ++j) {
    const int* I = P + 3 + 3 * j;
    if (I[0] != ib) continue;
    const int ob = I[1], mo = Lo[3 + 4 * ob];
    const float* gr = g + r * ow + Lo[3 + 4 * ob + 2] + (i64)m * mo;
    for (int co = 0; co < mo; ++co) acc += wt[I[2] + (i64)co * mi + ci] * gr[co];
  }
  gradX[t] = acc;
}
// gradW[wOff_j + co*mi + ci] = sum_r sum_m g[r, outBlock_j, m, co] x[r, inBlock_j, m, ci]; one thread per
// (weight, run of `per` rows), split over rows in `parts` runs (see u4j_sum_parts)
U4J_HD U4J_FI void u4j_irrep_linear_bwd_w_thread(const int* P, int rows, int numWeights, int per, int parts, const float* x, const float* g,
                                                  float* gradW, i64 tid) {
  const int* Li = u4j_lin_in(P); const int* Lo = u4j_lin_out(P);
  const int ow = Lo[1], iw = Li[1];
  const i64 id = tid;
  if (id >= (i64)numWeights * parts) return;
  const int t = (int)(id % numWeights), part = (int)(id / numWeights);
  gradW += (i64)part * numWeights;
  int j = -1;
  for (int q = 0; q < P[0]; ++q) {
    const int* I = P + 3 + 3 * q;
    const int sz = Li[3 + 4 * I[0]] * Lo[3 + 4 * I[1]];
    if (t >= I[2] && t < I[2] + sz) { j = q; break; }
  }
  if (j < 0) { gradW[t] = 0.f; return; }
  const int* I = P + 3 + 3 * j;
  const int ib = I[0], ob = I[1], mi = Li[3 + 4 * ib], mo = Lo[3 + 4 * ob], dim = Li[3 + 4 * ib + 1];
  const int co = (int)((t - I[2]) / mi), ci = (int)((t - I[2]) % mi);
  float acc = 0.f;
  const int r1 = u4j_min(rows, part * per + per);
  for (int r = part * per; r < r1; ++r) {
    const float* xr = x + (i64)r * iw + Li[3 + 4 * ib + 2];
    const float* gr = g + (i64)r * ow + Lo[3 + 4 * ob + 2];
    for (int m = 0; m < dim; ++m) acc += gr[(i64)m * mo + co] * xr[(i64)m * mi + ci];
  }
  gradW[t] = acc;
}

#if defined(__CUDACC__)
// __global__ entry points: one thread per output element (the thread functions above).
extern "C" __global__ void u4j_matmul(int m, int k, int n, int transA, int transB, int per, int parts, const float* a, const float* b,
                                      float* out) {
  u4j_matmul_thread(m, k, n, transA, transB, per, parts, a, b, out, U4J_TID());
}
extern "C" __global__ void u4j_irrep_linear(const int* P, int rows, const float* x, const float* wt, float* out) {
  u4j_irrep_linear_thread(P, rows, x, wt, out, U4J_TID());
}
extern "C" __global__ void u4j_irrep_linear_bwd_x(const int* P, int rows, const float* wt, const float* g, float* gradX) {
  u4j_irrep_linear_bwd_x_thread(P, rows, wt, g, gradX, U4J_TID());
}
extern "C" __global__ void u4j_irrep_linear_bwd_w(const int* P, int rows, int numWeights, int per, int parts, const float* x, const float* g,
                                                  float* gradW) {
  u4j_irrep_linear_bwd_w_thread(P, rows, numWeights, per, parts, x, g, gradW, U4J_TID());
}
#endif
