#!/usr/bin/env bash
# npm run bench — speed of analyze-face against the dlib peer, measured in ONE run on the same
# images with one thread each (af_bench launches dlib_peer itself and alternates rounds).
# Writes bench/results/latest.{md,json}. Speed targets are ratios ours/dlib from this file.
#
# Environment: AF_DATA (default ../shared/data), AF_DETECTOR (models/detector.afm),
#              AF_SHAPE (models/shape90.afm); extra arguments go to af_bench (--rounds N ...).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
data="${AF_DATA:-../shared/data}"
build=build-eval
export OMP_NUM_THREADS=1

scripts/build-peers.sh "$build/peers" >&2
native/eval/dlib_cache.sh "$data" "$build/dlib" "$build/peers" shape >&2
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
nice -n 5 cmake --build "$build" -j2 --target af_bench >&2
mkdir -p bench/results
"$build/native/eval/af_bench" --data "$data" --dlib-cache "$build/dlib" \
  --dlib-peer "$build/peers/dlib/dlib_peer" --work "$build/bench" --out bench/results/latest \
  --detector "${AF_DETECTOR:-models/detector.afm}" --shape "${AF_SHAPE:-models/shape90.afm}" "$@"
