#!/usr/bin/env bash
# Builds the dlib peers (the reference we compare against) outside the read-only shared folder.
#
#   scripts/build-peers.sh [OUT_DIR]     (default: build-eval/peers)
#
# Copies /work/shared/peers/{dlib,dlib-trainer} (or $AF_PEERS_DIR) to OUT_DIR, installs the Debian
# packages their build.sh needs (libdlib-dev, libdlib-data, BLAS/LAPACK; needs root the first
# time) and builds dlib_peer and dlib_train90 there, plus our scored-detection helper
# dlib_peer_scores (native/eval/peers/dlib_peer_scores.cpp: the same dlib HOG detector, printing
# every window's score so recall/FP curves and AP can be computed). Idempotent: a binary newer
# than its source is not rebuilt.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
src="${AF_PEERS_DIR:-$repo/../shared/peers}"
out="${1:-$repo/build-eval/peers}"
mkdir -p "$out"

need=()
[ -f /usr/include/dlib/image_processing.h ] || need+=(libdlib-dev)
[ -f /usr/share/dlib/shape_predictor_68_face_landmarks.dat ] || need+=(libdlib-data)
[ -e /usr/lib/x86_64-linux-gnu/libblas.so ] || need+=(libblas-dev liblapack-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}" >&2
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y "${need[@]}" >/dev/null
  else
    sudo DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y "${need[@]}" >/dev/null
  fi
fi

for peer in dlib dlib-trainer; do
  mkdir -p "$out/$peer"
  # copy sources only (the shared folder is read-only; keep our copies writable)
  for f in "$src/$peer"/*; do
    # copy only when changed, so an unchanged source does not look newer than its binary
    cmp -s "$f" "$out/$peer/$(basename "$f")" || install -m 0644 "$f" "$out/$peer/$(basename "$f")"
  done
  chmod +x "$out/$peer/build.sh"
done

build_if_stale() {  # dir binary source
  if [ ! -x "$1/$2" ] || [ "$1/$3" -nt "$1/$2" ]; then
    (cd "$1" && nice -n 5 ./build.sh)
  else
    echo "up to date: $1/$2"
  fi
}
build_if_stale "$out/dlib" dlib_peer dlib_peer.cpp
build_if_stale "$out/dlib-trainer" dlib_train90 dlib_train90.cpp

scores_src="$repo/native/eval/peers/dlib_peer_scores.cpp"
if [ -f "$scores_src" ]; then
  if [ ! -x "$out/dlib_peer_scores" ] || [ "$scores_src" -nt "$out/dlib_peer_scores" ]; then
    nice -n 5 g++ -O3 -march=native -std=c++17 "$scores_src" -o "$out/dlib_peer_scores" \
      -ldlib -ljpeg -lpng -lblas -llapack -lpthread
    echo "built $out/dlib_peer_scores"
  else
    echo "up to date: $out/dlib_peer_scores"
  fi
fi
