// Shared test helpers: paths, synthetic images, model checks. Not a test file itself.
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const ROOT = path.resolve(__dirname, '..', '..');
// Data lives beside the repository (../shared/data), read-only; AF_DATA_ROOT overrides.
const DATA = process.env.AF_DATA_ROOT ? path.resolve(process.env.AF_DATA_ROOT) : path.resolve(ROOT, '..', 'shared', 'data');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const MODEL_DIR = process.env.ANALYZE_FACE_MODEL_DIR ? path.resolve(process.env.ANALYZE_FACE_MODEL_DIR) : path.join(ROOT, 'models');
const MODELS = {
  detector: path.join(MODEL_DIR, 'detector.afm'),
  shape: path.join(MODEL_DIR, 'shape90.afm'),
};

function lib() {
  return require(path.join(ROOT, 'dist', 'index.js'));
}

function fixture(name) {
  return fs.readFileSync(path.join(FIXTURES, name));
}

function data(rel) {
  return fs.readFileSync(path.join(DATA, rel));
}

/**
 * Tests that need the trained models call this first. When the models are missing the test
 * FAILS with a message saying so (never a silent skip): a package without models is broken.
 */
function requireModels(t) {
  const missing = Object.values(MODELS).filter((p) => !fs.existsSync(p));
  if (missing.length > 0) {
    t.fail(`model file(s) missing: ${missing.map((p) => path.relative(ROOT, p)).join(', ')} — ` +
      'these tests need the trained models in models/ (npm run train:detector / train:shape)');
    return false;
  }
  return true;
}

// ---- synthetic images (so error-path tests need no binary fixtures) -------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, body) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const tb = Buffer.concat([Buffer.from(type, 'latin1'), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(tb));
  return Buffer.concat([len, tb, crc]);
}

/** A valid 8-bit grayscale PNG; pixel(x, y) → 0..255, or null for an all-black image (fast). */
function makePng(width, height, pixel = (x, y) => (x * 7 + y * 3) & 255) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; pixel && y < height; y++) {
    raw[y * (width + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = pixel(x, y);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A PNG whose header claims width × height but whose data is a token: the decoder rejects it as
 * truncated (ImageDecodeFailed) — unless a limit rejects the header first.
 */
function makePngHeaderOnly(width, height) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(16))), chunk('IEND', Buffer.alloc(0))]);
}

// ---- geometry -------------------------------------------------------------------------------

function bbox(points) {
  const xs = points.map((p) => p.X);
  const ys = points.map((p) => p.Y);
  return { minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys) };
}

/** All 90 points of a FaceShape, in model index order. */
function modelOrder(face) {
  return [...face.FaceProfile, ...face.LeftEyeBrow, ...face.RightEyeBrow, ...face.LeftEye, ...face.RightEye,
    ...face.Nose, ...face.Mouth, ...face.LeftPupil, ...face.RightPupil];
}

/** Face area from the points (side² of the face-box convention: the bbox squared). */
function faceArea(face) {
  const b = bbox(modelOrder(face));
  const side = Math.max(b.maxX - b.minX, b.maxY - b.minY);
  return side * side;
}

module.exports = {
  ROOT, DATA, FIXTURES, MODELS, lib, fixture, data, requireModels,
  makePng, makePngHeaderOnly, crc32, bbox, modelOrder, faceArea,
};
