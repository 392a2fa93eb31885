// sampler.js — "can you sample from a vector you never store?".
//
// Figure 1 is one query of the precision sampler, shown step by step (the
// worker's samplerQuery returns the glass-box record and ẑ, u of the answering
// repetition). Figure 2 runs many queries (samplerTrials, in chunks on its own
// worker lane, with progress and Cancel) and compares the empirical law with
// y²/‖y‖² by a pooled chi-square test, total variation and its
// multinomial-noise baseline. Figure 3 (sampler-live.js) drives the three
// settings of y = A·x live, one update at a time; Figure 4
// (sampler-compare.js) compares CountSketch, Count-Min and AMS at equal
// memory. Buttons play the lower-bound games. All state lives in the URL hash.
// Every redraw after a control change is timed in the page (lib/redraw.js,
// globalThis.__redrawTimes; reported in docs/PERFORMANCE.md).

import { createState } from './lib/state.js';
import { linkNotice } from './lib/link-notice.js';
import { slider, select, numberBox, formatNumber } from './lib/controls.js';
import { liveChart, logAxis, linearAxis, setData, PALETTE, fillTable, formatSci } from './lib/charts.js';
import { createRunner, showStatus } from './lib/compute.js';
import { createStepper } from './lib/stepper.js';
import { teacherPanel } from './lib/teacher.js';
import { createRedrawClock } from './lib/redraw.js';
import { setupLive, MAX_OPS } from './sampler-live.js';
import { setupCompare } from './sampler-compare.js';

const N = 200, D = 8, HEAVY_BINS = 20, CHUNKS = 10, SEED_MAX = 2 ** 31 - 2, LAST_STEP = 6;

const PROPS = [
  { name: 'head', type: 'int', default: 20, min: 1, max: 100 },
  { name: 'noise', type: 'number', default: 0.3, min: 0, max: 3 },
  { name: 'eps', type: 'number', default: 0.25, min: 0.01, max: 0.99 },
  { name: 'buckets', type: 'int', default: 64, min: 4, max: 4096 },
  { name: 'rows', type: 'int', default: 7, min: 1, max: 25 },
  { name: 'heavy', type: 'int', default: 8, min: 1, max: 50 },
  { name: 'reps', type: 'int', default: 1, min: 1, max: 64 },
  { name: 'rule', type: 'enum', default: 'jst', values: ['jst', 'paper'] },
  { name: 'oracle', type: 'enum', default: 'sketch', values: ['sketch', 'exact', 'race'] },
  { name: 'seed', type: 'int', default: 1, min: 0, max: SEED_MAX },
  { name: 'step', type: 'int', default: 0, min: 0, max: LAST_STEP },
  { name: 'trials', type: 'int', default: 5000, min: 100, max: 200000 },
  { name: 'ops', type: 'string', default: '', maxLength: 200, pattern: /^[axb]*$/ },
  { name: 'cmp', type: 'enum', default: 'signed', values: ['signed', 'counts'] },
];

/** y: the `head` largest entries linspace(5, 1), the rest N(0, noise²) from a fixed generator. */
export function vectorY(v) {
  let s = 12345;
  const rnd = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return (s + 0.5) / 4294967296; };
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const g = Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());
    y[i] = i < v.head ? 5 - (v.head > 1 ? (4 * i) / (v.head - 1) : 0) : v.noise * g;
  }
  return y;
}

