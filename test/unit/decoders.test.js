// Decoder variants through the public API, with the image engineer's fixtures
// (test/fixtures/index.md says how each was made): every supported variant decodes, every
// corrupt or unsupported one is FailedOperation.ImageDecodeFailed.
'use strict';
const t = require('tap');
const fs = require('fs');
const path = require('path');
const { lib, FIXTURES } = require('./helpers');

const { analyzeFace, imageInfo } = lib();
const files = fs.readdirSync(FIXTURES).filter((f) => /\.(png|jpg|bmp|gif|webp|tif)$/.test(f) && f !== 'astronaut.jpg');
const CORRUPT = new Set(['bmp-truncated.bmp', 'jpeg-header-cut.jpg', 'jpeg-truncated.jpg', 'jpeg-progressive-truncated.jpg',
  'png-bad-crc.png', 'png-corrupt-idat.png', 'png-truncated.png']);
const UNSUPPORTED = { 'other-gif.gif': 'GIF', 'other-webp.webp': 'WebP', 'other-tiff.tif': 'TIFF' };
// Decoding succeeded when the call got past the decoder: it then either finds no face in these
// 61x47 test patterns, reports the models missing, or (unlikely) returns faces.
const PAST_DECODER = new Set(['InvalidParameterValue.NoFaceInPhoto', 'FailedOperation.ServerError']);

t.test('fixtures are present', async (t) => {
  t.ok(files.length >= 40, `${files.length} fixture images`);
  for (const f of CORRUPT) t.ok(files.includes(f), f);
});

for (const f of files) {
  t.test(f, async (t) => {
    const bytes = fs.readFileSync(path.join(FIXTURES, f));
    let outcome;
    try {
      const r = await analyzeFace(bytes, 0, { minFaceSize: 20 });
      outcome = { ok: true, r };
    } catch (e) {
      outcome = { ok: false, e };
    }
    if (UNSUPPORTED[f]) {
      t.equal(outcome.e && outcome.e.code, 'FailedOperation.ImageDecodeFailed', 'refused');
      t.match(outcome.e && outcome.e.message, new RegExp(UNSUPPORTED[f]), 'message names the format');
    } else if (CORRUPT.has(f)) {
      t.equal(outcome.e && outcome.e.code, 'FailedOperation.ImageDecodeFailed', `corrupt: ${outcome.e && outcome.e.message}`);
    } else {
      t.ok(outcome.ok || PAST_DECODER.has(outcome.e.code), `decoded (${outcome.ok ? 'faces' : outcome.e.code}: ${outcome.ok ? '' : outcome.e.message})`);
      const info = await imageInfo(bytes);
      t.same([info.width, info.height], [61, 47], 'header size');
      t.equal(info.format, { '.jpg': 'JPEG', '.png': 'PNG', '.bmp': 'BMP' }[path.extname(f)], 'format');
      if (outcome.ok) t.same([outcome.r.ImageWidth, outcome.r.ImageHeight], [61, 47]);
    }
  });
}
