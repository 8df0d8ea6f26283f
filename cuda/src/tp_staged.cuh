// Tensor-product schedule STAGED: each edge's input rows loaded once into shared memory.
#pragma once
#include "tp_row.cuh"

// =============================================================================================
// "Staged" variants: one warp per (receiver or sender row, 32-channel tile). For each edge of the
// row, every row of the edge's inputs (e[k], h[s] or g[a], w[k]) is loaded from global memory ONCE
// into the warp's shared-memory slice (lane-private columns [i * 32 + lane]: conflict-free, no
// synchronisation), with up to 3 x U4J_ROUND independent loads in flight per lane; the paths then
// read their CG operands from shared memory. The BLOCK/ROW kernels re-read e/h/g per path (about 105
// rows of 128 B per edge for 0e+1o+2e, 11 paths, instead of 27-29): their L1 cannot hold the working
// set, so they run at the L2 bandwidth, not the DRAM's. Same math and the same fixed order (edges,
// then paths, then CG entries) as the ROW variants: bitwise equal to them.
// Shared memory per warp (floats x 32): fwd edgeDim+nodeDim+numPaths+outDim;
// bwd_edge outDim+2*edgeDim+nodeDim+numPaths; bwd_node edgeDim+outDim+numPaths+nodeDim.
// =============================================================================================
#ifdef __CUDA_ARCH__
#define U4J_LDG(p) __ldg(p)
#else
#define U4J_LDG(p) (*(p))
#endif
#define U4J_ROUND 12

// d_j[i * 32] = s_j[i * C] for i < n_j (j = 0, 1, 2; n_j = 0 for an unused source); each round
// issues all its loads before the first store, so they are in flight together. The loads of a round
// are branch-free: rows past n_j re-read row n_j - 1 (same cache line, no extra DRAM traffic).
U4J_HD U4J_FI void u4j_stage3(float* d0, const float* s0, int n0, float* d1, const float* s1, int n1, float* d2,
                              const float* s2, int n2, int C) {
  const int n = n0 > n1 ? (n0 > n2 ? n0 : n2) : (n1 > n2 ? n1 : n2);
  for (int r = 0; r < n; r += U4J_ROUND) {
    float v0[U4J_ROUND], v1[U4J_ROUND], v2[U4J_ROUND];
    if (r < n0) {
#pragma unroll
      for (int i = 0; i < U4J_ROUND; ++i) v0[i] = U4J_LDG(s0 + (i64)u4j_min(r + i, n0 - 1) * C);
    }
    if (r < n1) {
#pragma unroll
      for (int i = 0; i < U4J_ROUND; ++i) v1[i] = U4J_LDG(s1 + (i64)u4j_min(r + i, n1 - 1) * C);
    }
    if (r < n2) {
#pragma unroll
      for (int i = 0; i < U4J_ROUND; ++i) v2[i] = U4J_LDG(s2 + (i64)u4j_min(r + i, n2 - 1) * C);
    }
#pragma unroll
    for (int i = 0; i < U4J_ROUND; ++i) {
      if (r + i < n0) d0[(r + i) * 32] = v0[i];
      if (r + i < n1) d1[(r + i) * 32] = v1[i];
      if (r + i < n2) d2[(r + i) * 32] = v2[i];
    }
  }
}

U4J_HD U4J_FI int u4j_fwd_stg_floats(int edgeDim, int nodeDim, int outDim, int numPaths) {
  return edgeDim + nodeDim + numPaths + outDim;
}
U4J_HD U4J_FI int u4j_bwd_edge_stg_floats(int edgeDim, int nodeDim, int outDim, int numPaths) {
  return outDim + 2 * edgeDim + nodeDim + numPaths;
}
U4J_HD U4J_FI int u4j_bwd_node_stg_floats(int edgeDim, int nodeDim, int outDim, int numPaths) {
  return edgeDim + outDim + numPaths + nodeDim;
}

struct FwdStg {
  const float *E, *H, *W;  // this lane's staged columns
  float* acc;
  int p, offE, offH, offO;
  float scale;
  template <int L1, int L2, int L3> U4J_HD U4J_FI void go() {
    const float we = W[p * 32] * scale;
    float x1[2 * L1 + 1], x2[2 * L2 + 1], t[2 * L3 + 1];
#pragma unroll
    for (int i = 0; i < 2 * L1 + 1; ++i) x1[i] = we * E[(offE + i) * 32];
#pragma unroll
    for (int i = 0; i < 2 * L2 + 1; ++i) x2[i] = H[(offH + i) * 32];
#pragma unroll
    for (int i = 0; i < 2 * L3 + 1; ++i) t[i] = 0.f;
    CG<L1, L2, L3>::fwd(t, x1, x2);
#pragma unroll
    for (int i = 0; i < 2 * L3 + 1; ++i) acc[(offO + i) * 32] += t[i];
  }
};

