// A coarse leak check: hundreds of calls that each decode a 1 MP image (and fail later, at the
// models, or find no face) must not grow the process's memory by more than a few of those images.
'use strict';
const t = require('tap');
const { lib, makePng } = require('./helpers');

const { createAnalyzer } = lib();

t.test('repeated decodes do not leak', async (t) => {
  const a = createAnalyzer({ shapeModel: '/nonexistent/shape.afm', detectorModel: '/nonexistent/detector.afm' });
  const png = makePng(1000, 1000, (x, y) => (x ^ y) & 255); // 1 MB of pixels once decoded
  const round = async (n) => {
    const codes = await Promise.all(Array.from({ length: n }, () => a.analyzeFace(png).then(() => 'ok', (e) => e.code)));
    return codes;
  };
  await round(20); // warm up allocators
  if (global.gc) global.gc();
  const before = process.memoryUsage().rss;
  let codes = [];
  for (let i = 0; i < 10; i++) codes = codes.concat(await round(30));
  if (global.gc) global.gc();
  const grown = (process.memoryUsage().rss - before) / 1e6;
  t.ok(codes.every((c) => c === 'FailedOperation.ServerError'), 'every call decoded the image and then reported the missing models');
  t.comment(`RSS growth after 300 decodes of a 1 MP PNG: ${grown.toFixed(1)} MB`);
  t.ok(grown < 40, `RSS grew ${grown.toFixed(1)} MB < 40 MB`);
});
