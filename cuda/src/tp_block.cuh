// Tensor-product schedule BLOCK: one warp per (row, block, 32-channel tile).
#pragma once
#include "tp_cg.cuh"

// =============================================================================================
// Forward: warp (a, o, tile)
// =============================================================================================
template <int L3> struct FwdBlock {
  float acc[2 * L3 + 1];
  const TpArgs* A;
  int c, k0, k1, p, offE, offH;
  float scale;
  template <int L1, int L2> U4J_HD U4J_FI void go() {
    const int C = A->C;
    for (int k = k0; k < k1; ++k) {
      const i64 s = A->sender[k];
      const float we = A->w[((i64)k * A->numPaths + p) * C + c] * scale;
      const float* ep = A->e + (i64)k * A->edgeDim * C + (i64)offE * C + c;
      const float* hp = A->h + s * A->nodeDim * C + (i64)offH * C + c;
      float x1[2 * L1 + 1], x2[2 * L2 + 1];
#pragma unroll
      for (int i = 0; i < 2 * L1 + 1; ++i) x1[i] = we * ep[(i64)i * C];
#pragma unroll
      for (int i = 0; i < 2 * L2 + 1; ++i) x2[i] = hp[(i64)i * C];
      CG<L1, L2, L3>::fwd(acc, x1, x2);
    }
  }
};

template <int L3>
U4J_HD U4J_FI void u4j_tp_fwd_block(const TpArgs& A, float* out, int a, int o, int c) {
  const int* blk = A.plan + A.plan[4] + 4 * o;
  FwdBlock<L3> F;
#pragma unroll
  for (int i = 0; i < 2 * L3 + 1; ++i) F.acc[i] = 0.f;
  F.A = &A; F.c = c; F.k0 = A.rowPtr[a]; F.k1 = A.rowPtr[a + 1];
  for (int j = blk[2]; j < blk[3]; ++j) {
    const int p = A.plan[j];
    const int* P = U4J_PATH(A.plan, p);
    F.p = p; F.offE = P[3]; F.offH = P[4]; F.scale = u4j_bits_to_float(P[6]);
    DispL3<L3>::run(P[0], P[1], F);
  }
  float* op = out + (i64)a * A.outDim * A.C + (i64)blk[1] * A.C + c;
#pragma unroll
  for (int i = 0; i < 2 * L3 + 1; ++i) op[(i64)i * A.C] = F.acc[i];
}

U4J_HD U4J_FI void u4j_tp_fwd_thread(const TpArgs& A, float* out, int numNodes, i64 warp, int lane) {
  const int tiles = (A.C + 31) >> 5, nOut = A.plan[1];
  if (warp >= (i64)numNodes * nOut * tiles) return;
  const int tile = (int)(warp % tiles);
  const i64 r = warp / tiles;
  const int o = (int)(r % nOut), a = (int)(r / nOut);
  const int c = tile * 32 + lane;
  if (c >= A.C) return;
  const int l3 = A.plan[A.plan[4] + 4 * o];
#define U4J_B(L) u4j_tp_fwd_block<L>(A, out, a, o, c)
  U4J_SWITCH_L(l3, U4J_B)
#undef U4J_B
}

// =============================================================================================
// Backward, per edge: warp (k, edge block i, tile) -> gradE[k, i, :, c] and gradW[k, p, c] for the
// paths p with iEdge(p) = i (each path has one edge block, so every gradW element is written once).
// =============================================================================================
template <int L1> struct BwdEBlock {
  float ge[2 * L1 + 1], x1[2 * L1 + 1];
  const TpArgs* A;
  float* gradW;
  int c, k, p, offH, offO;
  i64 s, a;
  float scale;
  template <int L2, int L3> U4J_HD U4J_FI void go() {
    const int C = A->C;
    const float* hp = A->h + s * A->nodeDim * C + (i64)offH * C + c;
    const float* gp = A->g + a * A->outDim * C + (i64)offO * C + c;
    float x2[2 * L2 + 1], g3[2 * L3 + 1], t1[2 * L1 + 1];
#pragma unroll
    for (int i = 0; i < 2 * L2 + 1; ++i) x2[i] = hp[(i64)i * C];
#pragma unroll
    for (int i = 0; i < 2 * L3 + 1; ++i) g3[i] = gp[(i64)i * C];
#pragma unroll
    for (int i = 0; i < 2 * L1 + 1; ++i) t1[i] = 0.f;
    CG<L1, L2, L3>::bwd1(t1, x2, g3);
    const i64 wi = ((i64)k * A->numPaths + p) * C + c;
    float gw = 0.f;
#pragma unroll
    for (int i = 0; i < 2 * L1 + 1; ++i) gw = fmaf(x1[i], t1[i], gw);
    gradW[wi] = gw * scale;
    const float we = A->w[wi] * scale;
#pragma unroll
    for (int i = 0; i < 2 * L1 + 1; ++i) ge[i] = fmaf(we, t1[i], ge[i]);
  }
};

