// The CLI prints, per image, exactly what the library returns (plus "file"), or an Error object;
// exit status 0 only when every image succeeded.
'use strict';
const t = require('tap');
const path = require('path');
const { spawnSync } = require('child_process');
const { ROOT, DATA, FIXTURES, lib, requireModels } = require('./helpers');

const { analyzeFace } = lib();
const CLI = path.join(ROOT, 'bin', 'analyze-face.js');
const run = (args, input) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input, cwd: ROOT, maxBuffer: 32 << 20 });

t.test('usage errors exit 2', async (t) => {
  t.plan(4);
  let r = run([]);
  t.equal(r.status, 2, 'no image');
  t.match(r.stderr, /Usage: analyze-face/);
  r = run(['--mode', '2', 'x.jpg']);
  t.equal(r.status, 2, 'bad mode');
  r = run(['--bogus', 'x.jpg']);
  t.equal(r.status, 2, 'unknown flag');
});

t.test('errors are printed per image, exit 1', async (t) => {
  t.plan(5);
  const r = run(['/nonexistent.jpg', path.join(ROOT, 'package.json')]);
  t.equal(r.status, 1);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  t.equal(lines.length, 2, 'one line per image');
  t.same(Object.keys(lines[0]), ['file', 'Error']);
  t.equal(lines[0].Error.Code, 'FailedOperation.ImageDownloadError', 'unreadable file');
  t.equal(lines[1].Error.Code, 'FailedOperation.ImageDecodeFailed', 'not an image');
});

t.test('CLI output matches the library on the same images', async (t) => {
  if (!requireModels(t)) return;
  const files = [path.join(FIXTURES, 'astronaut.jpg'), path.join(DATA, 'eval/photos/face_recognition_examples__examples_two_people.jpg')];
  for (const mode of [0, 1]) {
    const r = run(['--mode', String(mode), ...files]);
    t.equal(r.status, 0, `mode ${mode}: exit 0`);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    t.equal(lines.length, files.length);
    for (let i = 0; i < files.length; i++) {
      const expected = await analyzeFace(require('fs').readFileSync(files[i]), mode);
      t.same(lines[i], { file: files[i], ...expected }, `mode ${mode}: ${path.basename(files[i])}`);
      t.same(Object.keys(lines[i]), ['file', 'ImageWidth', 'ImageHeight', 'FaceShapeSet'], 'key order');
    }
  }
  // one good, one bad → exit 1 with the good one still printed
  const mixed = run([files[0], '/nonexistent.jpg']);
  t.equal(mixed.status, 1, 'exit 1 when any image failed');
  t.equal(mixed.stdout.trim().split('\n').length, 2);
  // --pretty is indented JSON of the same object; stdin as '-'
  const pretty = run(['--pretty', '-'], require('fs').readFileSync(files[0]));
  t.equal(pretty.status, 0);
  const obj = JSON.parse(pretty.stdout);
  t.same(obj, { file: '-', ...(await analyzeFace(require('fs').readFileSync(files[0]))) }, '--pretty with stdin');
  t.match(pretty.stdout, /\n {2}"ImageWidth": 512,/, 'indented');
});
