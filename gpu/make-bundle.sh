#!/usr/bin/env bash
# Builds gpu-bundle/ at the repository root: a self-contained folder that runs the unite4j GPU tests
# and benchmarks on a Linux x86-64 machine with only an NVIDIA driver (>= 580): a jlink'd JDK 25
# runtime, the jars (core, dependencies, JCuda + its linux-x86_64 natives, test classes, the JUnit
# console launcher), the PTX/cubin (inside unite4j-cuda.jar), the e3nn comparison script and run.sh.
# Called by `./unite gpu-bundle`; needs JAVA_HOME = a JDK 25 with jlink. Prints the bundle path last.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/gpu-bundle"
JAVA_HOME="${JAVA_HOME:?JAVA_HOME must point to a JDK 25}"
JUNIT_CONSOLE_VERSION=1.14.1
cd "$ROOT"

echo "gpu-bundle: building (mvnw package, tests compiled, not run) ..." >&2
./mvnw -q -B -pl cuda,java -am package -DskipTests >&2
[ -f cuda/target/classes/org/unite4j/cuda/unite4j_kernels.ptx ] || echo "gpu-bundle: WARNING: no PTX built (nvcc missing?): the bundle will report 'kernels not built'" >&2

rm -rf "$OUT"
mkdir -p "$OUT/lib" "$OUT/benchmarks"
./mvnw -q -B dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:$JUNIT_CONSOLE_VERSION \
  -DoutputDirectory="$OUT/lib" >&2
# only what the CUDA tests and benchmark load (not CDK, ...): core, its unite4j modules, JCuda
# picocli: run.sh calls `unite bench scaling --backend cuda --no-plots` through the CLI
# jackson-core: io.Json (the sweep's JSON, safetensors headers); not the YAML jars, which io.Yaml alone needs
cp java/target/unite4j-core.jar java/target/lib/unite4j-*.jar java/target/lib/jcuda-*.jar java/target/lib/picocli-*.jar \
  java/target/lib/jackson-core-*.jar "$OUT/lib/"
# JCuda natives: keep only the driver-API binding (libJCudaDriver, needs only libcuda.so.1); the
# runtime/NVRTC/nvPTXCompiler bindings are unused and would take 8 MB of the 60 MB budget.
NAT=$(ls "$OUT"/lib/jcuda-natives-*-linux-x86_64.jar)
TMPN=$(mktemp -d)
(cd "$TMPN" && "$JAVA_HOME/bin/jar" xf "$NAT" && find lib -type f ! -name 'libJCudaDriver-*' -delete \
  && rm "$NAT" && "$JAVA_HOME/bin/jar" cf "$NAT" .)
rm -rf "$TMPN"
"$JAVA_HOME/bin/jar" cf "$OUT/lib/unite4j-core-tests.jar" -C java/target/test-classes .
cp benchmarks/e3nn_compare.py "$OUT/benchmarks/"
cp gpu/run.sh "$OUT/run.sh"
chmod +x "$OUT/run.sh"
[ -f cuda/target/ptxas-summary.txt ] && cp cuda/target/ptxas-summary.txt "$OUT/"

# Modules: what jdeps finds for the jars (java.base, java.logging; java.sql for the JUnit console),
# plus jdk.zipfs, without which JUnit finds no test in a jar, and jdk.incubator.vector, without
# which the CPU reference kernels (the parity tests' float64 side) run their scalar loops, ~7x slower.
# java.management and jdk.management: `bench scaling` records the heap it ran with.
MODS=java.base,java.logging,java.management,java.sql,jdk.management,jdk.unsupported,jdk.zipfs,jdk.incubator.vector  # jdk.zipfs: JUnit scans jars as file systems
"$JAVA_HOME/bin/jlink" --add-modules "$MODS" --strip-debug --no-man-pages --no-header-files --compress zip-9 \
  $(command -v objcopy >/dev/null && echo --strip-native-debug-symbols=objcopy=$(command -v objcopy)) \
  --output "$OUT/jre" >&2
# jlink strips debug sections only; the symbol tables of libjvm.so alone are ~4 MB
command -v strip >/dev/null && find "$OUT/jre/lib" -name '*.so' -exec strip --strip-unneeded {} +

# libxtb and the libraries it needs beyond glibc/libgcc (OpenBLAS, gfortran, ...), xz-compressed
# (OpenBLAS: 36 MB -> 4 MB), so that the scaling sweep on the GPU machine also runs the alkane and
# water inputs featurized with GFN1-xTB. run.sh unpacks them when that machine has no libxtb.
XTB_SO=$({ command -v ldconfig >/dev/null && ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null | awk '$1 == "libxtb.so.6" && !f { print $NF; f = 1 }' || true)
if [ -n "$XTB_SO" ]; then
  TMPX=$(mktemp -d)
  mkdir -p "$TMPX/xtb-libs"
  cp -L "$XTB_SO" "$TMPX/xtb-libs/libxtb.so.6"
  ldd "$XTB_SO" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' | while read -r name path; do
    case "$name" in libc.so.*|libm.so.*|libmvec.so.*|libgcc_s.so.*|ld-linux*|libpthread.so.*|libdl.so.*) continue ;; esac
    cp -L "$path" "$TMPX/xtb-libs/$name"
  done
  tar cf - -C "$TMPX" xtb-libs | xz -9 -T0 > "$OUT/xtb-libs.tar.xz"
  echo "gpu-bundle: libxtb $(basename "$(readlink -f "$XTB_SO")") + $(ls "$TMPX/xtb-libs" | grep -vc libxtb) libraries it needs: $(du -h "$OUT/xtb-libs.tar.xz" | cut -f1) compressed" >&2
  rm -rf "$TMPX"
else
  echo "gpu-bundle: libxtb not installed here: the bundle's scaling sweep will run the synthetic inputs only" >&2
fi
(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown) > "$OUT/COMMIT"
size=$(du -sm "$OUT" | cut -f1)
echo "gpu-bundle: ${size} MB ($(du -sh "$OUT/jre" | cut -f1) runtime, $(du -sh "$OUT/lib" | cut -f1) jars); run: bash gpu-bundle/run.sh" >&2
# the device tool carries at most 64 MiB: the bundle plus the repository's tracked files (~3 MiB)
if [ "$size" -ge 60 ]; then echo "gpu-bundle: ERROR: bundle is ${size} MB, over the 60 MB budget" >&2; exit 1; fi
echo "$OUT"
