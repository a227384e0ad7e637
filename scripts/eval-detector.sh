#!/usr/bin/env bash
# npm run eval:detector — detection accuracy of our detector beside dlib's HOG detector on
# eval/caltech, eval/dlib_examples and the held-out negatives; recall at 0/1/5 false positives per
# 10 images, AP, false positives per image. Protocol: docs/evaluation.md.
# Output: a table on stdout, bench/results/eval-detector.{md,json}.
#
# Environment: AF_DATA (default ../shared/data), AF_DETECTOR (models/detector.afm), AF_EVAL_OUT
#              (bench/results/eval-detector); extra arguments go to af_eval_detector.
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"  # repo (cwd), data, build
out="${AF_EVAL_OUT:-bench/results/eval-detector}"

af_eval_prepare detector af_eval_detector

mkdir -p "$(dirname "$out")"
nice -n 5 "$build/native/eval/af_eval_detector" --data "$data" --dlib-cache "$build/dlib" \
  --detector "${AF_DETECTOR:-models/detector.afm}" --json "$out.json" "$@" | tee "$out.md"
