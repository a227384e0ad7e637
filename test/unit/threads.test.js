// Threads: worker_threads (context-aware addon, shared models), a worker terminated with jobs in
// flight, and event-loop responsiveness while 32 analyses run at once.
'use strict';
const t = require('tap');
const path = require('path');
const { Worker } = require('worker_threads');
const { monitorEventLoopDelay } = require('perf_hooks');
const { ROOT, lib, fixture, requireModels, makePng } = require('./helpers');

const { analyzeFace, nativeInfo } = lib();
const ENTRY = path.join(ROOT, 'dist', 'index.js');

function runWorker(code, workerData) {
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData });
    let msg;
    w.once('message', (m) => { msg = m; });
    w.once('error', reject);
    w.once('exit', (c) => (c === 0 ? resolve(msg) : reject(new Error(`worker exited with ${c}`))));
  });
}

t.test('error paths work inside worker threads (no models needed)', async (t) => {
  const code = `
    const { parentPort, workerData } = require('worker_threads');
    const af = require(workerData.entry);
    af.analyzeFace(Buffer.from('GIF89a-and-then-some')).then(
      () => parentPort.postMessage('resolved'),
      (e) => parentPort.postMessage({ code: e.code, info: af.nativeInfo() }));`;
  const results = await Promise.all([1, 2, 3].map(() => runWorker(code, { entry: ENTRY })));
  for (const r of results) t.equal(r.code, 'FailedOperation.ImageDecodeFailed', 'decode error from a worker');
  t.equal(typeof results[0].info.engine, 'boolean', 'the addon loaded in each worker');
});

t.test('worker threads give the main thread\'s result and share the loaded models', async (t) => {
  if (!requireModels(t)) return;
  const img = fixture('astronaut.jpg');
  const main = await analyzeFace(img);
  const code = `
    const { parentPort, workerData } = require('worker_threads');
    const af = require(workerData.entry);
    Promise.all([af.analyzeFace(workerData.img), af.analyzeFace(workerData.img, 1)])
      .then(([a, b]) => parentPort.postMessage({ a, b, info: af.nativeInfo() }),
            (e) => parentPort.postMessage({ error: e.code + ' ' + e.message }));`;
  const results = await Promise.all([1, 2].map(() => runWorker(code, { entry: ENTRY, img })));
  for (const r of results) {
    t.notOk(r.error, r.error || 'no error');
    t.same(r.a, main, 'mode 0 result identical to the main thread');
    t.same(r.b.FaceShapeSet, main.FaceShapeSet.slice(0, 1), 'mode 1 result identical');
    t.equal(r.info.cachedModels, nativeInfo().cachedModels, 'one process-wide model cache');
  }
  t.equal(nativeInfo().cachedModels, 1, 'default models loaded once per process');
});

t.test('terminating a worker with jobs in flight is safe', async (t) => {
  const code = `
    const { parentPort, workerData } = require('worker_threads');
    const af = require(workerData.entry);
    for (let i = 0; i < 8; i++) af.analyzeFace(workerData.img).catch(() => {});
    parentPort.postMessage('queued');`;
  const w = new Worker(code, { eval: true, workerData: { entry: ENTRY, img: makePng(1500, 1500) } });
  await new Promise((resolve) => w.once('message', resolve));
  const exitCode = await w.terminate();
  t.equal(exitCode, 1, 'terminated');
  // the main thread's addon still works afterwards
  const e = await analyzeFace(Buffer.from('GIF89a......')).catch((err) => err);
  t.equal(e.code, 'FailedOperation.ImageDecodeFailed', 'main thread unaffected');
});

t.test('event loop stays responsive while 32 analyses run', async (t) => {
  if (!requireModels(t)) return;
  const img = fixture('astronaut.jpg');
  await analyzeFace(img); // models loaded
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const start = process.hrtime.bigint();
  const results = await Promise.all(Array.from({ length: 32 }, (_, i) => analyzeFace(img, (i % 2), { withFaceRect: true })));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  h.disable();
  const p99 = h.percentile(99) / 1e6;
  t.equal(results.length, 32);
  t.ok(results.every((r) => r.FaceShapeSet.length >= 1), 'every call found the face');
  t.comment(`32 concurrent calls: ${ms.toFixed(0)} ms total; event-loop delay p99 ${p99.toFixed(2)} ms, max ${(h.max / 1e6).toFixed(2)} ms`);
  t.ok(p99 < 20, `event-loop delay p99 ${p99.toFixed(2)} ms < 20 ms`);
  t.equal(nativeInfo().inFlight, 0, 'no job left in flight');
});
