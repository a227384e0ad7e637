# Shared preamble of scripts/eval-shape.sh, scripts/eval-detector.sh and bench/run.sh; sourced,
# not run (the caller has already done `set -euo pipefail`). After sourcing:
#   repo    the repository root, which is also the working directory
#   data    $AF_DATA, default ../shared/data (relative to the repository root)
#   build   build-eval: the evaluators' build folder (dlib peers, cached dlib output, tools)
#   OMP_NUM_THREADS=1 is exported: every comparison runs one thread per side.
#
#   af_eval_prepare WHAT TARGET
#     builds the dlib peers (scripts/build-peers.sh), fills the dlib cache for WHAT (shape or
#     detector: native/eval/dlib_cache.sh) and builds the CMake target TARGET (Release) in
#     $build; progress goes to stderr, so stdout stays the report.
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
data="${AF_DATA:-../shared/data}"
build=build-eval
export OMP_NUM_THREADS=1

af_eval_prepare() {
  scripts/build-peers.sh "$build/peers" >&2
  native/eval/dlib_cache.sh "$data" "$build/dlib" "$build/peers" "$1" >&2
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  nice -n 5 cmake --build "$build" -j2 --target "$2" >&2
}
