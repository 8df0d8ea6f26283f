// Tensor-product schedule ROW: one warp per (row, 32-channel tile), accumulating in shared memory.
#pragma once
#include "tp_cg.cuh"

// =============================================================================================
// "Row" variants: one warp per (row, 32-channel tile) handles every block of the row, edges outer,
// paths inner (each edge's e/h rows are touched by consecutive paths of the same warp, so repeated
// reads hit L1), accumulating in this warp's shared-memory slice acc[dim][32] (lane-private
// columns: no synchronisation needed). Same math and fixed order (edges, then paths, then CG
// entries) as above. Dynamic shared memory: (blockDim/32) * dim * 32 * 4 bytes.
// =============================================================================================
#define U4J_CASE3(a, b, c) case (a) * 25 + (b) * 5 + (c): f.template go<a, b, c>(); break;
template <class F> U4J_HD U4J_FI void u4j_dispatch3(int l1, int l2, int l3, F& f) {
  switch (l1 * 25 + l2 * 5 + l3) { U4J_ALL_TRIPLES(U4J_CASE3) default: u4j_bad_path(); }
}

struct FwdRow {
  const TpArgs* A;
  float* acc;  // this lane's column: acc[i * 32]
  int c, k, p, offE, offH, offO;
  i64 s;
  float scale;
  template <int L1, int L2, int L3> U4J_HD U4J_FI void go() {
    const int C = A->C;
    const float we = A->w[((i64)k * A->numPaths + p) * C + c] * scale;
    const float* ep = A->e + (i64)k * A->edgeDim * C + (i64)offE * C + c;
    const float* hp = A->h + s * A->nodeDim * C + (i64)offH * C + c;
    float x1[2 * L1 + 1], x2[2 * L2 + 1], t[2 * L3 + 1];
#pragma unroll
    for (int i = 0; i < 2 * L1 + 1; ++i) x1[i] = we * ep[(i64)i * C];
#pragma unroll
    for (int i = 0; i < 2 * L2 + 1; ++i) x2[i] = hp[(i64)i * C];
#pragma unroll
    for (int i = 0; i < 2 * L3 + 1; ++i) t[i] = 0.f;
    CG<L1, L2, L3>::fwd(t, x1, x2);
#pragma unroll
    for (int i = 0; i < 2 * L3 + 1; ++i) acc[(offO + i) * 32] += t[i];
  }
};

// acc: the warp's shared slice (outDim * 32 floats), indexed [i * 32 + lane]
U4J_HD U4J_FI void u4j_tp_fwd_row_thread(const TpArgs& A, float* out, int numNodes, i64 warp, int lane, float* acc) {
  const int tiles = (A.C + 31) >> 5;
  if (warp >= (i64)numNodes * tiles) return;
  const int tile = (int)(warp % tiles), a = (int)(warp / tiles);
  const int c = tile * 32 + lane;
  if (c >= A.C) return;
  FwdRow F;
  F.A = &A; F.acc = acc + lane; F.c = c;
  for (int i = 0; i < A.outDim; ++i) F.acc[i * 32] = 0.f;
  const int np = A.plan[0];
  for (int k = A.rowPtr[a]; k < A.rowPtr[a + 1]; ++k) {
    F.k = k; F.s = A.sender[k];
    for (int p = 0; p < np; ++p) {
      const int* P = U4J_PATH(A.plan, p);
      F.p = p; F.offE = P[3]; F.offH = P[4]; F.offO = P[5]; F.scale = u4j_bits_to_float(P[6]);
      u4j_dispatch3(P[0], P[1], P[2], F);
    }
  }
  float* op = out + (i64)a * A.outDim * A.C + c;
  for (int i = 0; i < A.outDim; ++i) op[(i64)i * A.C] = F.acc[i * 32];
}

struct BwdERow {
  const TpArgs* A;
  float* acc;  // gradE column
  float* gradW;
  int c, k, p, offE, offH, offO;
  i64 s, a;
  float scale;
  template <int L1, int L2, int L3> U4J_HD U4J_FI void go() {
    const int C = A->C;
    const float* ep = A->e + (i64)k * A->edgeDim * C + (i64)offE * C + c;
    const float* hp = A->h + s * A->nodeDim * C + (i64)offH * C + c;
    const float* gp = A->g + a * A->outDim * C + (i64)offO * C + c;
    float x1[2 * L1 + 1], x2[2 * L2 + 1], g3[2 * L3 + 1], t1[2 * L1 + 1];
#pragma unroll
    for (int i = 0; i < 2 * L1 + 1; ++i) { x1[i] = ep[(i64)i * C]; t1[i] = 0.f; }
#pragma unroll
    for (int i = 0; i < 2 * L2 + 1; ++i) x2[i] = hp[(i64)i * C];
#pragma unroll
    for (int i = 0; i < 2 * L3 + 1; ++i) g3[i] = gp[(i64)i * C];
    CG<L1, L2, L3>::bwd1(t1, x2, g3);
    const i64 wi = ((i64)k * A->numPaths + p) * C + c;
    float gw = 0.f;
#pragma unroll
    for (int i = 0; i < 2 * L1 + 1; ++i) gw = fmaf(x1[i], t1[i], gw);
    gradW[wi] = gw * scale;
    const float we = A->w[wi] * scale;
#pragma unroll
    for (int i = 0; i < 2 * L1 + 1; ++i) acc[(offE + i) * 32] = fmaf(we, t1[i], acc[(offE + i) * 32]);
  }
};

