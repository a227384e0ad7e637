// Every rejection path of analyzeFace(), asserted by exact Tencent code. None of these needs the
// models: image problems are found before the models are consulted.
'use strict';
const t = require('tap');
const { lib, makePng, makePngHeaderOnly, fixture } = require('./helpers');

const { analyzeFace, AnalyzeFaceError, ErrorCodes, imageInfo } = lib();

async function codeOf(promise) {
  try {
    await promise;
    return 'resolved';
  } catch (e) {
    return e;
  }
}

t.test('ImageEmpty', async (t) => {
  t.plan(8);
  for (const [what, input] of [['empty Buffer', Buffer.alloc(0)], ['empty Uint8Array', new Uint8Array(0)],
    ['empty string', ''], ['undefined', undefined]]) {
    const e = await codeOf(analyzeFace(input));
    t.ok(e instanceof AnalyzeFaceError, `${what}: AnalyzeFaceError`);
    t.equal(e.code, 'InvalidParameterValue.ImageEmpty', what);
  }
});

t.test('ImageSizeExceed: Buffer byte length and base64 string length', async (t) => {
  t.plan(6);
  const big = Buffer.alloc(5 * 1024 * 1024 + 1, 0xff);
  let e = await codeOf(analyzeFace(big));
  t.equal(e.code, 'FailedOperation.ImageSizeExceed', 'Buffer over 5 MiB');
  t.match(e.message, /limits\.maxInputBytes/, 'message names the option');
  e = await codeOf(analyzeFace('A'.repeat(5 * 1024 * 1024 + 4)));
  t.equal(e.code, 'FailedOperation.ImageSizeExceed', 'base64 over 5 MiB characters');
  // exactly at the limit is not "exceed": it fails later, for another reason
  e = await codeOf(analyzeFace(Buffer.alloc(5 * 1024 * 1024, 0xff)));
  t.equal(e.code, 'FailedOperation.ImageDecodeFailed', 'Buffer of exactly 5 MiB passes the size check');
  const png = makePng(64, 64);
  e = await codeOf(analyzeFace(png, 0, { limits: { maxInputBytes: png.length - 1 } }));
  t.equal(e.code, 'FailedOperation.ImageSizeExceed', 'custom maxInputBytes');
  e = await codeOf(analyzeFace(png.toString('base64'), 0, { limits: { maxInputBytes: png.length } }));
  t.equal(e.code, 'FailedOperation.ImageSizeExceed', 'base64 measured by its length (4/3 of the bytes)');
});

