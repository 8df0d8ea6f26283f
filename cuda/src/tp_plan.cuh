// The tensor-product plan format (built by org.unite4j.backend.cuda.CudaTpPlan) and its helpers.
#pragma once
#include "u4j_common.cuh"
#include "cg_tables.cuh"

// ---------------------------------------------------------------------------------------------
// Plan (int32 array in device memory, built by org.unite4j.backend.cuda.CudaTpPlan):
//   [0] numPaths  [1] nOut  [2] nEdgeBlocks  [3] nNodeBlocks
//   [4] offOutBlocks  [5] offEdgeBlocks  [6] offNodeBlocks  [7] version (= U4J_PLAN_VERSION)
//   path p at 8 + 8p: l1, l2, l3, offE, offH, offO, floatBits(scale), 0   (off* in m-rows, not x C)
//   block record b of a kind at off*Blocks + 4b: l, off, listStart, listEnd  (list of path ids at
//   plan[listStart .. listEnd-1], increasing p)
// ---------------------------------------------------------------------------------------------
#define U4J_PLAN_VERSION 1
#define U4J_PATH(plan, p) ((plan) + 8 + 8 * (p))


U4J_HD U4J_FI void u4j_bad_path() {
#ifdef __CUDA_ARCH__
  __trap();
#else
  fprintf(stderr, "unite4j kernels: path with l > %d reached the kernel\n", U4J_LMAX); abort();
#endif
}