// sm: the warp's shared slice (u4j_fwd_stg_floats(...) * 32 floats)
U4J_HD U4J_FI void u4j_tp_fwd_stg_thread(const TpArgs& A, float* out, int numNodes, i64 warp, int lane, float* sm) {
  const int tiles = (A.C + 31) >> 5;
  if (warp >= (i64)numNodes * tiles) return;
  const int tile = (int)(warp % tiles), a = (int)(warp / tiles);
  const int c = tile * 32 + lane, C = A.C;
  if (c >= C) return;
  FwdStg F;
  float* E = sm + lane;
  float* H = E + A.edgeDim * 32;
  float* W = H + A.nodeDim * 32;
  F.E = E; F.H = H; F.W = W; F.acc = W + A.numPaths * 32;
  for (int i = 0; i < A.outDim; ++i) F.acc[i * 32] = 0.f;
  const int np = A.plan[0], k0 = A.rowPtr[a], k1 = A.rowPtr[a + 1];
  int sNext = k0 < k1 ? A.sender[k0] : 0;
  for (int k = k0; k < k1; ++k) {
    const i64 s = sNext;
    if (k + 1 < k1) sNext = A.sender[k + 1];
    u4j_stage3(E, A.e + (i64)k * A.edgeDim * C + c, A.edgeDim, H, A.h + s * A.nodeDim * C + c, A.nodeDim,
               W, A.w + (i64)k * A.numPaths * C + c, A.numPaths, C);
    for (int p = 0; p < np; ++p) {
      const int* P = U4J_PATH(A.plan, p);
      F.p = p; F.offE = P[3]; F.offH = P[4]; F.offO = P[5]; F.scale = u4j_bits_to_float(P[6]);
      u4j_dispatch3(P[0], P[1], P[2], F);
    }
  }
  float* op = out + (i64)a * A.outDim * C + c;
  for (int i = 0; i < A.outDim; ++i) op[(i64)i * C] = F.acc[i * 32];
}

struct BwdEStg {
  const float *E, *H, *G, *W;
  float* ge;      // gradE accumulator column
  float* gradW;   // gradW + k * numPaths * C + c
  int C, p, offE, offH, offO;
  float scale;
  template <int L1, int L2, int L3> U4J_HD U4J_FI void go() {
    float x1[2 * L1 + 1], x2[2 * L2 + 1], g3[2 * L3 + 1], t1[2 * L1 + 1];
#pragma unroll
    for (int i = 0; i < 2 * L1 + 1; ++i) { x1[i] = E[(offE + i) * 32]; t1[i] = 0.f; }
#pragma unroll
    for (int i = 0; i < 2 * L2 + 1; ++i) x2[i] = H[(offH + i) * 32];
#pragma unroll
    for (int i = 0; i < 2 * L3 + 1; ++i) g3[i] = G[(offO + i) * 32];
    CG<L1, L2, L3>::bwd1(t1, x2, g3);
    float gw = 0.f;
#pragma unroll
    for (int i = 0; i < 2 * L1 + 1; ++i) gw = fmaf(x1[i], t1[i], gw);
    gradW[(i64)p * C] = gw * scale;
    const float we = W[p * 32] * scale;
#pragma unroll
    for (int i = 0; i < 2 * L1 + 1; ++i) ge[(offE + i) * 32] = fmaf(we, t1[i], ge[(offE + i) * 32]);
  }
};