template <int L1>
U4J_HD U4J_FI void u4j_tp_bwd_edge_block(const TpArgs& A, float* gradE, float* gradW, int k, int ib, int c) {
  const int* blk = A.plan + A.plan[5] + 4 * ib;
  const int C = A.C;
  BwdEBlock<L1> F;
  F.A = &A; F.gradW = gradW; F.c = c; F.k = k;
  F.s = A.sender[k]; F.a = A.receiver[k];
  const float* ep = A.e + (i64)k * A.edgeDim * C + (i64)blk[1] * C + c;
#pragma unroll
  for (int i = 0; i < 2 * L1 + 1; ++i) { F.ge[i] = 0.f; F.x1[i] = ep[(i64)i * C]; }
  for (int j = blk[2]; j < blk[3]; ++j) {
    const int p = A.plan[j];
    const int* P = U4J_PATH(A.plan, p);
    F.p = p; F.offH = P[4]; F.offO = P[5]; F.scale = u4j_bits_to_float(P[6]);
    DispL1<L1>::run(P[1], P[2], F);
  }
  float* gp = gradE + (i64)k * A.edgeDim * C + (i64)blk[1] * C + c;
#pragma unroll
  for (int i = 0; i < 2 * L1 + 1; ++i) gp[(i64)i * C] = F.ge[i];
}

U4J_HD U4J_FI void u4j_tp_bwd_edge_thread(const TpArgs& A, float* gradE, float* gradW, int numEdges,
                                          i64 warp, int lane) {
  const int tiles = (A.C + 31) >> 5, nB = A.plan[2];
  if (warp >= (i64)numEdges * nB * tiles) return;
  const int tile = (int)(warp % tiles);
  const i64 r = warp / tiles;
  const int ib = (int)(r % nB), k = (int)(r / nB);
  const int c = tile * 32 + lane;
  if (c >= A.C) return;
  const int l1 = A.plan[A.plan[5] + 4 * ib];
#define U4J_B(L) u4j_tp_bwd_edge_block<L>(A, gradE, gradW, k, ib, c)
  U4J_SWITCH_L(l1, U4J_B)
#undef U4J_B
}

// =============================================================================================
// Backward to senders: warp (b, node block i, tile) gathers over the transposed CSR (edges with
// sender b in increasing edge index) -> gradH[b, i, :, c], written once.
// =============================================================================================
template <int L2> struct BwdHBlock {
  float gh[2 * L2 + 1];
  const TpArgs* A;
  int c, t0, t1, p, offE, offO;
  float scale;
  template <int L1, int L3> U4J_HD U4J_FI void go() {
    const int C = A->C;
    for (int t = t0; t < t1; ++t) {
      const int k = A->tEdge[t];
      const i64 a = A->receiver[k];
      const float we = A->w[((i64)k * A->numPaths + p) * C + c] * scale;
      const float* ep = A->e + (i64)k * A->edgeDim * C + (i64)offE * C + c;
      const float* gp = A->g + a * A->outDim * C + (i64)offO * C + c;
      float x1[2 * L1 + 1], g3[2 * L3 + 1];
#pragma unroll
      for (int i = 0; i < 2 * L1 + 1; ++i) x1[i] = we * ep[(i64)i * C];
#pragma unroll
      for (int i = 0; i < 2 * L3 + 1; ++i) g3[i] = gp[(i64)i * C];
      CG<L1, L2, L3>::bwd2(gh, x1, g3);
    }
  }
};

template <int L2>
U4J_HD U4J_FI void u4j_tp_bwd_node_block(const TpArgs& A, float* gradH, int b, int ib, int c) {
  const int* blk = A.plan + A.plan[6] + 4 * ib;
  BwdHBlock<L2> F;
#pragma unroll
  for (int i = 0; i < 2 * L2 + 1; ++i) F.gh[i] = 0.f;
  F.A = &A; F.c = c; F.t0 = A.tRowPtr[b]; F.t1 = A.tRowPtr[b + 1];
  for (int j = blk[2]; j < blk[3]; ++j) {
    const int p = A.plan[j];
    const int* P = U4J_PATH(A.plan, p);
    F.p = p; F.offE = P[3]; F.offO = P[5]; F.scale = u4j_bits_to_float(P[6]);
    DispL2<L2>::run(P[0], P[2], F);
  }
  float* hp = gradH + (i64)b * A.nodeDim * A.C + (i64)blk[1] * A.C + c;
#pragma unroll
  for (int i = 0; i < 2 * L2 + 1; ++i) hp[(i64)i * A.C] = F.gh[i];
}

U4J_HD U4J_FI void u4j_tp_bwd_node_thread(const TpArgs& A, float* gradH, int numNodes, i64 warp, int lane) {
  const int tiles = (A.C + 31) >> 5, nB = A.plan[3];
  if (warp >= (i64)numNodes * nB * tiles) return;
  const int tile = (int)(warp % tiles);
  const i64 r = warp / tiles;
  const int ib = (int)(r % nB), b = (int)(r / nB);
  const int c = tile * 32 + lane;
  if (c >= A.C) return;
  const int l2 = A.plan[A.plan[6] + 4 * ib];
#define U4J_B(L) u4j_tp_bwd_node_block<L>(A, gradH, b, ib, c)
  U4J_SWITCH_L(l2, U4J_B)
#undef U4J_B
}
