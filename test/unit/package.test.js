// Packaging: the ESM and CJS entries, the typings, and the committed prebuild.
'use strict';
const t = require('tap');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { ROOT, FIXTURES, requireModels } = require('./helpers');

const PREBUILD_DIR = path.join(ROOT, 'prebuilds', `${process.platform}-${process.arch}`);

t.test('ESM and CommonJS entries export the same API (one instance)', async (t) => {
  const cjs = require(ROOT);
  const esm = await import('analyze-face');
  for (const k of ['analyzeFace', 'createAnalyzer', 'imageInfo', 'AnalyzeFaceError', 'ErrorCodes', 'FACE_SHAPE_KEYS']) {
    t.equal(esm[k], cjs[k], `${k} is the same object`);
  }
  t.equal(typeof cjs.analyzeFace, 'function');
});

t.test('typings compile under strict TypeScript', async (t) => {
  const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'af-types-'));
  const file = path.join(dir, 'use.ts');
  fs.writeFileSync(file, `
    import { analyzeFace, createAnalyzer, AnalyzeFaceError, type AnalyzeFaceResult, type FaceShape } from ${JSON.stringify(ROOT)};
    async function f(b: Buffer): Promise<number> {
      const r: AnalyzeFaceResult = await analyzeFace(b, 1, { maxFaces: 3, withFaceRect: true, limits: { maxLongSide: 4000 } });
      const s: FaceShape = r.FaceShapeSet[0];
      const a = createAnalyzer({ shapeModel: 'x.afm' });
      await a.analyzeFace(b.toString('base64'));
      try { await analyzeFace(b); } catch (e) { if (e instanceof AnalyzeFaceError) return e.code.length; }
      return s.LeftPupil[0].X + (s.FaceRect?.Width ?? 0);
    }
    // @ts-expect-error mode 2 is not a Mode
    analyzeFace(Buffer.alloc(0), 2);
    void f;
  `);
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '--strict', '--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext',
    '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules', '@types'), file], { encoding: 'utf8' });
  t.equal(r.status, 0, r.stdout + r.stderr);
  fs.rmSync(dir, { recursive: true, force: true });
});

t.test('the committed prebuild loads and depends only on the C/C++ runtime', async (t) => {
  t.ok(fs.existsSync(PREBUILD_DIR), `${path.relative(ROOT, PREBUILD_DIR)} exists`);
  const bins = fs.existsSync(PREBUILD_DIR) ? fs.readdirSync(PREBUILD_DIR).filter((f) => f.endsWith('.node')) : [];
  t.equal(bins.length, 1, 'one prebuilt binary');
  if (bins.length !== 1) return;
  const bin = path.join(PREBUILD_DIR, bins[0]);
  const addon = require(bin); // the binary itself, not through node-gyp-build
  const info = addon.info();
  t.equal(info.engine, true, 'built with the face engine');
  t.equal(typeof addon.analyze, 'function');
  const ldd = spawnSync('ldd', [bin], { encoding: 'utf8' });
  if (ldd.status === 0) {
    const libs = ldd.stdout.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter(Boolean);
    const allowed = /^(linux-vdso\.so|libc\.so|libm\.so|libstdc\+\+\.so|libgcc_s\.so|\/lib64\/ld-linux|ld-linux|libpthread\.so|libdl\.so)/;
    t.same(libs.filter((l) => !allowed.test(l)), [], `ldd: ${libs.join(', ')}`);
  }
  const syms = spawnSync('nm', ['-D', '--defined-only', bin], { encoding: 'utf8' });
  if (syms.status === 0) {
    const names = syms.stdout.trim().split('\n').map((l) => l.split(' ').pop()).sort();
    t.same(names, ['napi_register_module_v1', 'node_api_module_get_api_version_v1'], 'exports only the N-API entry points');
  }
});