// One warp per (receiver a, tile): g[a] staged once for the row's edges; per edge e[k], h[s], w[k]
// staged, gradE[k] accumulated in shared memory, gradW[k, p] written per path.
U4J_HD U4J_FI void u4j_tp_bwd_edge_stg_thread(const TpArgs& A, float* gradE, float* gradW, int numNodes, i64 warp, int lane,
                                              float* sm) {
  const int tiles = (A.C + 31) >> 5;
  if (warp >= (i64)numNodes * tiles) return;
  const int tile = (int)(warp % tiles), a = (int)(warp / tiles);
  const int c = tile * 32 + lane, C = A.C;
  if (c >= C) return;
  float* G = sm + lane;
  float* E = G + A.outDim * 32;
  float* H = E + A.edgeDim * 32;
  float* W = H + A.nodeDim * 32;
  float* GE = W + A.numPaths * 32;
  const int np = A.plan[0], k0 = A.rowPtr[a], k1 = A.rowPtr[a + 1];
  if (k0 == k1) return;
  u4j_stage3(G, A.g + (i64)a * A.outDim * C + c, A.outDim, nullptr, nullptr, 0, nullptr, nullptr, 0, C);
  BwdEStg F;
  F.E = E; F.H = H; F.G = G; F.W = W; F.ge = GE; F.C = C;
  int sNext = A.sender[k0];
  for (int k = k0; k < k1; ++k) {
    const i64 s = sNext;
    if (k + 1 < k1) sNext = A.sender[k + 1];
    u4j_stage3(E, A.e + (i64)k * A.edgeDim * C + c, A.edgeDim, H, A.h + s * A.nodeDim * C + c, A.nodeDim,
               W, A.w + (i64)k * A.numPaths * C + c, A.numPaths, C);
    for (int i = 0; i < A.edgeDim; ++i) GE[i * 32] = 0.f;
    F.gradW = gradW + (i64)k * A.numPaths * C + c;
    for (int p = 0; p < np; ++p) {
      const int* P = U4J_PATH(A.plan, p);
      F.p = p; F.offE = P[3]; F.offH = P[4]; F.offO = P[5]; F.scale = u4j_bits_to_float(P[6]);
      u4j_dispatch3(P[0], P[1], P[2], F);
    }
    float* gp = gradE + (i64)k * A.edgeDim * C + c;
    for (int i = 0; i < A.edgeDim; ++i) gp[(i64)i * C] = GE[i * 32];
  }
}

struct BwdHStg {
  const float *E, *G, *W;
  float* gh;
  int p, offE, offH, offO;
  float scale;
  template <int L1, int L2, int L3> U4J_HD U4J_FI void go() {
    const float we = W[p * 32] * scale;
    float x1[2 * L1 + 1], g3[2 * L3 + 1], t2[2 * L2 + 1];
#pragma unroll
    for (int i = 0; i < 2 * L1 + 1; ++i) x1[i] = we * E[(offE + i) * 32];
#pragma unroll
    for (int i = 0; i < 2 * L3 + 1; ++i) g3[i] = G[(offO + i) * 32];
#pragma unroll
    for (int i = 0; i < 2 * L2 + 1; ++i) t2[i] = 0.f;
    CG<L1, L2, L3>::bwd2(t2, x1, g3);
#pragma unroll
    for (int i = 0; i < 2 * L2 + 1; ++i) gh[(offH + i) * 32] += t2[i];
  }
};

// One warp per (sender b, tile) over the transposed CSR: per edge k, e[k], g[receiver k], w[k] staged.
U4J_HD U4J_FI void u4j_tp_bwd_node_stg_thread(const TpArgs& A, float* gradH, int numNodes, i64 warp, int lane, float* sm) {
  const int tiles = (A.C + 31) >> 5;
  if (warp >= (i64)numNodes * tiles) return;
  const int tile = (int)(warp % tiles), b = (int)(warp / tiles);
  const int c = tile * 32 + lane, C = A.C;
  if (c >= C) return;
  float* E = sm + lane;
  float* G = E + A.edgeDim * 32;
  float* W = G + A.outDim * 32;
  BwdHStg F;
  F.E = E; F.G = G; F.W = W; F.gh = W + A.numPaths * 32;
  for (int i = 0; i < A.nodeDim; ++i) F.gh[i * 32] = 0.f;
  const int np = A.plan[0], t0 = A.tRowPtr[b], t1 = A.tRowPtr[b + 1];
  int kNext = t0 < t1 ? A.tEdge[t0] : 0;
  for (int t = t0; t < t1; ++t) {
    const int k = kNext;
    const i64 a = A.receiver[k];
    if (t + 1 < t1) kNext = A.tEdge[t + 1];
    u4j_stage3(E, A.e + (i64)k * A.edgeDim * C + c, A.edgeDim, G, A.g + a * A.outDim * C + c, A.outDim,
               W, A.w + (i64)k * A.numPaths * C + c, A.numPaths, C);
    for (int p = 0; p < np; ++p) {
      const int* P = U4J_PATH(A.plan, p);
      F.p = p; F.offE = P[3]; F.offH = P[4]; F.offO = P[5]; F.scale = u4j_bits_to_float(P[6]);
      u4j_dispatch3(P[0], P[1], P[2], F);
    }
  }
  float* hp = gradH + (i64)b * A.nodeDim * C + c;
  for (int i = 0; i < A.nodeDim; ++i) hp[(i64)i * C] = F.gh[i * 32];
}
