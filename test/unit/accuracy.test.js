// Accuracy on human-annotated IMM frontal photos (../shared/data/eval/imm, measuring only):
// NME over the points IMM shares with the 90-point layout, normalised by the outer-eye-corner
// distance (IMM points 21 and 13), as ../shared/data/README.md defines.
'use strict';
const t = require('tap');
const fs = require('fs');
const path = require('path');
const { lib, DATA, requireModels } = require('./helpers');

const { analyzeFace } = lib();

// IMM point index → [part, index] in our layout (../shared/data/README.md).
const SHARED = [
  [21, 'LeftEye', 0], [25, 'LeftEye', 4], [17, 'RightEye', 4], [13, 'RightEye', 0],
  [22, 'LeftEye', 7], [23, 'LeftEye', 6], [24, 'LeftEye', 5], [28, 'LeftEye', 1], [27, 'LeftEye', 2], [26, 'LeftEye', 3],
  [14, 'RightEye', 7], [15, 'RightEye', 6], [16, 'RightEye', 5], [20, 'RightEye', 1], [19, 'RightEye', 2], [18, 'RightEye', 3],
  [39, 'Mouth', 0], [43, 'Mouth', 6], [6, 'FaceProfile', 10], [50, 'Nose', 5], [52, 'Nose', 7], [54, 'Nose', 9],
];

function readAsf(file, width, height) {
  const pts = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    // <path#> <type> <x rel.> <y rel.> <point#> <from> <to> [extra columns in some files]
    if (!line.startsWith('#') && f.length >= 7 && /^\d+$/.test(f[4])) pts[Number(f[4])] = { x: Number(f[2]) * width, y: Number(f[3]) * height };
  }
  return pts;
}

// 12 people × the neutral frontal photo (suffix 1): a fixed, small sample.
const PEOPLE = ['01', '04', '07', '10', '13', '16', '19', '22', '25', '28', '31', '34'];
const THRESHOLD_MEAN = 0.036; // measured 0.0308 with the session-3 models (0.0316 with a5844a3); dlib's 68-point model: 0.038 on IMM frontal
const THRESHOLD_EACH = 0.05; // worst measured: 0.038 (28-1m; 0.037 with a5844a3, 0.043 with the first shape model)

t.test('IMM frontal: NME of the shared points', async (t) => {
  if (!requireModels(t)) return;
  const dir = path.join(DATA, 'eval', 'imm');
  const nmes = [];
  for (const id of PEOPLE) {
    const base = fs.readdirSync(dir).find((f) => f.startsWith(`${id}-1`) && f.endsWith('.jpg'));
    if (!base) { t.fail(`no IMM photo for person ${id}`); continue; }
    const r = await analyzeFace(fs.readFileSync(path.join(dir, base)), 1);
    const gt = readAsf(path.join(dir, base.replace(/\.jpg$/, '.asf')), r.ImageWidth, r.ImageHeight);
    const f = r.FaceShapeSet[0];
    const iod = Math.hypot(gt[21].x - gt[13].x, gt[21].y - gt[13].y);
    let sum = 0;
    for (const [i, part, k] of SHARED) sum += Math.hypot(f[part][k].X - gt[i].x, f[part][k].Y - gt[i].y);
    const nme = sum / SHARED.length / iod;
    nmes.push(nme);
    t.ok(nme < THRESHOLD_EACH, `${base}: NME ${nme.toFixed(4)} < ${THRESHOLD_EACH}`);
  }
  const mean = nmes.reduce((a, b) => a + b, 0) / nmes.length;
  t.comment(`IMM frontal (${nmes.length} photos): mean NME ${mean.toFixed(4)}`);
  t.ok(mean < THRESHOLD_MEAN, `mean NME ${mean.toFixed(4)} < ${THRESHOLD_MEAN}`);
});
