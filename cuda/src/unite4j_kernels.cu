// unite4j CUDA kernels (float32). Built to PTX (compute_80) and an sm_90 cubin by cuda/build-kernels.sh,
// loaded by org.unite4j.backend.cuda through the driver API.
//
// Layout ("ir_mul", channel innermost; ARCHITECTURE.md, Conventions): feature [row][block][m][channel].
// Fused channel-wise ("uuu") Clebsch-Gordan tensor product over a receiver-sorted CSR graph:
//   out[a, o, M, c] = sum_{k: recv a} sum_{p: iOut(p)=o} scale_p w[k,p,c]
//                     sum_{(m1,m2,M) in cg(p)} cg * e[k, iEdge(p), m1, c] * h[sender[k], iNode(p), m2, c]
// One warp per (receiver row, output block, 32-channel tile), lanes over channels; the CG non-zeros
// of each (l1, l2, l3) are unrolled at compile time (cg_tables.cuh), accumulation in registers,
// every output element written exactly once: no atomics, bitwise deterministic.
//
// Every kernel body is a __host__ __device__ "thread" function taking (warp id, lane), so that
// cuda/test/host_emulation.cpp can run the exact same code on the CPU (no GPU needed) against a
// naive reference. The __global__ wrappers only compute the warp id.
//
// Sources by concern (all included here: one translation unit, one PTX module):
//   u4j_common.cuh    qualifiers and types          tp_plan.cuh     the plan format
//   cg_tables.cuh     generated CG non-zeros         tp_cg.cuh       unrolled CG contractions, dispatch
//   tp_block.cuh, tp_row.cuh, tp_staged.cuh          the tensor-product schedules (thread functions)
//   pooling.cuh       segment sums                   spi_*.cuh       the Backend SPI's other kernels
//   array_ops.cuh     CudaKernels' fills, axpy, AdamW
// This file holds the __global__ entry points of the tensor product and pooling.
#include "u4j_common.cuh"
#include "tp_plan.cuh"
#include "tp_cg.cuh"
#include "tp_block.cuh"
#include "tp_row.cuh"
#include "tp_staged.cuh"
#include "pooling.cuh"

#if defined(__CUDACC__)
// ---------------------------------------------------------------------------------------------
// __global__ entry points (extern "C": unmangled names, looked up by CudaKernels).
// Launch: blockDim.x = 128 (4 warps), gridDim.x = ceil(totalWarps / 4); totalWarps per kernel:
//   fwd: numNodes * nOut * ceil(C/32); bwd_edge: numEdges * nEdgeBlocks * ceil(C/32);
//   bwd_node: numNodes * nNodeBlocks * ceil(C/32). Elementwise: one thread per element, 256/block.
// ---------------------------------------------------------------------------------------------

extern "C" __global__ void __launch_bounds__(128)
u4j_tp_fwd(const int* plan, int C, int edgeDim, int nodeDim, int outDim, int numPaths, int numNodes,
           const int* rowPtr, const int* sender, const float* e, const float* h, const float* w,
           float* out) {
  TpArgs A{plan, C, edgeDim, nodeDim, outDim, numPaths, rowPtr, sender, nullptr, nullptr, nullptr,
           e, h, w, nullptr};
  u4j_tp_fwd_thread(A, out, numNodes, U4J_WARP(), threadIdx.x & 31);
}

extern "C" __global__ void __launch_bounds__(128)
u4j_tp_bwd_edge(const int* plan, int C, int edgeDim, int nodeDim, int outDim, int numPaths, int numEdges,
                const int* sender, const int* receiver, const float* e, const float* h, const float* w,
                const float* gradOut, float* gradE, float* gradW) {
  TpArgs A{plan, C, edgeDim, nodeDim, outDim, numPaths, nullptr, sender, receiver, nullptr, nullptr,
           e, h, w, gradOut};
  u4j_tp_bwd_edge_thread(A, gradE, gradW, numEdges, U4J_WARP(), threadIdx.x & 31);
}

extern "C" __global__ void __launch_bounds__(128)
u4j_tp_bwd_node(const int* plan, int C, int edgeDim, int nodeDim, int outDim, int numPaths, int numNodes,
                const int* receiver, const int* tRowPtr, const int* tEdge, const float* e, const float* w,
                const float* gradOut, float* gradH) {
  TpArgs A{plan, C, edgeDim, nodeDim, outDim, numPaths, nullptr, nullptr, receiver, tRowPtr, tEdge,
           e, nullptr, w, gradOut};
  u4j_tp_bwd_node_thread(A, gradH, numNodes, U4J_WARP(), threadIdx.x & 31);
}

// Row variants: dynamic shared memory (blockDim.x / 32) * dim * 32 * 4 bytes, dim = outDim / edgeDim / nodeDim.
extern __shared__ float u4j_smem[];
#define U4J_SLICE(dim) (u4j_smem + (threadIdx.x >> 5) * (dim) * 32)

extern "C" __global__ void __launch_bounds__(128)
u4j_tp_fwd_row(const int* plan, int C, int edgeDim, int nodeDim, int outDim, int numPaths, int numNodes,
               const int* rowPtr, const int* sender, const float* e, const float* h, const float* w, float* out) {
  TpArgs A{plan, C, edgeDim, nodeDim, outDim, numPaths, rowPtr, sender, nullptr, nullptr, nullptr,
           e, h, w, nullptr};
  u4j_tp_fwd_row_thread(A, out, numNodes, U4J_WARP(), threadIdx.x & 31, U4J_SLICE(outDim));
}

