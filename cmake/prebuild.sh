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
echo "built $BIN ($(stat -c %s "$BIN") bytes)"
if command -v ldd >/dev/null; then
  echo "ldd $BIN:"
  ldd "$BIN"
  if ldd "$BIN" | grep -Eq 'libjpeg|libpng|libz\.|libgomp'; then
    echo "error: the prebuild links a shared image library or OpenMP" >&2
    exit 1
  fi
fi
# the AVX2 TUs must be the only code using VEX/AVX2 instructions: list functions that do
node -e "const b=require('./$BIN'); const i=b.info(); if(!i.engine) { console.error('prebuild has no engine'); process.exit(1) } console.log('loads:', JSON.stringify(i))"
