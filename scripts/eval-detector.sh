#!/usr/bin/env bash
# npm run eval:detector — detection accuracy of our detector beside dlib's HOG detector on
# eval/caltech, eval/dlib_examples and the held-out negatives; recall at 0/1/5 false positives per
# 10 images, AP, false positives per image. Protocol: docs/evaluation.md.
# Output: a table on stdout, bench/results/eval-detector.{md,json}.
#
# Environment: AF_DATA (default ../shared/data), AF_DETECTOR (models/detector.afm), AF_EVAL_OUT
#              (bench/results/eval-detector); extra arguments go to af_eval_detector.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
data="${AF_DATA:-../shared/data}"
out="${AF_EVAL_OUT:-bench/results/eval-detector}"
build=build-eval
export OMP_NUM_THREADS=1

scripts/build-peers.sh "$build/peers" >&2
native/eval/dlib_cache.sh "$data" "$build/dlib" "$build/peers" detector >&2
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
nice -n 5 cmake --build "$build" -j2 --target af_eval_detector >&2

mkdir -p "$(dirname "$out")"
nice -n 5 "$build/native/eval/af_eval_detector" --data "$data" --dlib-cache "$build/dlib" \
  --detector "${AF_DETECTOR:-models/detector.afm}" --json "$out.json" "$@" | tee "$out.md"
