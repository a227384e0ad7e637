#!/usr/bin/env bash
# npm run prebuild: builds prebuilds/<platform>-<arch>/analyze-face.napi.node with prebuildify
# (N-API, stripped), linking PIC static libjpeg-turbo, libpng and zlib (cmake/static-deps.sh) so
# the binary needs nothing but the C/C++ runtime. Baseline x86-64 code; the AVX2 kernels are
# chosen at run time (native/common/cpu.h). Checks the result with ldd and by loading it.
set -euo pipefail
cd "$(dirname "$0")/.."
# An existing prefix may be given in AF_STATIC_DEPS (e.g. when building from a clean clone).
PREFIX="${AF_STATIC_DEPS:-$(bash cmake/static-deps.sh | tail -1)}"
export AF_STATIC_DEPS="$PREFIX"
npx prebuildify --napi --strip
OUT="prebuilds/$(node -p 'process.platform + "-" + process.arch')"
BIN="$(ls "$OUT"/*.node | head -1)"
# Which sources this binary was built from (test/unit/package.test.js compares it with the tree).
node native/addon/gyp-sources.js hash > "$OUT/SOURCES.sha256"
echo "built $BIN ($(stat -c %s "$BIN") bytes)"
if command -v ldd >/dev/null; then
  echo "ldd $BIN:"
  ldd "$BIN"
  if ldd "$BIN" | grep -Eq 'libjpeg|libpng|libz\.|libgomp'; then
    echo "error: the prebuild links a shared image library or OpenMP" >&2
    exit 1
  fi
fi
# Baseline x86-64: only the *_avx2 translation units may use AVX2/FMA instructions, and they must
# define nothing but their own kernels (no shared inline/template code the linker could pick).
if command -v objdump >/dev/null && [ -d build/Release/obj.target/analyze_face ]; then
  bad=$(find build/Release/obj.target/analyze_face -name '*.o' -exec sh -c \
    'objdump -d --no-show-raw-insn "$1" | grep -qE "ymm|vfmadd" && echo "$1"' _ {} \;)
  if [ -n "$bad" ]; then echo "error: AVX2 code in baseline objects: $bad" >&2; exit 1; fi
  foreign=$(objdump -d -C build/Release/af_avx2.a | grep -E '^[0-9a-f]+ <' | grep -viE 'avx2' || true)
  if [ -n "$foreign" ]; then echo "error: the AVX2 archive defines shared code: $foreign" >&2; exit 1; fi
  echo "baseline objects: no AVX2 instructions; AVX2 archive: kernels only"
fi
node -e "const b=require('./$BIN'); const i=b.info(); if(!i.engine) { console.error('prebuild has no engine'); process.exit(1) } console.log('loads:', JSON.stringify(i))"
