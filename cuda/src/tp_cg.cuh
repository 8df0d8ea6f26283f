// CG contractions unrolled per (l1, l2, l3) from the generated cg_tables.cuh, the template dispatch, and the
// arguments every tensor-product schedule takes.
#pragma once
#include "tp_plan.cuh"

// ---- CG contractions, unrolled per triple ------------------------------------------------------
template <int L1, int L2, int L3> struct CG;
#define U4J_FWD(i1, i2, i3, v) acc[i3] = fmaf((v) * x1[i1], x2[i2], acc[i3]);
#define U4J_BWD1(i1, i2, i3, v) t1[i1] = fmaf((v) * x2[i2], g3[i3], t1[i1]);
#define U4J_BWD2(i1, i2, i3, v) t2[i2] = fmaf((v) * x1[i1], g3[i3], t2[i2]);
#define U4J_DEF_CG(a, b, c)                                                                        \
  template <> struct CG<a, b, c> {                                                                 \
    U4J_HD static U4J_FI void fwd(float* acc, const float* x1, const float* x2) {                  \
      U4J_CG_##a##_##b##_##c(U4J_FWD)                                                              \
    }                                                                                              \
    U4J_HD static U4J_FI void bwd1(float* t1, const float* x2, const float* g3) {                  \
      U4J_CG_##a##_##b##_##c(U4J_BWD1)                                                             \
    }                                                                                              \
    U4J_HD static U4J_FI void bwd2(float* t2, const float* x1, const float* g3) {                  \
      U4J_CG_##a##_##b##_##c(U4J_BWD2)                                                             \
    }                                                                                              \
  };
U4J_ALL_TRIPLES(U4J_DEF_CG)

// ---- run-time (l, l') -> template dispatch, one struct per fixed slot -----------------------------
#define U4J_CASE(a, b) case (a) * 8 + (b): f.template go<a, b>(); break;
#define U4J_DEF_DISP(NAME, LIST, L)                                                                \
  template <> struct NAME<L> {                                                                     \
    template <class F> U4J_HD static U4J_FI void run(int x, int y, F& f) {                         \
      switch (x * 8 + y) { LIST##_##L(U4J_CASE) default: u4j_bad_path(); }                        \
    }                                                                                              \
  };
template <int L> struct DispL3;  // fixed l3, dispatch (l1, l2)
template <int L> struct DispL1;  // fixed l1, dispatch (l2, l3)
template <int L> struct DispL2;  // fixed l2, dispatch (l1, l3)
U4J_DEF_DISP(DispL3, U4J_PAIRS_L3, 0) U4J_DEF_DISP(DispL3, U4J_PAIRS_L3, 1)
U4J_DEF_DISP(DispL3, U4J_PAIRS_L3, 2) U4J_DEF_DISP(DispL3, U4J_PAIRS_L3, 3)
U4J_DEF_DISP(DispL3, U4J_PAIRS_L3, 4)
U4J_DEF_DISP(DispL1, U4J_PAIRS_L1, 0) U4J_DEF_DISP(DispL1, U4J_PAIRS_L1, 1)
U4J_DEF_DISP(DispL1, U4J_PAIRS_L1, 2) U4J_DEF_DISP(DispL1, U4J_PAIRS_L1, 3)
U4J_DEF_DISP(DispL1, U4J_PAIRS_L1, 4)
U4J_DEF_DISP(DispL2, U4J_PAIRS_L2, 0) U4J_DEF_DISP(DispL2, U4J_PAIRS_L2, 1)
U4J_DEF_DISP(DispL2, U4J_PAIRS_L2, 2) U4J_DEF_DISP(DispL2, U4J_PAIRS_L2, 3)
U4J_DEF_DISP(DispL2, U4J_PAIRS_L2, 4)

// Static dispatch on the fixed slot's l (uniform per warp).
#define U4J_SWITCH_L(l, BODY)                                                                      \
  switch (l) {                                                                                     \
    case 0: BODY(0); break;                                                                        \
    case 1: BODY(1); break;                                                                        \
    case 2: BODY(2); break;                                                                        \
    case 3: BODY(3); break;                                                                        \
    case 4: BODY(4); break;                                                                        \
    default: u4j_bad_path();                                                                       \
  }

struct TpArgs {
  const int* plan;
  int C, edgeDim, nodeDim, outDim, numPaths;
  const int* rowPtr;    // [numNodes+1]  edges grouped by receiver
  const int* sender;    // [numEdges]
  const int* receiver;  // [numEdges]    (backward only)
  const int* tRowPtr;   // [numNodes+1]  edges grouped by sender (backward only)
  const int* tEdge;     // [numEdges]
  const float *e, *h, *w, *g;
};
