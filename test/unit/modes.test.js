// Mode semantics on real multi-face photos (../shared/data/eval/photos, read-only):
// Mode 0 → every face, at most 10 (maxFaces), largest first; Mode 1 → only the largest, which is
// the first face of Mode 0.
'use strict';
const t = require('tap');
const { lib, data, requireModels } = require('./helpers');

const { analyzeFace } = lib();
const area = (f) => f.FaceRect.Width * f.FaceRect.Height;

// Group photos with well over 10 clearly visible faces.
const CROWDS = ['eval/photos/vladmandic_human__solvay1927.jpg', 'eval/photos/vladmandic_human__group-1.jpg'];
// Two people.
const COUPLE = 'eval/photos/face_recognition_examples__examples_two_people.jpg';

for (const file of CROWDS) {
  t.test(`more than 10 faces: ${file}`, async (t) => {
    if (!requireModels(t)) return;
    const img = data(file);
    const all = await analyzeFace(img, 0, { withFaceRect: true });
    t.equal(all.FaceShapeSet.length, 10, 'mode 0 returns exactly 10');
    for (let i = 1; i < all.FaceShapeSet.length; i++) {
      t.ok(area(all.FaceShapeSet[i - 1]) >= area(all.FaceShapeSet[i]), `face ${i - 1} area >= face ${i} area`);
    }
    const one = await analyzeFace(img, 1, { withFaceRect: true });
    t.equal(one.FaceShapeSet.length, 1, 'mode 1 returns 1');
    t.same(one.FaceShapeSet[0], all.FaceShapeSet[0], 'mode 1 = the first face of mode 0');
    const three = await analyzeFace(img, 0, { withFaceRect: true, maxFaces: 3 });
    t.same(three.FaceShapeSet, all.FaceShapeSet.slice(0, 3), 'maxFaces 3 = the first 3 of mode 0');
    const oneMax = await analyzeFace(img, 1, { maxFaces: 5 });
    t.equal(oneMax.FaceShapeSet.length, 1, 'mode 1 ignores maxFaces');
    t.same(Object.keys(all), ['ImageWidth', 'ImageHeight', 'FaceShapeSet']);
  });
}

t.test(`two faces: ${COUPLE}`, async (t) => {
  if (!requireModels(t)) return;
  const img = data(COUPLE);
  const all = await analyzeFace(img, 0, { withFaceRect: true });
  t.ok(all.FaceShapeSet.length >= 2, `both faces (${all.FaceShapeSet.length} found)`);
  t.ok(area(all.FaceShapeSet[0]) >= area(all.FaceShapeSet[1]), 'largest first');
  const one = await analyzeFace(img, 1, { withFaceRect: true });
  t.same(one.FaceShapeSet, all.FaceShapeSet.slice(0, 1), 'mode 1 = first of mode 0');
  const a = all.FaceShapeSet[0].FaceRect, b = all.FaceShapeSet[1].FaceRect; // the two largest
  const overlap = Math.max(0, Math.min(a.X + a.Width, b.X + b.Width) - Math.max(a.X, b.X)) *
    Math.max(0, Math.min(a.Y + a.Height, b.Y + b.Height) - Math.max(a.Y, b.Y));
  t.ok(overlap < 0.2 * Math.min(area(all.FaceShapeSet[0]), area(all.FaceShapeSet[1])), 'two different faces');
});
