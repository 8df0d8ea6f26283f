// Segment sums (pooling) and their backward.
#pragma once
#include "u4j_common.cuh"

// =============================================================================================
// Segment sum (pooling): out[s, j] = sum_{r = segPtr[s]}^{segPtr[s+1]-1} x[r, j], rows in order.
// One thread per (s, j), j fastest (coalesced).
// =============================================================================================
U4J_HD U4J_FI void u4j_segment_sum_thread(const int* segPtr, int numSeg, int width, const float* x,
                                          float* out, i64 t) {
  if (t >= (i64)numSeg * width) return;
  const int s = (int)(t / width), j = (int)(t % width);
  float acc = 0.f;
  for (int r = segPtr[s]; r < segPtr[s + 1]; ++r) acc += x[(i64)r * width + j];
  out[t] = acc;
}

// Backward of segment sum: gradX[r, j] = gradOut[seg(r), j]; seg given per row.
U4J_HD U4J_FI void u4j_segment_sum_bwd_thread(const int* rowSeg, int numRows, int width,
                                              const float* gradOut, float* gradX, i64 t) {
  if (t >= (i64)numRows * width) return;
  const i64 r = t / width; const int j = (int)(t % width);
  gradX[t] = gradOut[(i64)rowSeg[r] * width + j];
}
