// Runs the exact kernel code of unite4j_kernels.cu on the CPU (every warp and lane in a loop) and
// checks it against a naive triple loop over the same CG tables, plus the adjoint identities
//   <gradE, de> = <g, fwd(de, h, w)>,  <gradH, dh> = <g, fwd(e, dh, w)>,  <gradW, dw> = <g, fwd(e, h, dw)>
// which tie the backward kernels to the forward one; then every other kernel (spi_checks.inc). No GPU
// needed: cuda/build-kernels.sh runs it.
#include "../src/unite4j_kernels.cu"
#include <vector>
#include <random>
#include <algorithm>
#include <cstdio>
#include "spi_checks.inc"

struct Blk { int l, parity; };
static int dimOf(const std::vector<Blk>& b) { int d = 0; for (auto& x : b) d += 2 * x.l + 1; return d; }
static std::vector<int> offsOf(const std::vector<Blk>& b) { std::vector<int> o; int d = 0; for (auto& x : b) { o.push_back(d); d += 2 * x.l + 1; } return o; }
struct Path { int ie, ih, io; float scale; };

// plan layout: see unite4j_kernels.cu
static std::vector<int> buildPlan(const std::vector<Blk>& E, const std::vector<Blk>& H, const std::vector<Blk>& O,
                                  const std::vector<Path>& P) {
  auto oe = offsOf(E), oh = offsOf(H), oo = offsOf(O);
  std::vector<int> plan(8 + 8 * P.size());
  plan[0] = P.size(); plan[1] = O.size(); plan[2] = E.size(); plan[3] = H.size(); plan[7] = U4J_PLAN_VERSION;
  for (size_t p = 0; p < P.size(); ++p) {
    int* q = &plan[8 + 8 * p];
    q[0] = E[P[p].ie].l; q[1] = H[P[p].ih].l; q[2] = O[P[p].io].l;
    q[3] = oe[P[p].ie]; q[4] = oh[P[p].ih]; q[5] = oo[P[p].io]; memcpy(&q[6], &P[p].scale, 4); q[7] = 0;
  }
  auto addKind = [&](int hdr, const std::vector<Blk>& B, const std::vector<int>& off, int which) {
    plan[hdr] = plan.size();
    size_t base = plan.size(); plan.resize(base + 4 * B.size());
    for (size_t b = 0; b < B.size(); ++b) {
      int start = plan.size();
      for (size_t p = 0; p < P.size(); ++p) {
        int blk = which == 0 ? P[p].io : which == 1 ? P[p].ie : P[p].ih;
        if (blk == (int)b) plan.push_back(p);
      }
      int end = plan.size();
      plan[base + 4 * b] = B[b].l; plan[base + 4 * b + 1] = off[b]; plan[base + 4 * b + 2] = start; plan[base + 4 * b + 3] = end;
    }
  };
  addKind(4, O, oo, 0); addKind(5, E, oe, 1); addKind(6, H, oh, 2);
  return plan;
}

// naive reference: accumulate CG entries of triple (l1,l2,l3) in double
struct Ent { int i1, i2, i3; double v; };
static std::vector<Ent> table(int l1, int l2, int l3) {
  std::vector<Ent> t;
#define U4J_T(a, b, c) if (l1 == a && l2 == b && l3 == c) { U4J_CG_##a##_##b##_##c(U4J_PUSH) }
#define U4J_PUSH(i1, i2, i3, v) t.push_back({i1, i2, i3, (double)(v)});
  U4J_ALL_TRIPLES(U4J_T)
  return t;
}

