#!/usr/bin/env bash
# Runs the dlib peers once over every evaluation set and caches their JSON output; the evaluators
# (af_eval_shape, af_eval_detector) only read these files. Idempotent: an existing, complete file
# is kept (delete the cache folder to recompute).
#
#   native/eval/dlib_cache.sh DATA_ROOT CACHE_DIR PEERS_DIR [what...]
#     what: shape | detector | all (default all)
#
# The peers run with the data root as working directory, so the "file" keys in their output are
# paths relative to the data root, exactly as in labels/*.jsonl.
set -euo pipefail
data="$(cd "$1" && pwd)"; cache="$2"; peers="$(cd "$3" && pwd)"; shift 3
what="${*:-all}"
mkdir -p "$cache"; cache="$(cd "$cache" && pwd)"
peer="$peers/dlib/dlib_peer"
scores="$peers/dlib_peer_scores"
[ -x "$peer" ] && [ -x "$scores" ] || { echo "dlib peers missing in $peers: run scripts/build-peers.sh" >&2; exit 1; }

lists="$cache/lists"; mkdir -p "$lists"
jq -r .file "$data/labels/val.jsonl" > "$lists/val.txt"
# Every 5th training image: enough to fit the dlib-box → face-box mapping (TRAIN split only).
jq -r .file "$data/labels/train.jsonl" | awk 'NR % 5 == 1' > "$lists/train.txt"
(cd "$data" && ls eval/imm/*.jpg) > "$lists/imm.txt"
cut -d' ' -f1 "$data/eval/caltech/ground_truth.txt" | sort -u | sed 's#^#eval/caltech/images/#' > "$lists/caltech.txt"
grep -ho "file='[^']*'" "$data/eval/dlib_examples/training.xml" "$data/eval/dlib_examples/testing.xml" \
  | sed "s#file='\(.*\)'#eval/dlib_examples/\1#" | sort -u > "$lists/dlib_examples.txt"
(cd "$data" && ls negatives/*) > "$lists/negatives.txt"

run() {  # output-file command...
  local out="$1"; shift
  local n_in n_out
  n_in=$(wc -l < "$LIST")
  if [ -f "$cache/$out" ] && [ "$(wc -l < "$cache/$out")" = "$n_in" ]; then
    echo "cached: $out ($n_in images)" >&2; return
  fi
  echo "running: $out ($n_in images)" >&2
  (cd "$data" && nice -n 5 "$@") > "$cache/$out.tmp" 2> "$cache/$out.log"
  n_out=$(wc -l < "$cache/$out.tmp")
  [ "$n_out" = "$n_in" ] || { echo "$out: $n_out of $n_in lines" >&2; exit 1; }
  mv "$cache/$out.tmp" "$cache/$out"
}

case " $what " in *" all "*|*" shape "*|*" detector "*)
  # the box-convention mapping is fitted on these (both tools need it)
  LIST="$lists/train.txt"; run train_scores_up1.jsonl "$scores" --upsample 1 --adjust 0 --list "$LIST"
esac
case " $what " in *" all "*|*" shape "*)
  # landmarks on dlib's own HOG boxes (upsample 1 ≈ 40 px faces, as our min_face_size 40)
  LIST="$lists/val.txt"; run val_up1.jsonl "$peer" --upsample 1 $(cat "$lists/val.txt")
  LIST="$lists/imm.txt"; run imm_up1.jsonl "$peer" --upsample 1 $(cat "$lists/imm.txt")
  LIST="$lists/caltech.txt"; run caltech_up1.jsonl "$peer" --upsample 1 $(cat "$lists/caltech.txt")
esac
case " $what " in *" all "*|*" detector "*)
  for up in 0 1; do
    for set in caltech dlib_examples negatives; do
      LIST="$lists/$set.txt"; run "${set}_scores_up$up.jsonl" "$scores" --upsample $up --adjust -1 --list "$LIST"
    done
  done
esac
echo "dlib cache ready in $cache" >&2