extern "C" __global__ void __launch_bounds__(128)
u4j_tp_bwd_edge_row(const int* plan, int C, int edgeDim, int nodeDim, int outDim, int numPaths, int numEdges,
                    const int* sender, const int* receiver, const float* e, const float* h, const float* w,
                    const float* gradOut, float* gradE, float* gradW) {
  TpArgs A{plan, C, edgeDim, nodeDim, outDim, numPaths, nullptr, sender, receiver, nullptr, nullptr,
           e, h, w, gradOut};
  u4j_tp_bwd_edge_row_thread(A, gradE, gradW, numEdges, U4J_WARP(), threadIdx.x & 31, U4J_SLICE(edgeDim));
}

extern "C" __global__ void __launch_bounds__(128)
u4j_tp_bwd_node_row(const int* plan, int C, int edgeDim, int nodeDim, int outDim, int numPaths, int numNodes,
                    const int* receiver, const int* tRowPtr, const int* tEdge, const float* e, const float* w,
                    const float* gradOut, float* gradH) {
  TpArgs A{plan, C, edgeDim, nodeDim, outDim, numPaths, nullptr, nullptr, receiver, tRowPtr, tEdge,
           e, nullptr, w, gradOut};
  u4j_tp_bwd_node_row_thread(A, gradH, numNodes, U4J_WARP(), threadIdx.x & 31, U4J_SLICE(nodeDim));
}

// Staged variants: dynamic shared memory (blockDim.x / 32) * u4j_*_stg_floats(...) * 32 * 4 bytes.
#define U4J_STG_SLICE(floats) (u4j_smem + (threadIdx.x >> 5) * (floats) * 32)
// Resident 128-thread blocks per SM the compiler must allow (caps registers at 65536 / (128 * n)):
// 5 gives 96 registers and no spills (sm_90, nvcc 13.0); 6 (80 registers) spills.
#ifndef U4J_STG_MIN_BLOCKS
#define U4J_STG_MIN_BLOCKS 5
#endif

extern "C" __global__ void __launch_bounds__(128, U4J_STG_MIN_BLOCKS)
u4j_tp_fwd_stg(const int* plan, int C, int edgeDim, int nodeDim, int outDim, int numPaths, int numNodes,
               const int* rowPtr, const int* sender, const float* e, const float* h, const float* w, float* out) {
  TpArgs A{plan, C, edgeDim, nodeDim, outDim, numPaths, rowPtr, sender, nullptr, nullptr, nullptr,
           e, h, w, nullptr};
  u4j_tp_fwd_stg_thread(A, out, numNodes, U4J_WARP(), threadIdx.x & 31,
                        U4J_STG_SLICE(u4j_fwd_stg_floats(edgeDim, nodeDim, outDim, numPaths)));
}

extern "C" __global__ void __launch_bounds__(128, U4J_STG_MIN_BLOCKS)
u4j_tp_bwd_edge_stg(const int* plan, int C, int edgeDim, int nodeDim, int outDim, int numPaths, int numNodes,
                    const int* rowPtr, const int* sender, const float* e, const float* h, const float* w,
                    const float* gradOut, float* gradE, float* gradW) {
  TpArgs A{plan, C, edgeDim, nodeDim, outDim, numPaths, rowPtr, sender, nullptr, nullptr, nullptr,
           e, h, w, gradOut};
  u4j_tp_bwd_edge_stg_thread(A, gradE, gradW, numNodes, U4J_WARP(), threadIdx.x & 31,
                             U4J_STG_SLICE(u4j_bwd_edge_stg_floats(edgeDim, nodeDim, outDim, numPaths)));
}

extern "C" __global__ void __launch_bounds__(128, U4J_STG_MIN_BLOCKS)
u4j_tp_bwd_node_stg(const int* plan, int C, int edgeDim, int nodeDim, int outDim, int numPaths, int numNodes,
                    const int* receiver, const int* tRowPtr, const int* tEdge, const float* e, const float* w,
                    const float* gradOut, float* gradH) {
  TpArgs A{plan, C, edgeDim, nodeDim, outDim, numPaths, nullptr, nullptr, receiver, tRowPtr, tEdge,
           e, nullptr, w, gradOut};
  u4j_tp_bwd_node_stg_thread(A, gradH, numNodes, U4J_WARP(), threadIdx.x & 31,
                             U4J_STG_SLICE(u4j_bwd_node_stg_floats(edgeDim, nodeDim, outDim, numPaths)));
}

extern "C" __global__ void u4j_segment_sum(const int* segPtr, int numSeg, int width, const float* x,
                                           float* out) {
  u4j_segment_sum_thread(segPtr, numSeg, width, x, out, U4J_TID());
}

extern "C" __global__ void u4j_segment_sum_bwd(const int* rowSeg, int numRows, int width,
                                               const float* gradOut, float* gradX) {
  u4j_segment_sum_bwd_thread(rowSeg, numRows, width, gradOut, gradX, U4J_TID());
}

#endif
// The Backend SPI's other kernels: thread functions (host-emulated too) and their entry points.
#include "array_ops.cuh"
#include "spi_elementwise.cuh"
#include "spi_reduce.cuh"
#include "spi_linear.cuh"
