// The response shape: Tencent's keys in Tencent's order, point counts, integer points, and the
// geometry that the 90-point layout promises on an upright face (test/fixtures/astronaut.jpg).
'use strict';
const t = require('tap');
const { lib, fixture, requireModels, bbox, modelOrder } = require('./helpers');

const { analyzeFace, FACE_SHAPE_KEYS } = lib();
const COUNTS = { FaceProfile: 21, LeftEye: 8, RightEye: 8, LeftEyeBrow: 8, RightEyeBrow: 8, Mouth: 22, Nose: 13, LeftPupil: 1, RightPupil: 1 };
const TENCENT_ORDER = ['FaceProfile', 'LeftEye', 'RightEye', 'LeftEyeBrow', 'RightEyeBrow', 'Mouth', 'Nose', 'LeftPupil', 'RightPupil'];
const mean = (pts, k) => pts.reduce((s, p) => s + p[k], 0) / pts.length;

t.test('schema: keys, order, counts, integers', async (t) => {
  if (!requireModels(t)) return;
  const r = await analyzeFace(fixture('astronaut.jpg'));
  t.same(Object.keys(r), ['ImageWidth', 'ImageHeight', 'FaceShapeSet'], 'top-level keys in order');
  t.equal(r.ImageWidth, 512);
  t.equal(r.ImageHeight, 512);
  t.ok(r.FaceShapeSet.length >= 1, 'at least one face');
  t.same([...FACE_SHAPE_KEYS], TENCENT_ORDER, 'exported key order is Tencent\'s');
  for (const face of r.FaceShapeSet) {
    t.same(Object.keys(face), TENCENT_ORDER, 'FaceShape keys in Tencent\'s order, nothing else');
    let total = 0;
    for (const k of TENCENT_ORDER) {
      t.equal(face[k].length, COUNTS[k], `${k} has ${COUNTS[k]} points`);
      total += face[k].length;
      for (const p of face[k]) {
        if (!(Object.keys(p).length === 2 && Number.isInteger(p.X) && Number.isInteger(p.Y))) {
          t.fail(`${k}: point ${JSON.stringify(p)} is not {X, Y} integers`);
        }
      }
    }
    t.equal(total, 90, '90 points');
  }
  // the JSON text itself has the keys in order
  const json = JSON.stringify(r);
  t.match(json, /^\{"ImageWidth":512,"ImageHeight":512,"FaceShapeSet":\[\{"FaceProfile":\[\{"X":-?\d+,"Y":-?\d+\}/, 'JSON text order');
});

t.test('geometry of an upright face', async (t) => {
  if (!requireModels(t)) return;
  const r = await analyzeFace(fixture('astronaut.jpg'), 1);
  t.equal(r.FaceShapeSet.length, 1);
  const f = r.FaceShapeSet[0];
  t.ok(f.LeftEye[0].X < f.RightEye[0].X, 'LeftEye[0] (outer corner) is left of RightEye[0]');
  t.ok(f.LeftEye[0].X < f.LeftEye[4].X, 'LeftEye: outer corner left of inner corner');
  t.ok(f.RightEye[4].X < f.RightEye[0].X, 'RightEye: inner corner left of outer corner');
  t.ok(f.LeftEyeBrow[0].X < f.LeftEyeBrow[4].X && f.RightEyeBrow[4].X < f.RightEyeBrow[0].X, 'brows: outer→inner');
  t.ok(f.FaceProfile[0].X < f.FaceProfile[20].X, 'jaw runs image-left to image-right');
  for (const [pupil, eye] of [['LeftPupil', 'LeftEye'], ['RightPupil', 'RightEye']]) {
    const b = bbox(f[eye]);
    const p = f[pupil][0];
    t.ok(p.X >= b.minX - 1 && p.X <= b.maxX + 1 && p.Y >= b.minY - 2 && p.Y <= b.maxY + 2,
      `${pupil} ${JSON.stringify(p)} inside the ${eye} contour bbox ${JSON.stringify(b)}`);
  }
  t.ok(mean(f.LeftEyeBrow, 'Y') < mean(f.LeftEye, 'Y') && mean(f.RightEyeBrow, 'Y') < mean(f.RightEye, 'Y'), 'brows above eyes');
  t.ok(mean(f.LeftEye, 'Y') < f.Nose[0].Y && f.Nose[0].Y < mean(f.Mouth, 'Y'), 'eyes, nose tip, mouth from top to bottom');
  t.ok(f.Mouth[0].X < f.Mouth[6].X, 'mouth corners left to right');
  t.ok(f.FaceProfile[10].Y > mean(f.Mouth, 'Y'), 'chin below the mouth');
  const all = bbox(modelOrder(f));
  t.ok(all.maxX - all.minX > 80 && all.maxX - all.minX < 400, `face width plausible (${all.maxX - all.minX} px)`);
});

t.test('withFaceRect adds FaceRect and Score and changes nothing else', async (t) => {
  if (!requireModels(t)) return;
  const img = fixture('astronaut.jpg');
  const plain = await analyzeFace(img);
  const rich = await analyzeFace(img, 0, { withFaceRect: true });
  t.equal(rich.FaceShapeSet.length, plain.FaceShapeSet.length);
  const f = rich.FaceShapeSet[0];
  t.same(Object.keys(f), [...TENCENT_ORDER, 'FaceRect', 'Score']);
  t.same(Object.keys(f.FaceRect), ['X', 'Y', 'Width', 'Height']);
  t.ok(Object.values(f.FaceRect).every(Number.isInteger), 'FaceRect integers');
  t.ok(f.FaceRect.Width > 0 && f.FaceRect.Height > 0);
  t.equal(typeof f.Score, 'number');
  const { FaceRect, Score, ...points } = f;
  t.same(points, plain.FaceShapeSet[0], 'same points');
  // the box contains the eyes
  for (const p of [...f.LeftEye, ...f.RightEye]) {
    if (p.X < FaceRect.X || p.X > FaceRect.X + FaceRect.Width || p.Y < FaceRect.Y || p.Y > FaceRect.Y + FaceRect.Height) {
      t.fail(`eye point ${JSON.stringify(p)} outside FaceRect ${JSON.stringify(FaceRect)}`);
    }
  }
});

t.test('Buffer, Uint8Array, base64 and data URI give the same result; calls are deterministic', async (t) => {
  if (!requireModels(t)) return;
  const img = fixture('astronaut.jpg');
  const a = await analyzeFace(img);
  t.same(await analyzeFace(new Uint8Array(img)), a, 'Uint8Array');
  t.same(await analyzeFace(img.toString('base64')), a, 'base64');
  t.same(await analyzeFace('data:image/jpeg;base64,' + img.toString('base64')), a, 'data URI');
  t.same(await analyzeFace(img.toString('base64').replace(/(.{76})/g, '$1\n')), a, 'base64 with line breaks');
  t.same(await analyzeFace(img), a, 'same result twice');
});

t.test('NoFaceInPhoto', async (t) => {
  if (!requireModels(t)) return;
  const { makePng } = require('./helpers');
  const e = await analyzeFace(makePng(320, 240, () => 128)).catch((err) => err);
  t.equal(e.code, 'InvalidParameterValue.NoFaceInPhoto', 'flat gray image');
  t.match(e.message, /no face/i);
  const e2 = await analyzeFace(makePng(320, 240, (x, y) => ((x >> 3) + (y >> 3)) & 1 ? 230 : 20), 1).catch((err) => err);
  t.equal(e2.code, 'InvalidParameterValue.NoFaceInPhoto', 'checkerboard, mode 1');
});