int main() {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<float> U(-1.f, 1.f);
  std::vector<Blk> E = {{0, 1}, {1, -1}, {2, 1}, {3, -1}}, H = {{0, 1}, {1, -1}, {2, 1}, {4, 1}},
                   O = {{0, 1}, {1, -1}, {2, 1}, {3, -1}, {4, 1}, {1, 1}};
  std::vector<Path> P;
  for (size_t io = 0; io < O.size(); ++io)
    for (size_t ie = 0; ie < E.size(); ++ie)
      for (size_t ih = 0; ih < H.size(); ++ih) {
        int l1 = E[ie].l, l2 = H[ih].l, l3 = O[io].l;
        if (l3 < std::abs(l1 - l2) || l3 > l1 + l2 || O[io].parity != E[ie].parity * H[ih].parity) continue;
        P.push_back({(int)ie, (int)ih, (int)io, (P.size() % 3 == 1) ? -1.f : (P.size() % 3 == 2 ? 0.5f : 1.f)});
      }
  const int C = 40, N = 23, Ed = dimOf(E), Hd = dimOf(H), Od = dimOf(O), NP = P.size();
  // random graph: 0..6 edges per receiver, some nodes isolated
  std::vector<int> rowPtr(N + 1, 0), sender, receiver;
  for (int a = 0; a < N; ++a) { int d = rng() % 7; for (int j = 0; j < d; ++j) { sender.push_back(rng() % N); receiver.push_back(a); } rowPtr[a + 1] = sender.size(); }
  const int M = sender.size();
  std::vector<int> tRowPtr(N + 1, 0), tEdge;
  for (int b = 0; b < N; ++b) { for (int k = 0; k < M; ++k) if (sender[k] == b) tEdge.push_back(k); tRowPtr[b + 1] = tEdge.size(); }
  auto rnd = [&](size_t n) { std::vector<float> v(n); for (auto& x : v) x = U(rng); return v; };
  auto e = rnd((size_t)M * Ed * C), h = rnd((size_t)N * Hd * C), w = rnd((size_t)M * NP * C), g = rnd((size_t)N * Od * C);
  auto plan = buildPlan(E, H, O, P);
  auto oe = offsOf(E), oh = offsOf(H), oo = offsOf(O);

  auto fwd = [&](const std::vector<float>& e_, const std::vector<float>& h_, const std::vector<float>& w_) {
    std::vector<float> out((size_t)N * Od * C, NAN);
    TpArgs A{plan.data(), C, Ed, Hd, Od, NP, rowPtr.data(), sender.data(), receiver.data(), tRowPtr.data(), tEdge.data(), e_.data(), h_.data(), w_.data(), g.data()};
    i64 warps = (i64)N * O.size() * ((C + 31) / 32);
    for (i64 wp = 0; wp < warps + 3; ++wp) for (int lane = 0; lane < 32; ++lane) u4j_tp_fwd_thread(A, out.data(), N, wp, lane);
    return out;
  };
  auto out = fwd(e, h, w);
  // naive
  std::vector<double> ref((size_t)N * Od * C, 0.0);
  for (int a = 0; a < N; ++a) for (int k = rowPtr[a]; k < rowPtr[a + 1]; ++k) for (int p = 0; p < NP; ++p) {
    auto& q = P[p]; auto T = table(E[q.ie].l, H[q.ih].l, O[q.io].l);
    for (auto& t : T) for (int c = 0; c < C; ++c)
      ref[((size_t)a * Od + oo[q.io] + t.i3) * C + c] += q.scale * (double)w[((size_t)k * NP + p) * C + c] * t.v *
          e[((size_t)k * Ed + oe[q.ie] + t.i1) * C + c] * h[((size_t)sender[k] * Hd + oh[q.ih] + t.i2) * C + c];
  }
  double maxErr = 0, maxRef = 0;
  for (size_t i = 0; i < ref.size(); ++i) { if (std::isnan(out[i])) { printf("FAIL: forward left element %zu unwritten\n", i); return 1; } maxErr = std::max(maxErr, std::abs(out[i] - ref[i])); maxRef = std::max(maxRef, std::abs(ref[i])); }
  printf("forward: %d paths, %d edges, max |err| %.3g (max |ref| %.3g)\n", NP, M, maxErr, maxRef);
  if (!(maxErr <= 1e-5 * maxRef)) { printf("FAIL forward\n"); return 1; }

  // backward
  std::vector<float> gE((size_t)M * Ed * C, NAN), gW((size_t)M * NP * C, NAN), gH((size_t)N * Hd * C, NAN);
  TpArgs A{plan.data(), C, Ed, Hd, Od, NP, rowPtr.data(), sender.data(), receiver.data(), tRowPtr.data(), tEdge.data(), e.data(), h.data(), w.data(), g.data()};
  int tiles = (C + 31) / 32;
  for (i64 wp = 0; wp < (i64)M * E.size() * tiles + 2; ++wp) for (int lane = 0; lane < 32; ++lane) u4j_tp_bwd_edge_thread(A, gE.data(), gW.data(), M, wp, lane);
  for (i64 wp = 0; wp < (i64)N * H.size() * tiles + 2; ++wp) for (int lane = 0; lane < 32; ++lane) u4j_tp_bwd_node_thread(A, gH.data(), N, wp, lane);
  for (auto* v : {&gE, &gW, &gH}) for (float x : *v) if (std::isnan(x)) { printf("FAIL: backward left an element unwritten\n"); return 1; }
  auto dot = [](const std::vector<float>& a, const std::vector<float>& b) { double s = 0; for (size_t i = 0; i < a.size(); ++i) s += (double)a[i] * b[i]; return s; };
  int fails = 0;
  auto check = [&](const char* name, const std::vector<float>& grad, const std::vector<float>& dir, const std::vector<float>& fo) {
    double lhs = dot(grad, dir), rhs = dot(g, fo);
    double rel = std::abs(lhs - rhs) / std::max(1e-30, std::abs(rhs));
    printf("adjoint %s: <grad,d> %.9g  <g,fwd(d)> %.9g  rel %.2e\n", name, lhs, rhs, rel);
    if (!(rel < 1e-5)) { printf("FAIL adjoint %s\n", name); ++fails; }
  };
  auto de = rnd(e.size()), dh = rnd(h.size()), dw = rnd(w.size());
  check("e", gE, de, fwd(de, h, w));
  check("h", gH, dh, fwd(e, dh, w));
  check("w", gW, dw, fwd(e, h, dw));
  // row variants: one warp per row, shared-memory slice emulated by a per-warp buffer
  {
    std::vector<float> outR((size_t)N * Od * C, NAN), gER(gE.size(), NAN), gWR(gW.size(), NAN), gHR(gH.size(), NAN);
    TpArgs A{plan.data(), C, Ed, Hd, Od, NP, rowPtr.data(), sender.data(), receiver.data(), tRowPtr.data(), tEdge.data(), e.data(), h.data(), w.data(), g.data()};
    std::vector<float> slice(32 * std::max(Od, std::max(Ed, Hd)));
    for (i64 wp = 0; wp < (i64)N * tiles + 2; ++wp) for (int lane = 0; lane < 32; ++lane) u4j_tp_fwd_row_thread(A, outR.data(), N, wp, lane, slice.data());
    for (i64 wp = 0; wp < (i64)M * tiles + 2; ++wp) for (int lane = 0; lane < 32; ++lane) u4j_tp_bwd_edge_row_thread(A, gER.data(), gWR.data(), M, wp, lane, slice.data());
    for (i64 wp = 0; wp < (i64)N * tiles + 2; ++wp) for (int lane = 0; lane < 32; ++lane) u4j_tp_bwd_node_row_thread(A, gHR.data(), N, wp, lane, slice.data());
    auto cmp = [&](const char* name, const std::vector<float>& x, const std::vector<float>& ref) {
      double me = 0, mr = 0;
      for (size_t i = 0; i < ref.size(); ++i) { if (std::isnan(x[i])) { printf("FAIL: row variant %s left element %zu unwritten\n", name, i); return false; } me = std::max(me, (double)std::abs(x[i] - ref[i])); mr = std::max(mr, (double)std::abs(ref[i])); }
      printf("row variant %s: max |diff| to the block variant %.3g (max %.3g)\n", name, me, mr);
      return me <= 1e-5 * mr;
    };
    if (!cmp("fwd", outR, out) || !cmp("gradE", gER, gE) || !cmp("gradW", gWR, gW) || !cmp("gradH", gHR, gH)) { printf("FAIL row variants\n"); return 1; }
    // staged variants: same math and order as the row variants, so bitwise equal to them
    std::vector<float> outS(outR.size(), NAN), gES(gE.size(), NAN), gWS(gW.size(), NAN), gHS(gH.size(), NAN);
    std::vector<float> sslice(32 * (size_t)std::max(u4j_bwd_edge_stg_floats(Ed, Hd, Od, NP),
                                                    std::max(u4j_fwd_stg_floats(Ed, Hd, Od, NP), u4j_bwd_node_stg_floats(Ed, Hd, Od, NP))), NAN);
    for (i64 wp = 0; wp < (i64)N * tiles + 2; ++wp) for (int lane = 0; lane < 32; ++lane) u4j_tp_fwd_stg_thread(A, outS.data(), N, wp, lane, sslice.data());
    for (i64 wp = 0; wp < (i64)N * tiles + 2; ++wp) for (int lane = 0; lane < 32; ++lane) u4j_tp_bwd_edge_stg_thread(A, gES.data(), gWS.data(), N, wp, lane, sslice.data());
    for (i64 wp = 0; wp < (i64)N * tiles + 2; ++wp) for (int lane = 0; lane < 32; ++lane) u4j_tp_bwd_node_stg_thread(A, gHS.data(), N, wp, lane, sslice.data());
    auto same = [&](const char* name, const std::vector<float>& x, const std::vector<float>& ref) {
      for (size_t i = 0; i < ref.size(); ++i)
        if (std::isnan(x[i]) || memcmp(&x[i], &ref[i], 4) != 0) { printf("FAIL: staged %s differs from the row variant at %zu (%.9g vs %.9g)\n", name, i, x[i], ref[i]); return false; }
      printf("staged variant %s: bitwise equal to the row variant\n", name);
      return true;
    };
    if (!same("fwd", outS, outR) || !same("gradE", gES, gER) || !same("gradW", gWS, gWR) || !same("gradH", gHS, gHR)) { printf("FAIL staged variants\n"); return 1; }
  }
  // segment sum
  std::vector<int> seg = {0, 3, 3, 10, 23}; int width = 37;
  auto x = rnd((size_t)23 * width); std::vector<float> so(4 * width, NAN);
  for (i64 t = 0; t < 4 * width + 5; ++t) u4j_segment_sum_thread(seg.data(), 4, width, x.data(), so.data(), t);
  for (int s = 0; s < 4; ++s) for (int j = 0; j < width; ++j) { double r = 0; for (int q = seg[s]; q < seg[s + 1]; ++q) r += x[q * width + j]; if (std::abs(r - so[s * width + j]) > 1e-5) { printf("FAIL segment sum\n"); return 1; } }
  printf("segment sum ok\n");
  fails += spiChecks(rng);
  if (fails) return 1;
  printf("host emulation: all kernel checks passed\n");
  return 0;
}
