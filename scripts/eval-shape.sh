#!/usr/bin/env bash
# npm run eval:shape — landmark accuracy (NME) of our 90-point model from our detector's boxes,
# beside dlib's 68-point model on its own HOG boxes: labels/val.jsonl, eval/imm, eval/caltech.
# Protocol: docs/evaluation.md. Output: a table on stdout, bench/results/eval-shape.{md,json}.
#
# Environment: AF_DATA (default ../shared/data), AF_DETECTOR (models/detector.afm),
#              AF_SHAPE (models/shape90.afm), AF_EVAL_SETS (val,imm,caltech), AF_EVAL_OUT
#              (bench/results/eval-shape), extra arguments go to af_eval_shape (e.g. --limit 50).
set -euo pipefail
# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"  # repo (cwd), data, build
out="${AF_EVAL_OUT:-bench/results/eval-shape}"

af_eval_prepare shape af_eval_shape
tool="$build/native/eval/af_eval_shape"

# Secondary comparison on label point boxes: dlib's landmarks on the val point boxes mapped to its
# convention (cached like the rest of the dlib output).
if [ ! -s "$build/dlib/val_pointbox.jsonl" ]; then
  "$tool" --data "$data" --dlib-cache "$build/dlib" --write-dlib-boxes "$build/dlib/val_pointbox_boxes.jsonl"
  boxes="$(cd "$build/dlib" && pwd)/val_pointbox_boxes.jsonl"
  (cd "$data" && nice -n 5 "$repo/$build/peers/dlib/dlib_peer" --boxes "$boxes") \
    > "$build/dlib/val_pointbox.jsonl.tmp" 2>/dev/null
  mv "$build/dlib/val_pointbox.jsonl.tmp" "$build/dlib/val_pointbox.jsonl"
fi

args=(--data "$data" --dlib-cache "$build/dlib" --detector "${AF_DETECTOR:-models/detector.afm}"
      --shape "${AF_SHAPE:-models/shape90.afm}" --sets "${AF_EVAL_SETS:-val,imm,caltech}" "$@")

# Pass 1: our detector's matched boxes (mapped to dlib's convention) → dlib's landmarks on them,
# recomputed only when the boxes change (i.e. a new detector).
ob="$build/dlib/our_boxes.jsonl"
nice -n 5 "$tool" "${args[@]}" --write-our-boxes "$ob.new" > /dev/null
if ! cmp -s "$ob.new" "$ob" || [ ! -s "$build/dlib/dlib_on_our_boxes.jsonl" ]; then
  mv "$ob.new" "$ob"
  abs_ob="$(cd "$(dirname "$ob")" && pwd)/$(basename "$ob")"
  (cd "$data" && nice -n 5 "$repo/$build/peers/dlib/dlib_peer" --boxes "$abs_ob") \
    > "$build/dlib/dlib_on_our_boxes.jsonl" 2>/dev/null
else
  rm -f "$ob.new"
fi

# Pass 2: the report.
mkdir -p "$(dirname "$out")"
nice -n 5 "$tool" "${args[@]}" --dlib-on-our-boxes "$ob,$build/dlib/dlib_on_our_boxes.jsonl" \
  --json "$out.json" | tee "$out.md"
