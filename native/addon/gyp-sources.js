#!/usr/bin/env node
// Prints the engine's source files for binding.gyp, read from the CMake targets that the
// engine areas define, so node-gyp and cmake-js compile the same files:
//   node native/addon/gyp-sources.js base   → sources built with the baseline flags
//   node native/addon/gyp-sources.js avx2   → sources of af_*_avx2 targets (-mavx2 -mfma)
//   node native/addon/gyp-sources.js have-engine → 1 when af_detect and af_shape exist, else 0
//   node native/addon/gyp-sources.js hash        → SHA-256 of everything the addon is built from
// Paths are printed relative to the package root, one per line (gyp's <!@(...) splits them).
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const kind = process.argv[2] || 'base';
// Inference libraries only: trainers, tools and tests never go into the addon.
const wanted = /^af_(common|image|detect|shape|engine)(_avx2)?$/;
const cmakeFiles = ['CMakeLists.txt', 'native/image/CMakeLists.txt', 'native/detect/CMakeLists.txt',
  'native/shape/CMakeLists.txt', 'native/engine/CMakeLists.txt'];

const x64 = process.arch === 'x64';
const out = [];
const targets = new Set();
for (const rel of cmakeFiles) {
  const file = path.join(root, rel);
  if (!fs.existsSync(file)) continue;
  const text = fs.readFileSync(file, 'utf8').replace(/#[^\n]*/g, '');
  const dir = path.dirname(rel);
  // add_library(af_x STATIC|OBJECT files...) and target_sources(af_x PRIVATE files...)
  const re = /(add_library|target_sources)\(\s*(af_\w+)\s+(?:STATIC|OBJECT|PRIVATE|PUBLIC)\s+([^)]*)\)/g;
  let m;
  while ((m = re.exec(text)) !== null) {
    const target = m[2];
    if (m[1] === 'add_library') targets.add(target);
    if (!wanted.test(target)) continue;
    for (const tok of m[3].split(/\s+/)) {
      if (!/\.(cc|cpp|c)$/.test(tok) || tok.includes('$')) continue;
      // AVX2 kernels (*_avx2.cc) get their own flags; *_stub.cc stand in for them off x86 only.
      const isAvx2 = /_avx2\.(cc|cpp|c)$/.test(tok);
      const isStub = /_stub\.(cc|cpp|c)$/.test(tok);
      if (x64 ? isStub : isAvx2) continue;
      if ((kind === 'avx2') !== isAvx2) continue;
      const src = path.posix.join(dir === '.' ? '' : dir, tok);
      if (fs.existsSync(path.join(root, src)) && !out.includes(src)) out.push(src);
    }
  }
}
// The engine glue needs both model libraries; without them the addon is built without it.
const haveEngine = targets.has('af_detect') && targets.has('af_shape');
if (kind === 'have-engine') {
  process.stdout.write(haveEngine ? '1\n' : '0\n');
  process.exit(0);
}
if (!haveEngine) {
  for (let i = out.length - 1; i >= 0; i--) if (out[i].startsWith('native/engine/')) out.splice(i, 1);
}
// `hash`: SHA-256 over every file that goes into the addon (the sources of both lists, the addon's
// own files, the headers of the engine areas, binding.gyp). cmake/prebuild.sh records it next to
// the prebuilt binary so tests can tell a prebuild built from the current sources from a stale one.
if (kind === 'hash') {
  const crypto = require('crypto');
  const files = new Set(['binding.gyp', 'native/addon/gyp-sources.js']);
  const list = (k) => require('child_process').execFileSync(process.execPath, [__filename, k], { encoding: 'utf8' })
    .split('\n').filter(Boolean);
  for (const f of [...list('base'), ...list('avx2')]) files.add(f);
  for (const area of ['common', 'image', 'detect', 'shape', 'engine', 'addon']) {
    const d = path.join(root, 'native', area);
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d)) if (/\.(h|cc|map)$/.test(f)) files.add(`native/${area}/${f}`);
  }
  const h = crypto.createHash('sha256');
  for (const f of [...files].sort()) {
    h.update(f + '\0');
    h.update(fs.readFileSync(path.join(root, f)));
    h.update('\0');
  }
  process.stdout.write(h.digest('hex') + '\n');
  process.exit(0);
}
// gyp needs at least one entry; an empty avx2 list gets a harmless placeholder.
if (out.length === 0 && kind === 'avx2') out.push('native/addon/empty_avx2.cc');
process.stdout.write(out.join('\n') + '\n');
