#!/usr/bin/env bash
# Reproduces models/detector.afm (+ models/detector.train.json) from ../shared/data.
#   scripts/train-detector.sh [extra af_train_detector options]
# Builds af_train_detector (Release) in build-tools, then trains with the shipped parameters
# (seed 1, 2 threads; the result does not depend on the thread count). About 8-10 minutes on
# 2 cores (five components, mirrored + rolled negatives, partial-face negatives).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${AF_DATA:-$ROOT/../shared/data}"
cmake -S "$ROOT" -B "$ROOT/build-tools" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$ROOT/build-tools" -j2 --target af_train_detector
mkdir -p "$ROOT/models"
nice -n 5 "$ROOT/build-tools/native/detect/af_train_detector" \
  --data "$DATA" \
  --out "$ROOT/models/detector.afm" \
  --card "$ROOT/models/detector.train.json" \
  --seed 1 --threads 2 --jitter-small 0.08 "$@"