t.test('ImageDecodeFailed names the format', async (t) => {
  const cases = [
    ['GIF', Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(64)]), /GIF/],
    ['WebP', Buffer.concat([Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1'), Buffer.alloc(64)]), /WebP/],
    ['TIFF', Buffer.concat([Buffer.from('II*\x00', 'latin1'), Buffer.alloc(64)]), /TIFF/],
    ['random bytes', Buffer.from('this is not an image at all, just text'), /JPEG, PNG and BMP|unrecognised/i],
    ['truncated JPEG header', fixture('astronaut.jpg').subarray(0, 20), /JPEG|corrupt|truncat/i],
    ['PNG with a bad IHDR CRC', (() => { const b = makePng(64, 64); b[29] ^= 0xff; return b; })(), /PNG|CRC|corrupt/i],
    ['bad base64', '@@@not base64@@@', /base64/],
  ];
  t.plan(cases.length * 2);
  for (const [what, input, re] of cases) {
    const e = await codeOf(analyzeFace(input));
    t.equal(e.code, 'FailedOperation.ImageDecodeFailed', what);
    t.match(e.message, re, `${what}: ${e.message}`);
  }
});

t.test('ImageResolutionExceed / ImageResolutionTooSmall from the header', async (t) => {
  t.plan(8);
  let e = await codeOf(analyzeFace(makePng(8193, 40, null)));
  t.equal(e.code, 'FailedOperation.ImageResolutionExceed', 'long side 8193 > 8192');
  e = await codeOf(analyzeFace(makePng(8000, 6000, null)));
  t.equal(e.code, 'FailedOperation.ImageResolutionExceed', '48 MP > 40 MP');
  e = await codeOf(analyzeFace(makePng(3000, 2000, null), 0, { limits: { maxPixels: 5_999_999 } }));
  t.equal(e.code, 'FailedOperation.ImageResolutionExceed', 'custom maxPixels');
  e = await codeOf(analyzeFace(makePng(31, 200)));
  t.equal(e.code, 'FailedOperation.ImageResolutionTooSmall', 'short side 31 < 32');
  t.match(e.message, /31x200/, 'message gives the size');
  e = await codeOf(analyzeFace(makePng(100, 100), 0, { limits: { maxLongSide: 99 } }));
  t.equal(e.code, 'FailedOperation.ImageResolutionExceed', 'custom maxLongSide');
  e = await codeOf(analyzeFace(makePng(100, 100), 0, { limits: { minShortSide: 101, maxLongSide: 200 } }));
  t.equal(e.code, 'FailedOperation.ImageResolutionTooSmall', 'custom minShortSide');
  const info = await imageInfo(makePng(640, 480, null));
  t.same(info, { format: 'PNG', width: 640, height: 480 }, 'imageInfo reads the header only');
});

t.test('InvalidParameter.InvalidParameter for bad mode and options', async (t) => {
  const png = makePng(64, 64);
  const cases = [
    ['mode 2', 2, undefined, /mode/],
    ['mode "1"', '1', undefined, /mode/],
    ['maxFaces 0', 0, { maxFaces: 0 }, /maxFaces/],
    ['maxFaces 11', 0, { maxFaces: 11 }, /maxFaces/],
    ['maxFaces 2.5', 0, { maxFaces: 2.5 }, /maxFaces/],
    ['misspelt option', 0, { maxface: 3 }, /did you mean 'maxFaces'/],
    ['withFaceRect "yes"', 0, { withFaceRect: 'yes' }, /withFaceRect/],
    ['signal not an AbortSignal', 0, { signal: {} }, /AbortSignal/],
    ['limits not an object', 0, { limits: 5 }, /limits/],
    ['unknown limit', 0, { limits: { maxBytes: 1 } }, /maxBytes/],
    ['negative maxLongSide', 0, { limits: { maxLongSide: -1 } }, /maxLongSide/],
    ['minFaceSize too small', 0, { minFaceSize: 5 }, /minFaceSize/],
    ['options not an object', 0, 'fast', /options/],
    ['image of the wrong type', 0, undefined, /image/, 42],
  ];
  t.plan(cases.length * 2);
  for (const [what, mode, options, re, image] of cases) {
    const e = await codeOf(analyzeFace(image === undefined ? png : image, mode, options));
    t.equal(e.code, 'InvalidParameter.InvalidParameter', what);
    t.match(e.message, re, `${what}: ${e.message}`);
  }
});

t.test('errors carry the caller\'s stack', async (t) => {
  t.plan(3);
  const e = await codeOf(analyzeFace(Buffer.alloc(0)));
  t.match(e.stack, /errors\.test\.js/, 'stack names this file');
  t.match(e.stack, /^AnalyzeFaceError \[InvalidParameterValue\.ImageEmpty\]/, 'stack starts with name and code');
  const e2 = await codeOf(analyzeFace(Buffer.from('GIF89a-and-more-bytes')));
  t.match(e2.stack, /errors\.test\.js/, 'native errors too');
});

t.test('AbortSignal', async (t) => {
  t.plan(5);
  const ac = new AbortController();
  ac.abort(new Error('user gave up'));
  let e = await codeOf(analyzeFace(makePng(64, 64), 0, { signal: ac.signal }));
  t.equal(e.code, ErrorCodes.Aborted, 'already aborted: ABORT_ERR');
  t.equal(e.name, 'AbortError', 'named AbortError');
  t.equal(e.cause && e.cause.message, 'user gave up', 'cause is the signal\'s reason');
  // aborted while queued / running: rejects promptly, the job's result is dropped
  const ac2 = new AbortController();
  const p = analyzeFace(makePng(2000, 2000), 0, { signal: ac2.signal });
  ac2.abort();
  e = await codeOf(p);
  t.equal(e.code, 'ABORT_ERR', 'aborted in flight');
  // a later call is unaffected
  e = await codeOf(analyzeFace(Buffer.from('GIF89a........')));
  t.equal(e.code, 'FailedOperation.ImageDecodeFailed', 'next call still works');
});

t.test('the input is copied: mutating the Buffer after the call does not matter', async (t) => {
  t.plan(1);
  const buf = makePng(31, 64);
  const p = analyzeFace(buf);
  buf.fill(0); // would be ImageDecodeFailed if the job read the caller's memory
  const e = await codeOf(p);
  t.equal(e.code, 'FailedOperation.ImageResolutionTooSmall', 'the job saw the bytes as they were at the call');
});

t.test('queued jobs: input copied at the call, abort removes them, concurrency is adjustable', async (t) => {
  t.plan(6);
  const { concurrency, queueStats } = lib();
  const before = concurrency();
  t.equal(concurrency(1), 1, 'set to 1');
  const bufs = [makePng(31, 64), makePng(31, 64), makePng(31, 64)];
  const ac = new AbortController();
  const ps = bufs.map((b, i) => analyzeFace(b, 0, i === 2 ? { signal: ac.signal } : undefined));
  t.same(queueStats(), { running: 1, waiting: 2 }, 'one running, two waiting');
  for (const b of bufs) b.fill(0);
  ac.abort();
  const codes = (await Promise.all(ps.map(codeOf))).map((e) => e.code);
  t.same(codes, ['FailedOperation.ImageResolutionTooSmall', 'FailedOperation.ImageResolutionTooSmall', 'ABORT_ERR'],
    'waiting jobs saw their bytes as at the call; the aborted one rejected');
  t.same(queueStats(), { running: 0, waiting: 0 }, 'queue empty');
  t.throws(() => concurrency(0), { code: 'InvalidParameter.InvalidParameter' });
  t.equal(concurrency(before), before, 'restored');
});

t.test('model problems: FailedOperation.ServerError naming the file; image errors come first', async (t) => {
  t.plan(7);
  const { createAnalyzer } = lib();
  const missing = createAnalyzer({ shapeModel: '/nonexistent/shape.afm', detectorModel: '/nonexistent/detector.afm' });
  let e = await codeOf(missing.load());
  t.equal(e.code, 'FailedOperation.ServerError', 'load() of a missing file');
  t.match(e.message, /\/nonexistent\//, 'message names the path');
  e = await codeOf(missing.analyzeFace(makePng(64, 64)));
  t.equal(e.code, 'FailedOperation.ServerError', 'analyzeFace with missing models');
  e = await codeOf(missing.analyzeFace(Buffer.from('GIF89a..........')));
  t.equal(e.code, 'FailedOperation.ImageDecodeFailed', 'a bad image is reported before the missing models');
  const notAModel = createAnalyzer({ shapeModel: __filename, detectorModel: __filename });
  e = await codeOf(notAModel.load());
  t.equal(e.code, 'FailedOperation.ServerError', 'a file that is not a model');
  t.match(e.message, /model/, e.message);
  t.throws(() => createAnalyzer({ shape: 'x.afm' }), { code: 'InvalidParameter.InvalidParameter', message: /did you mean 'shapeModel'/ });
});
