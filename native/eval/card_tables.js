#!/usr/bin/env node
// Rewrites the measured tables of models/README.md from the latest tool outputs
// (bench/results/eval-shape.json, eval-detector.json, latest.json), between marker comments
// <!-- card:NAME --> ... <!-- /card:NAME -->, so the model card always shows the figures of the
// committed runs. Usage (from the repo root): node native/eval/card_tables.js [models/README.md]
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const cardPath = path.resolve(process.argv[2] || path.join(root, 'models', 'README.md'));
const read = (f) => JSON.parse(fs.readFileSync(path.join(root, 'bench', 'results', f), 'utf8'));
const shape = read('eval-shape.json');
const det = read('eval-detector.json');
const bench = read('latest.json');

const f4 = (x) => (x == null || Number.isNaN(x) ? '-' : x.toFixed(4));
const f3 = (x) => (x == null || Number.isNaN(x) ? '-' : x.toFixed(3));
const pct = (x) => (x == null ? '-' : `${(100 * x).toFixed(1)} %`);
const table = (head, rows) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

function row(sub, system, init, faces, common) {
  // common: true = the smaller (shared with dlib) point count of the subset
  const rows = sub.rows.filter((r) => r.system === system && r.init === init && r.faces === faces);
  if (!rows.length) throw new Error(`no row ${system} / ${init} / ${faces}`);
  rows.sort((a, b) => a.points - b.points);
  return common ? rows[0] : rows[rows.length - 1];
}

const S = shape.sets;
const subsets = [
  ['IMM frontal, human annotation', S.imm['frontal (1,2,5,6)']],
  ['IMM turned ~30°, human annotation', S.imm['turned ~30 deg (3,4)']],
  ['Caltech, eye distance ≥ 30 px, human', S.caltech['eye distance >= 30 px']],
  ['val (teacher labels = dlib on these points)', S.val['all faces']],
  ['val, teacher \\|yaw\\| ≥ 15°', S.val['|yaw| >= 15 deg']],
];

const blocks = {};
blocks.landmarks = table(
  ['set', 'faces (detected ours / dlib / both)', 'points compared', 'ours mean', 'ours median',
    'dlib-68 mean', 'dlib-68 median', 'fail > 0.10 ours / dlib'],
  subsets.map(([name, sub]) => {
    const o = row(sub, 'ours', 'own detector', 'both detect', true);
    const d = row(sub, 'dlib-68', 'own HOG detector', 'both detect', true);
    return [name, `${sub.faces} (${sub.detected_ours} / ${sub.detected_dlib} / ${sub.detected_both})`,
      String(o.points), f4(o.nme_mean), f4(o.nme_median), f4(d.nme_mean), f4(d.nme_median),
      `${pct(o.failure_rate)} / ${pct(d.failure_rate)}`];
  }));

blocks.ourpoints = table(['set', 'points', 'NME mean', 'median', 'fail > 0.10'],
  [['val, all 90 points', S.val['all faces']],
    ['IMM frontal, the 22 IMM-mapped points (incl. 12 eyelid points)', S.imm['frontal (1,2,5,6)']],
    ['IMM turned, 21 IMM-mapped points', S.imm['turned ~30 deg (3,4)']]].map(([name, sub]) => {
    const o = row(sub, 'ours', 'own detector', 'ours detects', false);
    return [name, String(o.points), f4(o.nme_mean), f4(o.nme_median), pct(o.failure_rate)];
  }));

blocks.parts = table(['part', 'NME mean', 'median', 'fail > 0.10'],
  Object.entries(S.val_parts).map(([k, v]) => [k, f4(v.nme_mean), f4(v.nme_median), pct(v.failure_rate)]));

blocks.caltechpoints = table(['Caltech point (both detect)', 'ours', 'dlib-68'],
  S.caltech['eye distance >= 30 px'].per_point.map((p) => [p.point, f4(p.ours_mean), f4(p.dlib_mean)]));

blocks.sameboxes = table(
  ['set (shared points)', 'ours, own detector', 'dlib-68, own HOG', 'ours on dlib HOG box (mapped)',
    'dlib-68 on our box (mapped)'],
  subsets.slice(0, 3).map(([name, sub]) => [name,
    f4(row(sub, 'ours', 'own detector', 'both detect', true).nme_mean),
    f4(row(sub, 'dlib-68', 'own HOG detector', 'both detect', true).nme_mean),
    f4(row(sub, 'ours', 'dlib HOG box, mapped', 'dlib detects', true).nme_mean),
    f4(row(sub, 'dlib-68', "our detector's box, mapped", 'ours detects', true).nme_mean)]));

{
  const v = S.val['all faces'];
  const pb = row(v, 'ours', 'label point box (leaks)', 'all', false);
  const own = row(v, 'ours', 'own detector', 'ours detects', false);
  blocks.pointbox = `From the label point boxes (leaks the answer; an upper bound) ours reaches val NME ` +
    `${f4(pb.nme_mean)} on the 90 points, against ${f4(own.nme_mean)} from its own detector.`;
}

