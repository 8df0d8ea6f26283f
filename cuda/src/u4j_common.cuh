// unite4j CUDA kernels: host/device qualifiers and the types every file uses (included by unite4j_kernels.cu).
#pragma once
#if defined(__CUDACC__)
#define U4J_HD __host__ __device__
#define U4J_FI __forceinline__
#else
#define U4J_HD
#define U4J_FI inline
#endif

#ifndef __CUDA_ARCH__
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#endif

typedef long long i64;

U4J_HD U4J_FI int u4j_min(int a, int b) { return a < b ? a : b; }

U4J_HD U4J_FI float u4j_bits_to_float(int b) {
#ifdef __CUDA_ARCH__
  return __int_as_float(b);
#else
  float f; memcpy(&f, &b, 4); return f;
#endif
}

#if defined(__CUDACC__)
// Launch: the warp id (tensor-product kernels, 32 lanes a warp) and the thread id (one thread per
// output element) of the calling thread.
#define U4J_WARP() (((i64)blockIdx.x * blockDim.x + threadIdx.x) >> 5)
#define U4J_TID() ((i64)blockIdx.x * blockDim.x + threadIdx.x)
#endif