// acc: the warp's shared slice (edgeDim * 32 floats)
U4J_HD U4J_FI void u4j_tp_bwd_edge_row_thread(const TpArgs& A, float* gradE, float* gradW, int numEdges, i64 warp, int lane,
                                              float* acc) {
  const int tiles = (A.C + 31) >> 5;
  if (warp >= (i64)numEdges * tiles) return;
  const int tile = (int)(warp % tiles), k = (int)(warp / tiles);
  const int c = tile * 32 + lane;
  if (c >= A.C) return;
  BwdERow F;
  F.A = &A; F.acc = acc + lane; F.gradW = gradW; F.c = c; F.k = k; F.s = A.sender[k]; F.a = A.receiver[k];
  for (int i = 0; i < A.edgeDim; ++i) F.acc[i * 32] = 0.f;
  const int np = A.plan[0];
  for (int p = 0; p < np; ++p) {
    const int* P = U4J_PATH(A.plan, p);
    F.p = p; F.offE = P[3]; F.offH = P[4]; F.offO = P[5]; F.scale = u4j_bits_to_float(P[6]);
    u4j_dispatch3(P[0], P[1], P[2], F);
  }
  float* gp = gradE + (i64)k * A.edgeDim * A.C + c;
  for (int i = 0; i < A.edgeDim; ++i) gp[(i64)i * A.C] = F.acc[i * 32];
}

struct BwdHRow {
  const TpArgs* A;
  float* acc;  // gradH column
  int c, k, p, offE, offH, offO;
  i64 a;
  float scale;
  template <int L1, int L2, int L3> U4J_HD U4J_FI void go() {
    const int C = A->C;
    const float we = A->w[((i64)k * A->numPaths + p) * C + c] * scale;
    const float* ep = A->e + (i64)k * A->edgeDim * C + (i64)offE * C + c;
    const float* gp = A->g + a * A->outDim * C + (i64)offO * C + c;
    float x1[2 * L1 + 1], g3[2 * L3 + 1], t2[2 * L2 + 1];
#pragma unroll
    for (int i = 0; i < 2 * L1 + 1; ++i) x1[i] = we * ep[(i64)i * C];
#pragma unroll
    for (int i = 0; i < 2 * L3 + 1; ++i) g3[i] = gp[(i64)i * C];
#pragma unroll
    for (int i = 0; i < 2 * L2 + 1; ++i) t2[i] = 0.f;
    CG<L1, L2, L3>::bwd2(t2, x1, g3);
#pragma unroll
    for (int i = 0; i < 2 * L2 + 1; ++i) acc[(offH + i) * 32] += t2[i];
  }
};

// acc: the warp's shared slice (nodeDim * 32 floats)
U4J_HD U4J_FI void u4j_tp_bwd_node_row_thread(const TpArgs& A, float* gradH, int numNodes, i64 warp, int lane, float* acc) {
  const int tiles = (A.C + 31) >> 5;
  if (warp >= (i64)numNodes * tiles) return;
  const int tile = (int)(warp % tiles), b = (int)(warp / tiles);
  const int c = tile * 32 + lane;
  if (c >= A.C) return;
  BwdHRow F;
  F.A = &A; F.acc = acc + lane; F.c = c;
  for (int i = 0; i < A.nodeDim; ++i) F.acc[i * 32] = 0.f;
  const int np = A.plan[0];
  for (int t = A.tRowPtr[b]; t < A.tRowPtr[b + 1]; ++t) {
    const int k = A.tEdge[t];
    F.k = k; F.a = A.receiver[k];
    for (int p = 0; p < np; ++p) {
      const int* P = U4J_PATH(A.plan, p);
      F.p = p; F.offE = P[3]; F.offH = P[4]; F.offO = P[5]; F.scale = u4j_bits_to_float(P[6]);
      u4j_dispatch3(P[0], P[1], P[2], F);
    }
  }
  float* hp = gradH + (i64)b * A.nodeDim * A.C + c;
  for (int i = 0; i < A.nodeDim; ++i) hp[(i64)i * A.C] = F.acc[i * 32];
}