// ------------------------------------------------------------------ statistics
function gammq(a, x) {   // regularized upper incomplete gamma Q(a, x)
  if (x <= 0) return 1;
  const gln = lgamma(a);
  if (x < a + 1) {
    let ap = a, sum = 1 / a, del = sum;
    for (let n = 0; n < 10000; n++) { ap += 1; del *= x / ap; sum += del; if (Math.abs(del) < Math.abs(sum) * 1e-15) break; }
    return 1 - sum * Math.exp(-x + a * Math.log(x) - gln);
  }
  let b = x + 1 - a, c = 1e300, d = 1 / b, h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a); b += 2;
    d = an * d + b; if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c; if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d; const del = d * c; h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return Math.exp(-x + a * Math.log(x) - gln) * h;
}
function lgamma(x) {     // Lanczos (g = 7)
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61503916999185,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Pooled categories: the 20 heaviest indices and the rest. */
function categories(y) {
  const order = [...y.keys()].sort((a, b) => y[b] * y[b] - y[a] * y[a]).slice(0, HEAVY_BINS);
  const Y2 = y.reduce((s, v) => s + v * v, 0);
  const p = order.map((i) => (y[i] * y[i]) / Y2);
  p.push(Math.max(0, 1 - p.reduce((s, v) => s + v, 0)));   // no −1e-17 for an empty rest (noise 0)
  return { order, p };
}

function compare(counts, cat) {
  const c = cat.order.map((i) => counts[i]);
  const total = counts.reduce((s, v) => s + v, 0);
  c.push(total - c.reduce((s, v) => s + v, 0));
  let chi = 0, df = -1, tv = 0, base = 0;
  let poolE = 0, poolO = 0;
  c.forEach((o, k) => {
    const e = cat.p[k] * total;
    tv += Math.abs(o / total - cat.p[k]) / 2;
    base += Math.sqrt((2 * cat.p[k] * (1 - cat.p[k])) / (Math.PI * total)) / 2;
    if (e < 5) { poolE += e; poolO += o; return; }
    chi += ((o - e) * (o - e)) / e; df++;
  });
  if (poolE > 0) { chi += ((poolO - poolE) * (poolO - poolE)) / poolE; df++; }
  return { counts: c, total, chi, df, p: df > 0 ? gammq(df / 2, chi / 2) : 1, tv, base };
}

// ------------------------------------------------------------------ page
const $ = (id) => document.getElementById(id);
const hook = (globalThis.__sketchlab = { renders: 0, lastQuery: null, lastDist: null, lastSettings: null, lastLive: null, lastCompare: null, timings: [] });
const clock = createRedrawClock();
hook.redrawTimes = clock.times;
document.body.dataset.busy = '1';

const state = createState(PROPS, { onChange: (values, changed, info) => { syncControls(); if (info?.hiddenChanged) teacher.apply(); recompute(changed); } });
hook.state = state;
linkNotice(state);
const set = (name) => (x) => state.set({ [name]: x });
const controls = {
  head: slider({ name: 'head', label: 'Large entries', min: 1, max: 100, int: true, value: state.values.head, help: 'y₀ … y_(head−1) = linspace(5, 1)', onInput: set('head') }),
  noise: slider({ name: 'noise', label: 'Noise of the rest', min: 0, max: 3, step: 0.05, value: state.values.noise, help: 'standard deviation of the other entries', onInput: set('noise') }),
  eps: slider({ name: 'eps', label: 'ε', min: 0.01, max: 0.99, step: 0.01, value: state.values.eps, help: 'peak threshold r/√ε; acceptance ≈ ε', onInput: set('eps') }),
  buckets: slider({ name: 'buckets', label: 'Buckets b', min: 4, max: 4096, log: true, ticks: 200, int: true, value: state.values.buckets, onInput: set('buckets') }),
  rows: slider({ name: 'rows', label: 'Rows R', min: 1, max: 25, int: true, value: state.values.rows, onInput: set('rows') }),
  heavy: slider({ name: 'heavy', label: 'Heavy m', min: 1, max: 50, int: true, value: state.values.heavy, help: 'removed before measuring the tail', onInput: set('heavy') }),
  reps: slider({ name: 'reps', label: 'Repetitions', min: 1, max: 64, int: true, value: state.values.reps, onInput: set('reps') }),
  rule: select({ name: 'rule', label: 'Thresholds', value: state.values.rule, onChange: set('rule'),
    options: [{ value: 'jst', label: 'JST11: √(εm)·r and r/√ε' }, { value: 'paper', label: 'seed paper: √(C ln n/ε)·r' }] }),
  oracle: select({ name: 'oracle', label: 'Oracle', value: state.values.oracle, onChange: set('oracle'),
    options: [{ value: 'sketch', label: 'CountSketch (the real thing)' }, { value: 'exact', label: 'exact z (idea only)' }, { value: 'race', label: 'exponential race (perfect)' }] }),
  seed: numberBox({ name: 'seed', label: 'Seed', min: 0, max: SEED_MAX, int: true, value: state.values.seed, help: 'the hash functions, hence every u_i', onChange: set('seed') }),
  trials: slider({ name: 'trials', label: 'Trials', min: 100, max: 200000, log: true, ticks: 200, int: true, value: state.values.trials, onInput: set('trials') }),
  cmp: select({ name: 'cmp', label: 'Stream compared', value: state.values.cmp, onChange: set('cmp'),
    options: [{ value: 'signed', label: 'y itself (signed: deletions)' }, { value: 'counts', label: '|y| (non-negative counts)' }] }),
};
$('ctl-y').append(controls.head.el, controls.noise.el);
$('ctl-sampler').append(controls.eps.el, controls.buckets.el, controls.rows.el, controls.heavy.el, controls.reps.el, controls.rule.el, controls.oracle.el, controls.seed.el);
$('ctl-trials').append(controls.trials.el);
$('ctl-compare').append(controls.cmp.el);

function syncControls() {
  const v = state.values;
  for (const [name, c] of Object.entries(controls)) if (c.value !== v[name]) c.set(v[name]);
  for (const id of ['op-a', 'op-x', 'op-b']) $(id).disabled = v.ops.length >= MAX_OPS;
}

/** Human names of what a teacher link can hide (`hide=`), for the teacher panel. */
const NAMES = {
  head: 'large entries', noise: 'noise of the rest', eps: 'ε', buckets: 'buckets b', rows: 'rows R', heavy: 'heavy m',
  reps: 'repetitions', rule: 'thresholds', oracle: 'oracle', seed: 'seed', step: 'Step / Play of the query', trials: 'trials',
  cmp: 'stream compared',
};
const teacher = teacherPanel({
  state, props: PROPS.filter((p) => p.name in NAMES), names: NAMES,
  controls: () => ({ ...controls, step: { el: $('stepper') } }),
  // Run trials / Cancel stay when only the number of trials is hidden.
  keepFieldset: (fs) => fs.contains($('run-trials')),
  onApplied: syncControls,
});

createStepper($('stepper'), {
  labels: { step: 'Step query', reset: 'Reset all' },
  titles: { step: 'Next step of this query (after the last step: a new query with seed + 1)', play: 'Keep stepping', reset: 'Back to the default settings' },
  speeds: [0.5, 1, 2, 4],
  onStep: async () => {
    const v = state.values;
    if (v.step < LAST_STEP) state.set({ step: v.step + 1 });
    else state.set({ step: 1, seed: (v.seed + 1) % (SEED_MAX + 1) });
    await queryRunner.idle();
  },
  onReset: () => state.reset(),
});

// ------------------------------------------------------------------ Figure 1: one query
const glass = liveChart($('chart-glass'), {
  label: 'Glass-box figure: waiting for the first query.',
  type: 'scatter',
  // The points may draw up to 10 px past the plot area (clip), so that the
  // largest |y|, |ẑ| and the star, which sit on its top edge, show whole.
  datasets: [
    { label: '|yᵢ| (never stored)', borderColor: PALETTE.grey, backgroundColor: PALETTE.grey, pointRadius: 2, pointStyle: 'circle', clip: 10 },
    { label: '|ẑᵢ| decoded', borderColor: PALETTE.blue, backgroundColor: PALETTE.blue, pointRadius: 2.5, pointStyle: 'circle', clip: 10 },
    { label: 'i*', borderColor: PALETTE.vermillion, backgroundColor: PALETTE.vermillion, pointRadius: 8, pointStyle: 'star', borderWidth: 2, clip: 10 },
    { label: 'r ≈ ‖y‖', borderColor: PALETTE.green, borderDash: [6, 3], borderWidth: 1.5, pointRadius: 0, showLine: true, pointStyle: 'line' },
    { label: 'peak threshold', borderColor: PALETTE.orange, borderWidth: 2, pointRadius: 0, showLine: true, pointStyle: 'line' },
  ],
  scales: { x: linearAxis({ title: 'index i', min: 0, max: N - 1, integer: true }), y: logAxis({ title: 'magnitude' }) },
});
const STEP_TEXT = [
  'The stream has left y (grey) behind; we kept only two CountSketches.',
  'Each index got u_i = hash(seed, i) ∈ (0, 1); the sketch holds z = y/√u, and decoding gives ẑ (blue).',
  'Candidate: i* = argmax |ẑ_i| (star).',
  'r ≈ ‖y‖₂ from the second, unscaled sketch (green).',
  'Tail test: remove the m largest ẑ from the sketch and measure what is left, s.',
  'Peak test: is |ẑ_i*| above the threshold (orange)?',
  'Result.',
];
// The exact oracles keep y itself (no sketch, nothing decoded): their own words for the steps that differ.
const STEP_TEXT_ORACLE = {
  sketch: STEP_TEXT,
  exact: Object.assign([...STEP_TEXT], {
    0: 'The exact oracle keeps y itself (grey): the idea without any sketch error.',
    1: 'Each index got u_i = hash(seed, i) ∈ (0, 1); z = y/√u is computed exactly (blue).',
    2: 'Candidate: i* = argmax |z_i| (star).',
    3: 'r = ‖y‖₂, exactly (green).',
    4: 'Exactly-one test: count the huge indices, those with |z_i| above the threshold.',
    5: 'Peak test: is |z_i*| above the threshold (orange)?',
  }),
  race: Object.assign([...STEP_TEXT], {
    0: 'The exponential race keeps y itself (grey).',
    1: 'Each index got u_i = hash(seed, i) ∈ (0, 1); blue shows y/√u for comparison.',
    2: 'Candidate: i* = argmax y_i²/E_i with E_i = −ln u_i (star): the answer, exactly ∝ y_i².',
    3: 'r = ‖y‖₂, exactly (green).',
    4: 'No tail test.',
    5: 'No peak test.',
  }),
};
hook.charts = { glass };
// The limits each threshold rule uses (c/include/sketchlab/stream.h, sk_l2sampler: the seed paper's C = 1).
const TAIL_RULE = { jst: '√(εm)·r', paper: '√(C ln n/ε)·r' };
const PEAK_RULE = { jst: 'r/√ε', paper: '√(C ln n/ε)·r' };

// How repetitions failed, in the oracle's own tests (l2sampler.c,
// exact_query): the sketch's tail and peak tests; the exact oracle has no tail
// test, its two failures are more than one huge index and none; the race fails
// only when y = 0. Step 7 and Figure 2 both say it this way.
function failedRepetitions(oracle, tail, threshold) {
  const n = (k) => k.toLocaleString('en');
  if (oracle === 'exact') return `${n(tail)} failed with more than one huge index and ${n(threshold)} with no huge index`;
  if (oracle === 'race') return threshold ? `${n(threshold)} failed because y = 0` : 'none failed (the race fails only when y = 0)';
  return `${n(tail)} failed the tail test and ${n(threshold)} the peak test`;
}

function renderQuery(r) {
  const { q, y, v } = r;
  const rec = q.record, step = v.step;
  const pos = (x) => (x > 0 && Number.isFinite(x) ? x : null);
  const ys = [...y].map((val, i) => ({ x: i, y: pos(Math.abs(val)) }));
  const zs = step >= 1 ? [...q.zhat].map((val, i) => ({ x: i, y: pos(Math.abs(val)) })) : [];
  const star = step >= 2 ? [{ x: rec.istar, y: pos(Math.abs(rec.zhat)) }] : [];
  const rline = step >= 3 && rec.r > 0 ? [{ x: 0, y: rec.r }, { x: N - 1, y: rec.r }] : [];
  const peak = step >= 5 && rec.peakLimit > 0 ? [{ x: 0, y: rec.peakLimit }, { x: N - 1, y: rec.peakLimit }] : [];
  // Only the sketch decodes ẑ; the exact oracles compute z = y/√u itself.
  glass.data.datasets[1].label = v.oracle === 'sketch' ? '|ẑᵢ| decoded' : '|zᵢ| = |yᵢ|/√uᵢ';
  const outcome = rec.fail === null ? `returns i = ${rec.index}, ŷ = ${formatNumber(rec.value)} (true ${formatNumber(y[rec.index])})` : `FAIL (${rec.fail})`;
  setData(glass, [ys, zs, star, rline, peak],
    `Step ${step + 1} of ${LAST_STEP + 1}, seed ${v.seed}: ${STEP_TEXT_ORACLE[v.oracle][step]} ` +
    (step >= 2 ? `Candidate i* = ${rec.istar}, |ẑ| = ${formatSci(Math.abs(rec.zhat))}. ` : '') +
    (step >= 5 ? `Peak threshold ${formatSci(rec.peakLimit)}. ` : '') + (step >= 6 ? `The query ${outcome}.` : ''));
  $('step-caption').textContent = `Step ${step + 1}/${LAST_STEP + 1}.`;
  const lines = STEP_TEXT_ORACLE[v.oracle].map((t, k) => {
    let extra = '';
    if (k === 1) extra = ` u_i* = ${formatSci(rec.u)}.`;
    if (k === 2) extra = ` i* = ${rec.istar}, |ẑ_i*| = ${formatSci(Math.abs(rec.zhat))}.`;
    if (k === 3) extra = ` r = ${formatSci(rec.r)} (true ‖y‖ = ${formatSci(Math.hypot(...y))}).`;
    if (k === 4) extra = v.oracle === 'sketch'
      ? ` s = ${formatSci(rec.s)} against ${TAIL_RULE[v.rule]} = ${formatSci(rec.tailLimit)}: ${rec.s > rec.tailLimit ? 'FAIL (tail too heavy)' : 'pass'}.`
      : v.oracle === 'exact' ? (rec.s === 0 ? ' none is huge: the peak test below fails.' : rec.s === 1 ? ' exactly one is huge: pass.' : ` ${rec.s} are huge: FAIL (more than one).`) : '';
    if (k === 5) extra = v.oracle === 'race' ? '' : ` |ẑ_i*| = ${formatSci(Math.abs(rec.zhat))} against ${PEAK_RULE[v.rule]} = ${formatSci(rec.peakLimit)}: ${rec.fail === 'threshold' ? 'FAIL (nothing above the threshold)' : rec.fail === 'tail' ? '(not reached)' : 'pass'}.`;
    if (k === 6) extra = ` Repetition ${rec.rep + 1} of ${v.reps} ${outcome}; ${rec.tried} tried: ${failedRepetitions(v.oracle, rec.failsTail, rec.failsThreshold)}.`;
    return `<li${k === step ? ' aria-current="step" class="is-current"' : ''}${k > step ? ' class="is-future"' : ''}>${t}${k <= step ? extra : ''}</li>`;
  });
  $('steps').innerHTML = lines.join('');
  // The figure's numbers; ẑ only from the step that reveals it, as in the figure.
  fillTable($('glass-table'), ['index i', 'yᵢ (never stored)', `|ẑᵢ| ${v.oracle === 'sketch' ? 'decoded' : '= |yᵢ|/√uᵢ'}`, 'i*'],
    [...y].map((val, i) => [String(i), formatNumber(val, { digits: 4 }), step >= 1 ? formatNumber(Math.abs(q.zhat[i]), { digits: 4 }) : '—', step >= 2 && i === rec.istar ? 'i*' : '']));
  $('readout').textContent = `State: ${q.bytes.toLocaleString('en')} bytes (${(8 * q.bytes).toLocaleString('en')} bits) for n = ${N}` +
    `${v.oracle === 'sketch' ? ` — ${v.reps} × 2 sketches of ${v.rows} × ${v.buckets} counters` : ' — the exact oracles store y itself'}.`;
}

async function queryJob(v, { call }) {
  const t0 = performance.now();
  const y = vectorY(v);
  const q = await call('samplerQuery', [y, { eps: v.eps, buckets: v.buckets, rows: v.rows, heavy: v.heavy, repetitions: v.reps, thresholds: v.rule, oracle: v.oracle, seed: v.seed }]);
  return { q, y, v: { ...v }, ms: performance.now() - t0, hash: location.hash.slice(1) };
}

const queryRunner = createRunner({
  job: queryJob, statusEl: $('status'),
  onBusy: (b) => { document.body.dataset.busy = b ? '1' : '0'; },
  onResult: (r, params, info) => {
    renderQuery(r);
    hook.lastQuery = r;
    hook.renders++;
    hook.timings.push(r.ms);
    document.body.dataset.rendered = r.hash;
    if (!info.stale) clock.drawn('glass', params._stamp);
  },
});

// ------------------------------------------------------------------ Figure 2: many queries
const dist = liveChart($('chart-dist'), {
  label: 'Empirical against target distribution: run the trials to fill it.',
  datasets: [
    { label: 'target yᵢ²/‖y‖²', borderColor: PALETTE.black, backgroundColor: PALETTE.black, borderWidth: 2, pointRadius: 3, pointStyle: 'rect' },
    { label: 'empirical (±2 sd noise band)', borderColor: PALETTE.vermillion, backgroundColor: PALETTE.vermillion, showLine: false, pointRadius: 4, pointStyle: 'circle' },
    { label: 'noise band', borderColor: 'rgba(0,0,0,0)', backgroundColor: 'rgba(213,94,0,0.15)', pointRadius: 0, fill: '+1', pointStyle: 'rect' },
    { label: 'noise band top', borderColor: 'rgba(0,0,0,0)', pointRadius: 0, fill: false },
  ],
  scales: { x: linearAxis({ title: 'rank of yᵢ² (21 = all the rest, pooled)', min: 1, max: HEAVY_BINS + 1, integer: true }), y: logAxis({ title: 'probability' }) },
  plugins: { legend: { labels: { filter: (item) => !item.text.startsWith('noise band top') } } },
});
hook.charts.dist = dist;

let distController = null;
async function distJob(v, { call, signal }) {
  const y = vectorY(v);
  const counts = new Float64Array(N);
  let accepted = 0, trials = 0, failTail = 0, failThreshold = 0;
  // A small first chunk (1/40 of the run) so the chart redraws quickly after a control change, then CHUNKS − 1 equal ones.
  const first = Math.min(v.trials, Math.max(50, Math.ceil(v.trials / 40)));
  const per = Math.ceil((v.trials - first) / (CHUNKS - 1));
  const t0 = performance.now();
  for (let c = 0; c < CHUNKS && trials < v.trials; c++) {
    if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
    const n = Math.min(c === 0 ? first : per, v.trials - trials);
    const r = await call('samplerTrials', [y, { trials: n, eps: v.eps, buckets: v.buckets, rows: v.rows, heavy: v.heavy, repetitions: v.reps, thresholds: v.rule, oracle: v.oracle, seed: 1_000_000 + v.seed * 1000 + trials }]);
    for (let i = 0; i < N; i++) counts[i] += r.counts[i];
    accepted += r.accepted; trials += n; failTail += r.failTail; failThreshold += r.failThreshold;
    showStatus($('dist-status'), `Running trials: ${trials.toLocaleString('en')} of ${v.trials.toLocaleString('en')}…`, 'busy');
    if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
    // incremental drawing: the chart fills chunk by chunk, so a control change shows within one chunk
    renderDist({ counts, accepted, trials, failTail, failThreshold, y, v, ms: performance.now() - t0, partial: trials < v.trials });
    if (c === 0) clock.drawn('dist-first', v._stamp);
  }
  return { counts, accepted, trials, failTail, failThreshold, y, v: { ...v }, ms: performance.now() - t0 };
}

function renderDist(r) {
  const cat = categories(r.y);
  const cmp = compare([...r.counts], cat);
  const band = (k, s) => Math.max(1e-6, cat.p[k] + s * 2 * Math.sqrt(cat.p[k] * (1 - cat.p[k]) / Math.max(1, cmp.total)));
  setData(dist, [
    cat.p.map((p, k) => ({ x: k + 1, y: Math.max(p, 1e-6) })),
    cmp.counts.map((c, k) => ({ x: k + 1, y: cmp.total ? Math.max(c / cmp.total, 1e-6) : null })),
    cat.p.map((_, k) => ({ x: k + 1, y: band(k, -1) })),
    cat.p.map((_, k) => ({ x: k + 1, y: band(k, +1) })),
  ], `Empirical law of ${cmp.total} accepted samples against the target: chi-square p = ${formatSci(cmp.p)}, TV ${formatSci(cmp.tv)} (noise baseline ${formatSci(cmp.base)}).`);
  const verdict = cmp.total < 50 ? 'too few accepted samples to judge'
    : cmp.p < 1e-3 ? 'the deviation is more than sampling noise (p < 10⁻³)' : 'indistinguishable from the target at this sample size';
  // The failures are counted per repetition: with several, a query that is accepted may have failed before.
  const reps = r.accepted + r.failTail + r.failThreshold;
  $('dist-readout').textContent = `${r.accepted.toLocaleString('en')} of ${r.trials.toLocaleString('en')} queries accepted ` +
    `(${formatNumber((100 * r.accepted) / r.trials, { digits: 3 })}%); of their ${reps.toLocaleString('en')} repetitions, ` +
    `${failedRepetitions(r.v.oracle, r.failTail, r.failThreshold)}. ` +
    `Chi-square p = ${formatSci(cmp.p)} (df ${cmp.df}); TV = ${formatSci(cmp.tv)} against ≈ ${formatSci(cmp.base)} from multinomial noise alone: ${verdict}.`;
  fillTable($('dist-table'), ['rank of yᵢ²', 'index i', 'target yᵢ²/‖y‖²', 'empirical', 'count'],
    cat.p.map((p, k) => [String(k + 1), k < HEAVY_BINS ? String(cat.order[k]) : 'the rest', formatNumber(p, { digits: 4 }),
      cmp.total ? formatNumber(cmp.counts[k] / cmp.total, { digits: 4 }) : '—', cmp.counts[k].toLocaleString('en')]));
  shownDist = r;
  captionDist();
}

// The Trials slider sets the size of the next run (it recomputes nothing): the caption says when it differs from the figure's.
let shownDist = null;
function captionDist() {
  const r = shownDist;
  if (!r) return;
  const want = state.values.trials;
  $('dist-caption').textContent = r.cancelled ? `Cancelled after ${r.trials.toLocaleString('en')} of ${r.v.trials.toLocaleString('en')} trials: the figure shows those.`
    : r.partial ? `${r.trials.toLocaleString('en')} of ${r.v.trials.toLocaleString('en')} trials so far…`
    : `${r.trials.toLocaleString('en')} trials in ${formatNumber(r.ms / 1000, { digits: 2 })} s.` +
      (want !== r.trials ? ` Press Run trials for ${want.toLocaleString('en')}.` : '');
}

const distRunner = createRunner({
  job: distJob, statusEl: $('dist-status'), lane: 'trials', staleAfterMs: 50,
  onBusy: (b) => { $('cancel-trials').disabled = !b; $('run-trials').disabled = b; },
  onResult: (r, params, info) => { renderDist(r); hook.lastDist = r; showStatus($('dist-status'), '', 'ok'); if (!info.stale) clock.drawn('dist', params._stamp); },
});
$('run-trials').addEventListener('click', () => distRunner.request({ ...state.values, _stamp: clock.mark(['run-trials'], ['dist-first', 'dist']) }));
$('cancel-trials').addEventListener('click', () => {
  distRunner.cancel();
  showStatus($('dist-status'), 'Cancelled.', 'ok');
  if (shownDist?.partial) { shownDist.cancelled = true; captionDist(); }
});

// ------------------------------------------------------------------ settings table and the game
// The whole-stream table sits in a closed <details>: computed only while it is open.
const settingsBox = $('settings-table').closest('details');
let settingsStale = true;
const settingsRunner = createRunner({
  job: (v, { call }) => call('attentionSettings', [{ n: N, d: D, eps: v.eps, buckets: v.buckets, rows: v.rows, heavy: v.heavy, repetitions: v.reps, thresholds: v.rule, seed: v.seed }]),
  statusEl: $('status'), lane: 'aux',
  onResult: (s, params, info) => {
    hook.lastSettings = s;
    settingsStale = false;
    if (!info.stale) clock.drawn('settings', params._stamp);
    const row = (name, what, r) => [name, what, r.words.toLocaleString('en'), r.bits.toLocaleString('en'),
      r.perUpdateA ?? '—', r.perUpdateX ?? '—', r.index < 0 ? 'FAIL' : String(r.index)];
    fillTable($('settings-table'), ['setting', 'state kept', 'words', 'bits', 'counters per A-update', 'per x-update', 'sampled i'], [
      row('(1) A updates, x fixed', 'x, Φy, Ψy', s.A), row('(2) x updates, A fixed', 'ΦA, ΨA, x', s.x), row('(3) both', 'ΦA, ΨA, x', s.both),
      ['1-D sampler fed y = A·x', 'Φy, Ψy', '', '', '', '', s.reference < 0 ? 'FAIL' : String(s.reference)],
    ]);
  },
});

// The games are played on demand with the page's seed; a new seed clears their results (they belong to the
// old one) and makes a game still running stop adding rows (gameRound changes).
let gameRound = 0;
function clearGames() {
  gameRound++;
  $('disj-table').replaceChildren();
  showStatus($('disj-status'), '', 'ok');
  $('l62-readout').textContent = '';
  hook.lastL62 = undefined;
}

$('play-disj').addEventListener('click', async () => {
  const btn = $('play-disj');
  btn.disabled = true;
  const round = gameRound, seed = state.values.seed;
  showStatus($('disj-status'), `Playing with seed ${seed}…`, 'busy');
  try {
    const { getClient } = await import('./lib/compute.js');
    const client = await getClient('aux');
    const rows = [];
    for (const b of [0, 64, 256, 1024, 4096]) {
      const g = await client.call('disjointnessGame', [{ n: 1000, k: 100, buckets: b, rows: 5, hash: 'fast', trials: 200, seed }]);
      if (round !== gameRound) return;
      rows.push([b === 0 ? 'exact (her set as n bits)' : `CountSketch b = ${b}, R = 5`, g.messageBits.toLocaleString('en'), formatNumber(g.rate, { digits: 3 })]);
      fillTable($('disj-table'), ['Alice’s state', 'message bits', 'Bob finds the common element'], rows);
    }
    showStatus($('disj-status'), `200 rounds per width, played with seed ${seed}.`, 'ok');
  } catch (e) {
    showStatus($('disj-status'), e.message, 'error');
  } finally { btn.disabled = false; }
});

$('play-l62').addEventListener('click', async () => {
  const btn = $('play-l62');
  btn.disabled = true;
  try {
    const { getClient } = await import('./lib/compute.js');
    const client = await getClient('aux');
    const round = gameRound, seed = state.values.seed;
    let st = (seed * 2654435761) >>> 0 || 1;
    const v = Array.from({ length: 64 }, () => { st = (Math.imul(st, 1664525) + 1013904223) >>> 0; return st >>> 31; });
    let read = '', right = 0, bits = 0;
    for (let i = 0; i < 16; i++) {
      const g = await client.call('lemma62Game', [{ v, i, seed: seed * 100 + i }]);
      if (round !== gameRound) return;
      bits = g.messageBits;
      read += g.bit === null ? '?' : String(g.bit);
      if (g.bit === v[i]) right++;
    }
    $('l62-readout').textContent = `Alice’s first 16 bits ${v.slice(0, 16).join('')}; Bob read ${read} ` +
      `(${right} of 16 right, ? = every repetition failed). Message: ${bits.toLocaleString('en')} bits for d = 64. Played with seed ${seed}.`;
    hook.lastL62 = { v: v.slice(0, 16), read, right, bits };
  } catch (e) {
    $('l62-readout').textContent = e.message;
  } finally { btn.disabled = false; }
});

const live = setupLive({ state, hook, clock, n: N, d: D, $ });
const comparison = setupCompare({ hook, clock, $, vectorY });

// Which figure depends on which setting: a change recomputes only those.
const DEPS = {
  glass: { runner: queryRunner, on: ['head', 'noise', 'eps', 'buckets', 'rows', 'heavy', 'reps', 'rule', 'oracle', 'seed', 'step'] },
  settings: { runner: settingsRunner, on: ['eps', 'buckets', 'rows', 'heavy', 'reps', 'rule', 'seed'], when: () => settingsBox.open },
  // seed: the trials' seeds derive from it, so the figure is the link's (a reload draws the same counts)
  'dist-first': { runner: distRunner, on: ['head', 'noise', 'eps', 'buckets', 'rows', 'heavy', 'reps', 'rule', 'oracle', 'seed'] },
  live: { runner: live.runner, on: ['eps', 'buckets', 'rows', 'heavy', 'reps', 'rule', 'seed', 'ops'] },
  compare: { runner: comparison.runner, on: ['head', 'noise', 'rows', 'seed', 'cmp'] },
};
function recompute(changed) {
  if (changed?.has('trials')) captionDist();
  if (changed?.has('seed')) clearGames();
  const keys = changed ? [...changed] : ['load'];
  const hit = Object.keys(DEPS).filter((f) => !changed || DEPS[f].on.some((k) => changed.has(k)));
  if (hit.includes('settings')) settingsStale = true;
  const figs = hit.filter((f) => DEPS[f].when?.() ?? true);
  if (figs.includes('dist-first')) figs.push('dist');
  if (figs.includes('compare')) figs.push('compare-first');
  const stamp = clock.mark(keys, figs);
  const v = { ...state.values, _stamp: stamp };
  for (const f of figs) DEPS[f]?.runner.request(v);
}
teacher.apply();
settingsBox.addEventListener('toggle', () => {
  if (settingsBox.open && settingsStale) settingsRunner.request({ ...state.values, _stamp: clock.mark(['open the table'], ['settings']) });
});
recompute();
