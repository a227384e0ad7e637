#!/usr/bin/env bash
# npm run bench — speed of analyze-face against the dlib peer, measured in ONE run on the same
# images with one thread each (af_bench launches dlib_peer itself and alternates rounds).
# Writes bench/results/latest.{md,json}. Speed targets are ratios ours/dlib from this file.
#
# Environment: AF_DATA (default ../shared/data), AF_DETECTOR (models/detector.afm),
#              AF_SHAPE (models/shape90.afm); extra arguments go to af_bench (--rounds N ...).
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"  # repo (cwd), data, build

af_eval_prepare shape af_bench
mkdir -p bench/results
"$build/native/eval/af_bench" --data "$data" --dlib-cache "$build/dlib" \
  --dlib-peer "$build/peers/dlib/dlib_peer" --work "$build/bench" --out bench/results/latest \
  --detector "${AF_DETECTOR:-models/detector.afm}" --shape "${AF_SHAPE:-models/shape90.afm}" "$@"
