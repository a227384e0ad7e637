#!/usr/bin/env node
// analyze-face [--mode 0|1] [--max-faces N] [--with-face-rect] [--pretty] IMAGE...
// Prints one JSON object per image (one line each, or indented with --pretty):
//   {"file":…,"ImageWidth":…,"ImageHeight":…,"FaceShapeSet":[…]}
//   {"file":…,"Error":{"Code":…,"Message":…}}
// Exit status: 0 when every image succeeded, 1 when any failed, 2 on a usage error.
'use strict';
const fs = require('fs');
const path = require('path');

const USAGE = `Usage: analyze-face [options] IMAGE...

Finds faces and their 90 key points (Tencent Cloud IAI AnalyzeFace's response, offline).
IMAGE is a JPEG, PNG or BMP file, or - for standard input.

Options:
  --mode 0|1          0: every face, at most 10, largest first (default); 1: the largest face
  --max-faces N       mode 0: at most N faces (1..10, default 10)
  --with-face-rect    add each face's FaceRect and Score
  --pretty            indented JSON for people
  -h, --help          this text
  -v, --version       the package version
`;

function usageError(msg) {
  process.stderr.write(`analyze-face: ${msg}\n\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv) {
  const args = { mode: 0, maxFaces: undefined, withFaceRect: false, pretty: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const value = () => {
      if (eq > 0) return a.slice(eq + 1);
      if (i + 1 >= argv.length) usageError(`${name} needs a value`);
      return argv[++i];
    };
    if (a === '--') { args.files.push(...argv.slice(i + 1)); break; }
    switch (name) {
      case '--mode': {
        const v = value();
        if (v !== '0' && v !== '1') usageError(`--mode must be 0 or 1, got '${v}'`);
        args.mode = Number(v);
        break;
      }
      case '--max-faces': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 10) usageError(`--max-faces must be an integer from 1 to 10, got '${v}'`);
        args.maxFaces = Number(v);
        break;
      }
      case '--with-face-rect': args.withFaceRect = true; break;
      case '--pretty': args.pretty = true; break;
      case '-h': case '--help': process.stdout.write(USAGE); process.exit(0); break;
      case '-v': case '--version':
        process.stdout.write(require('../package.json').version + '\n');
        process.exit(0);
        break;
      default:
        if (a.startsWith('-') && a !== '-') usageError(`unknown option ${a}`);
        args.files.push(a);
    }
  }
  if (args.files.length === 0) usageError('no image given');
  return args;
}

function readInput(file) {
  return file === '-' ? fs.readFileSync(0) : fs.readFileSync(file);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const { analyzeFace } = require(path.join(__dirname, '..', 'dist', 'index.js'));
  const options = { withFaceRect: args.withFaceRect };
  if (args.maxFaces !== undefined) options.maxFaces = args.maxFaces;
  let failures = 0;
  for (const file of args.files) {
    let out;
    try {
      let bytes;
      try {
        bytes = readInput(file);
      } catch (e) {
        // Tencent's code for an image that could not be fetched.
        const err = new Error(`cannot read ${file}: ${e.code || e.message}`);
        err.code = 'FailedOperation.ImageDownloadError';
        throw err;
      }
      const r = await analyzeFace(bytes, args.mode, options);
      out = { file, ImageWidth: r.ImageWidth, ImageHeight: r.ImageHeight, FaceShapeSet: r.FaceShapeSet };
    } catch (e) {
      failures++;
      out = { file, Error: { Code: e.code || 'InternalError', Message: e.message } };
    }
    process.stdout.write(JSON.stringify(out, null, args.pretty ? 2 : undefined) + '\n');
  }
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => { process.exitCode = code; },
  (e) => { process.stderr.write(`analyze-face: ${e && e.stack ? e.stack : e}\n`); process.exitCode = 1; },
);
