#!/usr/bin/env bash
# Builds the engine's native unit tests (test/native, no Node headers) in build-engine/ and runs
# them with ctest. `bash test/unit/run-native.sh build` only builds.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
B="${AF_NATIVE_BUILD_DIR:-$ROOT/build-engine}"
cmake -S "$ROOT" -B "$B" -DCMAKE_BUILD_TYPE=Release -DAF_BUILD_TESTS=ON -DAF_BUILD_TOOLS=ON >/dev/null
cmake --build "$B" -j"${JOBS:-2}"
[ "${1:-}" = build ] && exit 0
cd "$B"
ctest --output-on-failure -j"${JOBS:-2}" --timeout 300
