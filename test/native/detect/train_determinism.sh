#!/usr/bin/env bash
# The trainer is deterministic for a seed and independent of the thread count: a tiny training
# run with 1 and 2 threads must produce identical model bytes. Skips without the data.
#   train_determinism.sh TRAINER DATA_DIR
set -euo pipefail
trainer="$1"
data="$2"
if [ ! -f "$data/labels/train.jsonl" ]; then
  echo "skip: no data at $data"
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for t in 1 2; do
  "$trainer" --data "$data" --threads "$t" --max-images 100 --rounds 1 --neg-random 5 --neg-mine 5 \
    --svm-epochs 5 --out "$tmp/m$t.afm" --card "$tmp/m$t.json" > "$tmp/log$t" 2>&1
done
test -s "$tmp/m1.afm"
if cmp -s "$tmp/m1.afm" "$tmp/m2.afm"; then
  echo "1 passed, 0 failed (identical models, $(stat -c %s "$tmp/m1.afm") bytes)"
else
  echo "FAIL: models differ between 1 and 2 threads"
  exit 1
fi
