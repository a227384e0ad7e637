// Exiting the process while analyses are still running on the thread pool must be clean: no
// crash from static destructors racing the workers (the model cache is never destroyed).
'use strict';
const t = require('tap');
const { spawnSync } = require('child_process');
const { ROOT } = require('./helpers');

function child(script) {
  return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: ROOT, timeout: 60000 });
}

t.test('process.exit() with jobs in flight', async (t) => {
  t.plan(4);
  const r = child(`
    const af = require('./dist/index.js');
    const { makePng } = require('./test/unit/helpers.js');
    af.concurrency(4);
    const png = makePng(1500, 1500);
    for (let i = 0; i < 12; i++) af.analyzeFace(png).catch(() => {});
    setTimeout(() => { process.stdout.write('exiting'); process.exit(0); }, 5);`);
  t.equal(r.signal, null, `no signal (${r.signal})`);
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout, 'exiting');
  const r2 = child(`
    const af = require('./dist/index.js');
    af.analyzeFace(require('fs').readFileSync('test/fixtures/astronaut.jpg')).catch(() => {});
    // natural exit: the event loop waits for the job, then the process ends
    process.on('exit', (c) => process.stdout.write('exit ' + c));`);
  t.equal(r2.stdout, 'exit 0', r2.stderr);
});