{
  const dj = JSON.parse(fs.readFileSync(path.join(root, 'models', 'detector.train.json'), 'utf8'));
  const f = dj.figures;
  blocks.dettrain = `Shipped run: ${dj.bytes.toLocaleString('en-US')} bytes, seed ${dj.seed}, ${f.train_seconds} s of ` +
    `training on ${dj.threads} threads; threshold ${f.threshold.toFixed(2)}; val recall at IoU ≥ 0.5 ` +
    `${f.val_recall_iou50.toFixed(4)} (mean IoU ${f.val_mean_iou.toFixed(3)}); false positives per image ` +
    `${f.fp_per_image_train_negatives.toFixed(3)} on the training negatives, ` +
    `${f.fp_per_image_heldout_negatives.toFixed(3)} on the held-out ones.`;
  const sj = JSON.parse(fs.readFileSync(path.join(root, 'models', 'shape90.train.json'), 'utf8'));
  const vp = sj.val_proxy;
  blocks.shapetrain = `Shipped run: ${sj.model_bytes.toLocaleString('en-US')} bytes, ${sj.train_samples.toLocaleString('en-US')} ` +
    `samples from ${sj.train_faces.toLocaleString('en-US')} faces, ${Math.round(sj.training_seconds)} s of training; ` +
    `training RMS per level ${sj.level_rms[0].toFixed(4)} → ${sj.level_rms[sj.level_rms.length - 1].toFixed(4)}; ` +
    `the trainer's own val check (${vp.boxes}): NME ${vp.all.mean.toFixed(4)} (|yaw| ≥ 20°: ${vp.yaw_ge_20.mean.toFixed(4)}, ` +
    `${vp.yaw_ge_20.faces} faces).`;
}

const drow = (set, system, setting) => {
  const r = det.rows.find((x) => x.set === set && x.system === system && x.setting === setting);
  if (!r) throw new Error(`no detector row ${set} / ${system} / ${setting}`);
  return r;
};
const S40 = 'min face 40 / dlib upsample 1';
const S80 = 'min face 80 / dlib upsample 0';
const combos = [['ours', S40, 'ours (min face 40)'], ['dlib HOG', S40, 'dlib (upsample 1)'],
  ['ours', S80, 'ours (min face 80)'], ['dlib HOG', S80, 'dlib (upsample 0)']];
const detRows = [];
for (const set of ['caltech', 'dlib_examples']) {
  for (const [sys, setting, label] of combos) {
    if (set === 'dlib_examples' && setting === S80) continue;
    const c = drow(set, sys, setting).curve;
    detRows.push([set === 'caltech' ? 'Caltech' : 'dlib examples', label, f3(c.recall_at_0fp_per10),
      f3(c.recall_at_1fp_per10), f3(c.recall_at_5fp_per10), f3(c.ap), f3(c.recall_default),
      f3(c.fp_per_image_default)]);
  }
}
for (const sys of ['ours', 'dlib HOG']) {
  const a = drow('negatives', sys, S40);
  const b = drow('negatives', sys, S80);
  detRows.push(['held-out negatives (70)', sys === 'ours' ? 'ours (min face 40 / 80)' : 'dlib (upsample 1 / 0)',
    '', '', '', '', '', `${f3(a.curve.fp_per_image_default)} / ${f3(b.curve.fp_per_image_default)}`]);
}
blocks.detection = table(['set', 'system (setting)', 'R@0 FP/10 img', 'R@1', 'R@5', 'AP',
  'recall @ default', 'FP/img @ default'], detRows);

const bins = drow('caltech', 'ours', S40).recall_default_by_eye_distance;
blocks.sizes = table(['system (setting)', ...bins.map((b) => (b.to_px ? `${b.from_px}-${b.to_px} px (${b.faces})` : `≥ ${b.from_px} px (${b.faces})`))],
  combos.map(([sys, setting, label]) => [label, ...drow('caltech', sys, setting).recall_default_by_eye_distance.map((b) => f3(b.recall))]));

const ms = (x) => (x >= 100 ? `${Math.round(x).toLocaleString('en-US')} ms` : `${x.toPrecision(3)} ms`);
blocks.speed = table(['measure', 'dlib', 'ours', 'ours / dlib'],
  bench.metrics.filter((m) => m.unit === 'ms').map((m) => [m.name, ms(m.dlib), ms(m.ours),
    m.ratio_ours_over_dlib == null ? '-' : m.ratio_ours_over_dlib.toFixed(2)]));
blocks.benchinfo = `Run conditions: ${bench.rounds} rounds × ${bench.reps} repetitions, ${bench.shape_faces} shape faces, ` +
  `CPU ${bench.cpu}, load average at the end ${bench.loadavg.split(' ').slice(0, 3).join(' ')}.`;

let card = fs.readFileSync(cardPath, 'utf8');
for (const [name, text] of Object.entries(blocks)) {
  const re = new RegExp(`(<!-- card:${name} -->\\n)[\\s\\S]*?(<!-- /card:${name} -->)`);
  if (!re.test(card)) throw new Error(`marker card:${name} missing in ${cardPath}`);
  card = card.replace(re, (_, a, b) => `${a}${text}\n${b}`);
}
fs.writeFileSync(cardPath, card);
console.log(`updated ${Object.keys(blocks).length} tables in ${cardPath}`);