t.test('the prebuild gives the same result as the local build', async (t) => {
  if (!requireModels(t)) return;
  const bins = fs.readdirSync(PREBUILD_DIR).filter((f) => f.endsWith('.node'));
  const code = `require(${JSON.stringify(ROOT)}).analyzeFace(require('fs').readFileSync(${JSON.stringify(path.join(FIXTURES, 'astronaut.jpg'))}))
    .then((r) => process.stdout.write(JSON.stringify(r)), (e) => { process.stdout.write(JSON.stringify({ error: e.code })); })`;
  const r = spawnSync(process.execPath, ['-e', code], {
    encoding: 'utf8', env: { ...process.env, ANALYZE_FACE_BINARY: path.join(PREBUILD_DIR, bins[0]) },
  });
  t.equal(r.status, 0, r.stderr);
  const fromPrebuild = JSON.parse(r.stdout);
  const local = await require(ROOT).analyzeFace(fs.readFileSync(path.join(FIXTURES, 'astronaut.jpg')));
  // The local build may come from another build system with other optimisation flags, so
  // floating-point results may differ in the last bit: allow 1 px after rounding.
  t.same(Object.keys(fromPrebuild), Object.keys(local));
  t.equal(fromPrebuild.FaceShapeSet.length, local.FaceShapeSet.length, 'same number of faces');
  // Built from the current sources? (cmake/prebuild.sh records their hash.) A prebuild from older
  // sources still has to load and find the same faces, but may place points differently: that is
  // reported loudly, and the point comparison below applies only to an up-to-date prebuild.
  const recorded = fs.existsSync(path.join(PREBUILD_DIR, 'SOURCES.sha256'))
    ? fs.readFileSync(path.join(PREBUILD_DIR, 'SOURCES.sha256'), 'utf8').trim() : '';
  const current = spawnSync(process.execPath, [path.join(ROOT, 'native', 'addon', 'gyp-sources.js'), 'hash'], { encoding: 'utf8' }).stdout.trim();
  t.match(current, /^[0-9a-f]{64}$/, 'source hash computed');
  if (recorded !== current) {
    t.comment('WARNING: prebuilds/linux-x64 was built from other native sources than this tree ' +
      `(recorded ${recorded || 'none'}, tree ${current}): run \`npm run prebuild\` and commit the result`);
    return;
  }
  let worst = 0;
  fromPrebuild.FaceShapeSet.forEach((f, i) => {
    for (const k of Object.keys(f)) {
      f[k].forEach((p, j) => {
        const q = local.FaceShapeSet[i][k][j];
        worst = Math.max(worst, Math.abs(p.X - q.X), Math.abs(p.Y - q.Y));
      });
    }
  });
  t.ok(worst <= 1, `points agree within 1 px (worst ${worst})`);
});

t.test('ANALYZE_FACE_SIMD=scalar (no AVX2) gives the same points within 1 px', async (t) => {
  if (!requireModels(t)) return;
  const img = path.join(FIXTURES, 'astronaut.jpg');
  const code = `const af = require(${JSON.stringify(ROOT)});
    af.analyzeFace(require('fs').readFileSync(${JSON.stringify(img)}), 0, { withFaceRect: true })
      .then((r) => process.stdout.write(JSON.stringify({ r, avx2: af.nativeInfo().avx2 })), (e) => process.stdout.write(JSON.stringify({ error: e.code })))`;
  const res = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, ANALYZE_FACE_SIMD: 'scalar' } });
  t.equal(res.status, 0, res.stderr);
  const scalar = JSON.parse(res.stdout);
  t.equal(scalar.avx2, false, 'the scalar path is in use');
  const simd = await require(ROOT).analyzeFace(fs.readFileSync(img), 0, { withFaceRect: true });
  t.equal(scalar.r.FaceShapeSet.length, simd.FaceShapeSet.length, 'same faces');
  let worst = 0;
  scalar.r.FaceShapeSet.forEach((f, i) => {
    for (const k of Object.keys(f)) {
      if (!Array.isArray(f[k])) continue;
      f[k].forEach((p, j) => { worst = Math.max(worst, Math.abs(p.X - simd.FaceShapeSet[i][k][j].X), Math.abs(p.Y - simd.FaceShapeSet[i][k][j].Y)); });
    }
  });
  t.ok(worst <= 1, `worst point difference ${worst} px`);
});
