// Runs the engine's native unit tests (ctest over test/native) as part of `npm test`.
'use strict';
const t = require('tap');
const { spawnSync } = require('child_process');
const path = require('path');
const { ROOT } = require('./helpers');

t.test('native unit tests (cmake build of test/native + ctest)', (t) => {
  t.plan(2);
  const r = spawnSync('bash', [path.join(ROOT, 'test', 'unit', 'run-native.sh')], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 9 * 60 * 1000,
  });
  const out = `${r.stdout}\n${r.stderr}`;
  const summary = out.match(/(\d+)% tests passed, (\d+) tests failed out of (\d+)/);
  if (r.status !== 0) t.comment(out.split('\n').slice(-60).join('\n'));
  t.equal(r.status, 0, 'build and ctest exit 0');
  t.ok(summary && Number(summary[3]) > 0 && summary[2] === '0',
    summary ? `ctest: ${summary[0]}` : 'ctest printed a summary');
});
