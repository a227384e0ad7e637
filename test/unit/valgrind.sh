#!/usr/bin/env bash
# npm run test:leak — the addon under valgrind memcheck: three analyses (mode 0/1, withFaceRect),
# two error paths and a header read. Fails on any memcheck error or definitely-lost block.
# About 3 minutes on 2 cores (node itself runs under valgrind).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
LOG="$(mktemp)"
valgrind --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
  --error-exitcode=3 --num-callers=30 node -e "
const af = require('$ROOT/dist/index.js');
const img = require('fs').readFileSync('$ROOT/test/fixtures/astronaut.jpg');
(async () => {
  for (let i = 0; i < 3; i++) await af.analyzeFace(img, i % 2, { withFaceRect: true });
  for (const b of [Buffer.from('GIF89a....'), Buffer.alloc(0)]) await af.analyzeFace(b).catch(() => {});
  await af.imageInfo(img);
  console.log('analyses done');
})();" >"$LOG" 2>&1 || { tail -60 "$LOG"; exit 1; }
grep -E "analyses done|definitely lost|ERROR SUMMARY" "$LOG"
rm -f "$LOG"
