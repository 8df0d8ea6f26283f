#!/usr/bin/env bash
# unite4j GPU bundle: runs the CUDA tests and benchmarks with the bundled Java runtime; needs only an
# NVIDIA driver >= 580 (PTX from nvcc 13). Every step has a time limit and the whole run stays within
# BUDGET seconds (default 560). Prints a short summary table at the end; full logs in $LOGS.
#   bash gpu-bundle/run.sh   (env: BUDGET=seconds, SIZES=1000,10000,50000,200000, REPS=21,
#                             E3NN=1 to also time e3nn where torch+e3nn import, LOGS=folder,
#                             FULL=0 to skip the full scaling sweep, XTB=bundle to use the bundle's libxtb)
# The scaling sweeps run the xtb inputs too where libxtb loads: the machine's own, else the copy in
# xtb-libs.tar.xz (made by gpu/make-bundle.sh from the build machine's libxtb6 package).
set -u
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAVA="$HERE/jre/bin/java"
CP="$HERE/lib/*"
BUDGET="${BUDGET:-560}"
FULL="${FULL:-1}"
E3NN="${E3NN:-0}"
SIZES="${SIZES:-1000,10000,50000,200000}"
REPS="${REPS:-21}"
LOGS="${LOGS:-${TMPDIR:-/tmp}/unite4j-gpu-logs}"
mkdir -p "$LOGS"
rm -rf "$LOGS"/*.status "$LOGS"/*.log "$LOGS/scaling" "$LOGS/scaling-full" # a summary must not show an earlier run's results
JOPTS=(--enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Xss8m -XX:+UseSerialGC)
# a copy may have lost the execute bits; JCuda unpacks its JNI library into java.io.tmpdir, which
# must allow mapping executables (a noexec /tmp would not): use a folder inside the bundle
[ -x "$JAVA" ] || chmod +x "$HERE"/jre/bin/* "$HERE"/jre/lib/jspawnhelper 2>/dev/null || true
if mkdir -p "$HERE/.tmp" 2>/dev/null && [ -w "$HERE/.tmp" ]; then JOPTS+=("-Djava.io.tmpdir=$HERE/.tmp"); fi
# cuBLAS: no CUDA toolkit is needed; use the one a PyTorch wheel ships (nvidia-cublas) when present.
if [ -z "${UNITE_CUBLAS_DIR:-}" ] && command -v python3 >/dev/null 2>&1; then
  UNITE_CUBLAS_DIR=$(timeout 30 python3 -c "import nvidia.cublas, os; print(os.path.join(list(nvidia.cublas.__path__)[0], 'lib'))" 2>/dev/null || true)
  # its dependencies (libcudart, libcublasLt) live in sibling wheel folders: let the loader find them
  NV_LIBS=$(timeout 30 python3 -c "import nvidia, os, glob; print(':'.join(sorted(glob.glob(os.path.join(list(nvidia.__path__)[0], '*', 'lib')))))" 2>/dev/null || true)
  [ -n "$NV_LIBS" ] && export LD_LIBRARY_PATH="$NV_LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
[ -n "${UNITE_CUBLAS_DIR:-}" ] && JOPTS+=("-Dunite.cublas.dir=$UNITE_CUBLAS_DIR")
# libxtb: the machine's own when installed, else the bundle's copy, unpacked next to run.sh
XTB_NOTE="libxtb: not available (the sweeps run the synthetic inputs only)"
if [ "${XTB:-auto}" != bundle ] && { command -v ldconfig >/dev/null && ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null | grep -q 'libxtb\.so\.6 '; then
  XTB_NOTE="libxtb: the machine's own"
elif [ -f "$HERE/xtb-libs.tar.xz" ]; then
  rm -rf "$HERE/.xtb" && mkdir -p "$HERE/.xtb"
  if tar xJf "$HERE/xtb-libs.tar.xz" -C "$HERE/.xtb" 2>/dev/null \
     || timeout 60 python3 -c "import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])" "$HERE/xtb-libs.tar.xz" "$HERE/.xtb" 2>/dev/null; then
    # for the Java runs only: the build machine's libgomp/libgfortran/OpenBLAS must not shadow
    # the machine's own for anything else (python3 with torch, say)
    JAVA=(env "LD_LIBRARY_PATH=$HERE/.xtb/xtb-libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$JAVA")
    JOPTS+=("-Dunite.xtb.library=$HERE/.xtb/xtb-libs/libxtb.so.6")
    XTB_NOTE="libxtb: the bundle's copy ($(ls "$HERE/.xtb/xtb-libs" | tr '\n' ' '))"
  else
    XTB_NOTE="libxtb: could not unpack xtb-libs.tar.xz (no xz, no python3)"
  fi
fi
# the sweeps: a fixed heap, as `./unite bench scaling` gives them (a quarter of the memory, <= 8 GiB)
MEM_MIB=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo 2>/dev/null || echo 0)
HEAP_MIB=$(( MEM_MIB / 4 )); [ "$HEAP_MIB" -gt 8192 ] && HEAP_MIB=8192
SWEEP_OPTS=(); [ "$HEAP_MIB" -ge 1024 ] && SWEEP_OPTS=("-Xms${HEAP_MIB}m" "-Xmx${HEAP_MIB}m" -XX:+AlwaysPreTouch)
START=$SECONDS
failures=0

left() { echo $(( BUDGET - (SECONDS - START) )); }
# step NAME CAP_SECONDS CMD... : runs CMD with min(CAP, time left), output to terminal and $LOGS/NAME.log
# MIN_LEFT=seconds before it: skip the step unless that much of the budget is left (default 10)
step() {
  local name="$1" cap="$2"; shift 2
  local t; t=$(left); [ "$t" -gt "$cap" ] && t=$cap
  if [ "$t" -lt "${MIN_LEFT:-10}" ]; then echo "== $name: skipped (time budget spent)"; echo "skipped (budget)" > "$LOGS/$name.status"; return 0; fi
  echo "== $name (limit ${t}s)"
  local t0=$SECONDS
  timeout --kill-after=5 "$t" "$@" 2>&1 | tee "$LOGS/$name.log"
  local rc=${PIPESTATUS[0]}
  echo "rc=$rc after $((SECONDS - t0))s" > "$LOGS/$name.status"
  [ "$rc" = 124 ] || [ "$rc" = 137 ] && echo "== $name: TIMED OUT after ${t}s"
  return "$rc"
}

echo "== unite4j gpu-bundle $(cat "$HERE/COMMIT" 2>/dev/null) on $(hostname) at $(date -u +%FT%TZ)"
if command -v nvidia-smi >/dev/null 2>&1; then
  timeout 20 nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.memory --format=csv,noheader || true
else
  echo "nvidia-smi: not found"
fi
echo "== $XTB_NOTE"
[ -f "$HERE/ptxas-summary.txt" ] && { echo "== ptxas (sm_90) TP kernels:"; grep '^u4j_tp' "$HERE/ptxas-summary.txt"; }

step info 60 "${JAVA[@]}" "${JOPTS[@]}" -cp "$CP" org.unite4j.backend.cuda.CudaInfo
gpu=$?
if [ "$gpu" != 0 ]; then
  echo "== no GPU usable here: running the tests that need none (GPU tests report their skip reason)"
fi

# 1. tests of the CUDA backend (GPU ones skip with a reason where there is no GPU)
step tests 150 "${JAVA[@]}" "${JOPTS[@]}" -cp "$CP" org.junit.platform.console.ConsoleLauncher execute \
  --disable-banner --disable-ansi-colors --details=tree --select-package org.unite4j.backend.cuda \
  || failures=$((failures + 1))
if ! grep -qE '^\[ +[1-9][0-9]* tests successful' "$LOGS/tests.log"; then
  echo "== tests: no test ran successfully (class path or discovery problem)"; failures=$((failures + 1))
fi

if [ "$gpu" = 0 ]; then
  # 2. benchmark (our kernels)
  step bench 150 "${JAVA[@]}" "${JOPTS[@]}" -cp "$CP" org.unite4j.backend.cuda.CudaTpBenchmark "$SIZES" "$REPS" \
    || failures=$((failures + 1))
  # 3. e3nn on the same problem, where PyTorch and e3nn are installed
  if [ "$E3NN" != 1 ]; then
    echo "== e3nn: skipped (E3NN=1 runs it; the H100 numbers are in benchmarks/results/GPU_RUNS.md)"
  elif timeout 60 python3 -c "import torch, e3nn" >/dev/null 2>&1; then
    step e3nn 150 python3 "$HERE/benchmarks/e3nn_compare.py" "$SIZES" "$REPS" || true
  else
    echo "== e3nn: skipped (python3 cannot import torch and e3nn)"
  fi
  # 3b. where the whole model's time goes on CUDA (65,858 blocks), per kernel
  step model-profile 60 "${JAVA[@]}" "${JOPTS[@]}" -cp "$CP" org.unite4j.backend.cuda.CudaModelProfile 512 5 \
    || failures=$((failures + 1))
  # 4. the PTX path (driver JIT for this card) on the tensor-product GPU tests
  step ptx-jit 90 "${JAVA[@]}" "${JOPTS[@]}" -Dunite.cuda.ptx=true -cp "$CP" org.junit.platform.console.ConsoleLauncher execute \
    --disable-banner --disable-ansi-colors --details=summary --select-class org.unite4j.backend.cuda.CudaTpGpuTest \
    || failures=$((failures + 1))
  # 5. the scaling sweeps on CUDA (the xtb inputs need libxtb, see above; skipped without it):
  #    the quick one (~1-2 min), then the full one (~5.5 min on an H100) if the budget still holds 6 minutes
  step scaling 180 "${JAVA[@]}" "${JOPTS[@]}" "${SWEEP_OPTS[@]}" -cp "$CP" org.unite4j.cli.Main bench scaling --quick --backend cuda --no-plots \
    --out "$LOGS/scaling" || failures=$((failures + 1))
  if [ "$FULL" = 1 ]; then
    MIN_LEFT=360 step scaling-full 480 "${JAVA[@]}" "${JOPTS[@]}" "${SWEEP_OPTS[@]}" -cp "$CP" org.unite4j.cli.Main bench scaling --backend cuda --no-plots \
      --out "$LOGS/scaling-full" || failures=$((failures + 1))
  fi
fi

echo
echo "================ summary ================"
grep -v '^WARNING: Using incubator modules' "$LOGS/info.log" 2>/dev/null | head -n1
for s in info tests bench model-profile e3nn ptx-jit scaling scaling-full; do
  [ -f "$LOGS/$s.status" ] && printf "%-8s %s\n" "$s" "$(cat "$LOGS/$s.status")"
done
grep -hE '^\[ +[0-9]+ tests (successful|failed|skipped|aborted)' "$LOGS/tests.log" 2>/dev/null | sed 's/^/tests: /'
grep -hE 'tests (successful|failed)' "$LOGS/ptx-jit.log" 2>/dev/null | sed 's/^/ptx-jit: /'
grep -hE '^\[cuda\] TP (double backward|[0-9]+ nodes)' "$LOGS/tests.log" 2>/dev/null | head -2
grep -hE '✘' "$LOGS/tests.log" 2>/dev/null | sed 's/^/FAILED: /' | head -20
grep -hE '^\[cuda\] (selftest:|cuBLAS)' "$LOGS/tests.log" 2>/dev/null | head -10
# parity (every schedule preset x every output) and adjoint identities: count and worst case
grep -hE '^\[cuda\] parity' "$LOGS/tests.log" 2>/dev/null | awk '{r = $NF + 0; if (r >= m) { m = r; w = $0 }; n++}
  END { if (n) printf "parity vs CPU float64: %d comparisons, worst rel %.2e: %s\n", n, m, w }'
grep -hE '^\[cuda\] .* adjoint' "$LOGS/tests.log" 2>/dev/null | awk '{r = $NF + 0; if (r >= m) { m = r; w = $0 }; n++}
  END { if (n) printf "adjoint identities: %d checks, worst rel %.2e: %s\n", n, m, w }'
grep -hE '^\[cuda\] selftest .*FAIL' "$LOGS/tests.log" 2>/dev/null | head -20
for f in bench e3nn; do
  [ -f "$LOGS/$f.log" ] || continue
  grep -hE '^(device|copy bandwidth)' "$LOGS/$f.log"
  # per size: the forward variants, the whole backward of every schedule preset, the best pair;
  # the halves (bwd_edge*, bwd_node*) are in $LOGS/bench.log
  grep -hE '^(kernel|tp_fwd|tp_bwd|e3nn_fwd|e3nn_bwd|bwd/fwd|best)' "$LOGS/$f.log"
done
grep -hE '^== model' "$LOGS/model-profile.log" 2>/dev/null
for f in scaling scaling-full; do
  [ -f "$LOGS/$f.log" ] && grep -hE '^(Scaling sweep|op |[a-z_]+ +(synthetic|alkane|water)|note:)' "$LOGS/$f.log"
done
echo "logs: $LOGS   total $((SECONDS - START))s, failed steps: $failures"
exit $(( failures > 0 ? 1 : 0 ))
