#!/usr/bin/env bash
# Builds the unite4j CUDA kernels (run by cuda/pom.xml in generate-resources; usable by hand):
#   build-kernels.sh OUT_RESOURCE_DIR REPORT_DIR
# -> OUT/unite4j_kernels.ptx        (PTX for compute_80: JIT-compiled by any driver >= 580 on sm_80+)
#    OUT/unite4j_kernels.sm_90.cubin (machine code for H100/H200, loaded as is on compute capability 9.0)
#    REPORT/ptxas-report.txt         (-Xptxas -v: registers, stack, spills per kernel; fails on spills
#                                     in the tensor-product kernels)
#    REPORT/host-emulation.txt       (the kernel code run on the CPU against a naive reference; also
#                                     without nvcc, where g++ is present)
# Where nvcc is absent the build still passes after the host emulation: no resources, and the Java
# backend then reports "kernels not built". Skips work when the outputs are newer than the sources.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-$HERE/target/classes/org/unite4j/cuda}"
REPORT="${2:-$HERE/target}"
SRC="$HERE/src/unite4j_kernels.cu"
mkdir -p "$OUT" "$REPORT"

# Host emulation of the kernel code (CPU), with or without nvcc: the kernels' thread functions
# compiled by the host C++ compiler and run against a naive reference.
host_emulation() {
  if ! command -v g++ >/dev/null 2>&1; then
    echo "[unite4j-cuda] g++ not found: host emulation of the kernels skipped"
    return 0
  fi
  rm -f "$REPORT/host_emulation" "$REPORT/host-emulation.txt"
  if ! g++ -O1 -std=c++17 -o "$REPORT/host_emulation" "$HERE/test/host_emulation.cpp"; then
    echo "[unite4j-cuda] ERROR: the host emulation does not compile" >&2
    return 1
  fi
  if ! "$REPORT/host_emulation" > "$REPORT/host-emulation.txt.tmp" 2>&1; then
    cat "$REPORT/host-emulation.txt.tmp" >&2
    echo "[unite4j-cuda] ERROR: host emulation of the kernels failed" >&2
    return 1
  fi
  mv "$REPORT/host-emulation.txt.tmp" "$REPORT/host-emulation.txt"
  tail -n1 "$REPORT/host-emulation.txt" | sed 's/^/[unite4j-cuda] /'
}

newest_src=$(ls -t "$HERE"/src/*.cu "$HERE"/src/*.cuh "$HERE/build-kernels.sh" "$HERE"/test/*.cpp "$HERE"/test/*.inc | head -n1)
NVCC="$(command -v nvcc || true)"
[ -z "$NVCC" ] && [ -x /usr/local/cuda/bin/nvcc ] && NVCC=/usr/local/cuda/bin/nvcc
if [ -z "$NVCC" ]; then
  if [ ! -f "$REPORT/host-emulation.txt" ] || [ "$newest_src" -nt "$REPORT/host-emulation.txt" ]; then
    host_emulation || exit 1
  fi
  echo "[unite4j-cuda] nvcc not found (PATH, /usr/local/cuda/bin): CUDA kernels not built; the CUDA backend will report 'kernels not built'."
  echo "nvcc not found: kernels not built" > "$REPORT/ptxas-report.txt"
  exit 0
fi

PTX="$OUT/unite4j_kernels.ptx"; CUBIN="$OUT/unite4j_kernels.sm_90.cubin"
if [ -f "$PTX" ] && [ -f "$CUBIN" ] && [ -f "$REPORT/ptxas-report.txt" ] && [ "$PTX" -nt "$newest_src" ] && [ "$CUBIN" -nt "$newest_src" ]; then
  echo "[unite4j-cuda] kernels up to date"
  exit 0
fi
echo "[unite4j-cuda] $("$NVCC" --version | tail -n2 | head -n1)"
FLAGS=(-std=c++17 -O3 -lineinfo)
# PTX and cubin in parallel (the two nvcc runs are independent)
"$NVCC" "${FLAGS[@]}" -ptx -arch=compute_80 -o "$PTX.tmp" "$SRC" & ptx_pid=$!
"$NVCC" "${FLAGS[@]}" -cubin -arch=sm_90 -Xptxas -v -o "$CUBIN.tmp" "$SRC" 2> "$REPORT/ptxas-report.txt" || { cat "$REPORT/ptxas-report.txt" >&2; exit 1; }
wait $ptx_pid
mv "$PTX.tmp" "$PTX"; mv "$CUBIN.tmp" "$CUBIN"
host_emulation || { rm -f "$PTX" "$CUBIN"; exit 1; }

# Summary: one line per kernel (registers, stack, spills); fail on spills in the TP kernels.
awk '/Function properties for/ {fn=$NF} /spill stores/ {st=$1; ss=$5; sl=$9} /Used [0-9]+ registers/ {print fn": "$5" registers, "st" B stack, "ss" B spill stores, "sl" B spill loads"}' \
  "$REPORT/ptxas-report.txt" | sort > "$REPORT/ptxas-summary.txt"
cat "$REPORT/ptxas-summary.txt" | sed 's/^/[unite4j-cuda] /'
if grep -E '^u4j_tp_' "$REPORT/ptxas-summary.txt" | grep -vE ' 0 B spill stores, 0 B spill loads' ; then
  echo "[unite4j-cuda] ERROR: register spills in a tensor-product kernel (see $REPORT/ptxas-report.txt)" >&2
  rm -f "$PTX" "$CUBIN"; exit 1
fi

echo "[unite4j-cuda] built $(basename "$PTX") ($(wc -c < "$PTX") B), $(basename "$CUBIN") ($(wc -c < "$CUBIN") B)"
