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

