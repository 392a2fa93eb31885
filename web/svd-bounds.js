// svd-bounds.js — "how close are the singular vectors of a sketched SVD?".
//
// One worker call (angleExperiment) builds A = U diag(σ) Vᵀ with known U, V
// (cached per (m, n, seed) in the worker), sketches it, and returns the true
// sines and every bound; a second runner fills the budget planner (one real
// sketch per q, plus planBudget's predictions) only when its inputs change.
// All state lives in the URL hash.

import { createState } from './lib/state.js';
import { linkNotice } from './lib/link-notice.js';
import { slider, select, numberBox, formatNumber } from './lib/controls.js';
import { teacherPanel } from './lib/teacher.js';
import { liveChart, logAxis, linearAxis, setData, PALETTE, fillTable, formatSci, dotRadius } from './lib/charts.js';
import { createRunner, showStatus } from './lib/compute.js';
import { createStepper } from './lib/stepper.js';
import { createStagedDrawing } from './lib/staged.js';
import { spectrumOf } from './svd-bounds-spectrum.js';

const EPS = 2 ** -52;
const NMAX = 1000;
const SEED_MAX = 2 ** 31 - 2;
const FLOOR = 1e-17;    // values at or below are drawn here (log axis)
const QMAX_PLAN = 8;

const PROPS = [
  { name: 'm', type: 'int', default: 500, min: 20, max: NMAX },
  { name: 'n', type: 'int', default: 500, min: 20, max: NMAX },
  { name: 'shape', type: 'enum', default: 'poly', values: ['poly', 'exp'] },
  { name: 'power', type: 'number', default: 1, min: 0.1, max: 4 },
  { name: 'rate', type: 'number', default: 0.05, min: 0.001, max: 1 },
  { name: 'gap', type: 'number', default: 1, min: 1, max: 100 },
  { name: 'tail', type: 'number', default: 1e-5, min: 1e-12, max: 0.5 },
  { name: 'k', type: 'int', default: 50, min: 1, max: 500 },
  { name: 'l', type: 'int', default: 80, min: 1, max: NMAX },
  { name: 'q', type: 'int', default: 0, min: 0, max: 10 },
  { name: 'norm', type: 'enum', default: 'qr', values: ['qr', 'lu', 'cholqr2', 'none'] },
  { name: 'seed', type: 'int', default: 1, min: 0, max: SEED_MAX },
  { name: 'side', type: 'enum', default: 'left', values: ['left', 'right'] },
  { name: 'sig', type: 'enum', default: 'true', values: ['true', 'hat'] },
  { name: 'budget', type: 'int', default: 400, min: 10, max: 4000 },
];

const NAMES = {
  m: 'rows m', n: 'columns n', shape: 'decay shape', power: 'decay power', rate: 'decay rate', gap: 'gap at k',
  tail: 'flat tail', k: 'rank k', l: 'sketch size l', q: 'power iterations q', norm: 'normalizer',
  seed: 'seed (and New sketch / Play)', side: 'left/right subspace', sig: 'σ used by the bounds', budget: 'planner budget',
};

/** The effective (k, l) for min(m, n) = r: 1 <= k < r, k <= l <= r. */
function dims(v) {
  const r = Math.min(v.m, v.n);
  const k = Math.min(v.k, r - 1);
  const l = Math.min(Math.max(v.l, k), r);
  return { r, k, l };
}

// ------------------------------------------------------------------ jobs (worker)

async function job(v, { call }) {
  const { r, k, l } = dims(v);
  const t0 = performance.now();
  const res = await call('angleExperiment', [{
    m: v.m, n: v.n, seed: v.seed, spectrum: spectrumOf(v, r, k), k, l, q: v.q, normalizer: v.norm, side: v.side,
    sigma: v.sig === 'true' ? 'spectrum' : 'sketch', trials: 4,
  }]);
  return { res, roundTrip: performance.now() - t0, params: { ...v }, key: mainKey(v) };
}

let planGen = 0;
async function planJob(p, { call }) {
  const gen = p.gen;
  const v = p.v;
  const { r, k } = dims(v);
  const spectrum = spectrumOf(v, r, k);
  const stop = () => { if (gen !== planGen) throw new DOMException('superseded', 'AbortError'); };
  const t0 = performance.now();
  await runner.idle(); // Figure 1 first: the planner only uses the worker when it is free
  stop();
  const plan = await call('planBudget', [{ spectrum, k, budget: v.budget, qmax: QMAX_PLAN, trials: 3, seed: v.seed }]);
  stop();
  const measured = [];
  for (let q = 0; q <= QMAX_PLAN; q++) {
    const l = plan.l[q];
    if (!(l >= k)) continue;
    await runner.idle();
    stop();
    const b = await call('budgetExperiment', [{ m: v.m, n: v.n, seed: v.seed, spectrum, k, l, q, normalizer: v.norm, side: v.side }]);
    stop();
    measured.push({ q, l, maxSine: b.maxSine, ms: b.ms });
  }
  // planBudget predicts the LEFT sines; for the right side it is shifted by half an iteration.
  return { plan, measured, ms: performance.now() - t0, key: planKey(v) };
}

const mainKey = (v) => JSON.stringify(['m', 'n', 'shape', 'power', 'rate', 'gap', 'tail', 'k', 'l', 'q', 'norm', 'seed', 'side', 'sig'].map((x) => v[x]));
const planKey = (v) => JSON.stringify(['m', 'n', 'shape', 'power', 'rate', 'gap', 'tail', 'k', 'norm', 'seed', 'side', 'budget'].map((x) => v[x]));

// ------------------------------------------------------------------ page

const $ = (id) => document.getElementById(id);
const statusEl = $('status');
const hook = (globalThis.__sketchlab = { renders: 0, planRenders: 0, lastResult: null, lastPlan: null, timings: [], requestedAt: {} });

const state = createState(PROPS, { onChange: (values, changed, info) => { syncControls(); if (info?.hiddenChanged) applyTeacher(); recompute(); } });
hook.state = state;
linkNotice(state);

const set = (name) => (x) => state.set({ [name]: x });
const controls = {
  m: slider({ name: 'm', label: 'Rows m', min: 20, max: NMAX, int: true, value: state.values.m, onInput: set('m') }),
  n: slider({ name: 'n', label: 'Columns n', min: 20, max: NMAX, int: true, value: state.values.n, onInput: set('n') }),
  shape: select({
    name: 'shape', label: 'Decay', value: state.values.shape,
    options: [{ value: 'poly', label: 'Polynomial: σᵢ = i^(−power)' }, { value: 'exp', label: 'Exponential: σᵢ = e^(−rate·(i−1))' }],
    onChange: set('shape'),
  }),
  power: slider({ name: 'power', label: 'Decay power', min: 0.1, max: 4, step: 0.05, value: state.values.power, onInput: set('power') }),
  rate: slider({ name: 'rate', label: 'Decay rate', min: 0.001, max: 1, log: true, ticks: 300, value: state.values.rate, unit: 'per index', onInput: set('rate') }),
  gap: slider({ name: 'gap', label: 'Gap after σ_k', min: 1, max: 100, log: true, ticks: 200, value: state.values.gap, unit: '×', help: 'σᵢ is divided by this for i > k (1 = no gap)', onInput: set('gap') }),
  tail: slider({ name: 'tail', label: 'Flat tail at', min: 1e-12, max: 0.5, log: true, ticks: 240, value: state.values.tail, format: formatSci, help: 'σᵢ never drops below this', onInput: set('tail') }),
  k: slider({ name: 'k', label: 'Rank k', min: 1, max: 500, int: true, value: state.values.k, onInput: set('k') }),
  l: slider({ name: 'l', label: 'Sketch size l', min: 1, max: NMAX, int: true, value: state.values.l, help: 'l ≥ k random vectors (oversampling l − k)', onInput: set('l') }),
  q: slider({ name: 'q', label: 'Power iterations q', min: 0, max: 10, int: true, value: state.values.q, onInput: set('q') }),
  norm: select({
    name: 'norm', label: 'Normalizer between powers', value: state.values.norm,
    options: [{ value: 'qr', label: 'QR (Householder)' }, { value: 'lu', label: 'LU (scikit-learn, fbpca)' },
      { value: 'cholqr2', label: 'Cholesky QR twice' }, { value: 'none', label: 'none (plain powers)' }],
    onChange: set('norm'),
  }),
  seed: numberBox({ name: 'seed', label: 'Seed', min: 0, max: SEED_MAX, int: true, value: state.values.seed, help: 'Same seed, same matrix and sketch.', onChange: set('seed') }),
  side: select({
    name: 'side', label: 'Subspace', value: state.values.side,
    options: [{ value: 'left', label: 'left: ∠(U_k, X), t = 2q+1' }, { value: 'right', label: 'right: ∠(V_k, Y), t = 2q+2' }],
    onChange: set('side'),
  }),
  sig: select({
    name: 'sig', label: 'Bounds use', value: state.values.sig,
    options: [{ value: 'true', label: 'the true σ' }, { value: 'hat', label: 'the computed σ̂ (practical)' }],
    onChange: set('sig'),
  }),
  budget: slider({ name: 'budget', label: 'Planner budget l(2q+1)', min: 10, max: 4000, log: true, ticks: 200, int: true, value: state.values.budget, unit: 'products', onInput: set('budget') }),
};
$('ctl-size').append(controls.m.el, controls.n.el);
$('ctl-spectrum').append(controls.shape.el, controls.power.el, controls.rate.el, controls.gap.el, controls.tail.el);
$('ctl-sketch').append(controls.k.el, controls.l.el, controls.q.el, controls.norm.el, controls.seed.el);
$('ctl-view').append(controls.side.el, controls.sig.el, controls.budget.el);

function syncControls() {
  const v = state.values;
  for (const [name, c] of Object.entries(controls)) if (c.value !== v[name]) c.set(v[name]);
  const r = Math.min(v.m, v.n);
  controls.k.setLimits(1, Math.min(500, r - 1));
  controls.l.setLimits(1, r);
  controls.power.el.hidden = v.shape !== 'poly' || state.hidden('power');
  controls.rate.el.hidden = v.shape !== 'exp' || state.hidden('rate');
}

createStepper($('stepper'), {
  labels: { step: 'New sketch' },
  titles: { step: 'New random matrix and sketch (seed + 1)', play: 'Keep drawing new sketches', reset: 'Back to the default settings' },
  speeds: [0.5, 1, 2, 4],
  onStep: async () => { state.set({ seed: (state.values.seed + 1) % (SEED_MAX + 1) }); await runner.idle(); },
  onReset: () => state.reset(),
});

// Teacher link -----------------------------------------------------------
const teacher = teacherPanel({
  state, props: PROPS, names: NAMES, controls: () => controls, onApplied: syncControls,
  afterApply: () => { $('stepper').hidden = state.hidden('seed'); },
});
function applyTeacher() { teacher.apply(); }

// Charts -----------------------------------------------------------------
const clampY = (y) => (Number.isFinite(y) ? Math.max(y, FLOOR) : null);
/** Tooltip line: value and ratio to the true sine at the same i. */
function ratioLabel(ctx) {
  const y = ctx.raw?.y;
  const label = ctx.dataset.label === 'MC band' ? 'MC min' : ctx.dataset.label;
  if (y === null || y === undefined) return `${label}: not applicable`;
  const truth = hook.lastResult?.res?.sines?.[ctx.raw.x - 1];
  const v = ctx.raw.v ?? y;
  if (ctx.datasetIndex === 0 || !(truth > 0)) return `${label}: ${formatSci(v)}`;
  return `${label}: ${formatSci(v)}  (${formatNumber(v / truth, { digits: 3 })}× truth)`;
}
const anglesChart = liveChart($('chart-angles'), {
  label: 'Canonical angles: waiting for the first computation.',
  datasets: [
    { label: 'true sin θᵢ', borderColor: PALETTE.black, backgroundColor: PALETTE.black, borderWidth: 2.5, pointRadius: dotRadius, pointStyle: 'circle' },
    { label: 'MC band', borderColor: 'rgba(0,0,0,0)', backgroundColor: 'rgba(0,158,115,0.22)', pointRadius: 0, fill: '+1', pointStyle: 'rect' },
    { label: 'MC max', borderColor: 'rgba(0,0,0,0)', backgroundColor: 'rgba(0,158,115,0.22)', pointRadius: 0, fill: false, pointStyle: 'rect' },
    { label: 'Monte-Carlo estimate', borderColor: PALETTE.green, backgroundColor: PALETTE.green, borderWidth: 2, borderDash: [6, 3], pointRadius: 0, pointStyle: 'line' },
    { label: 'prior bound', borderColor: PALETTE.blue, backgroundColor: PALETTE.blue, borderWidth: 2, pointRadius: 0, pointStyle: 'line' },
    { label: 'prior (conservative)', borderColor: PALETTE.sky, backgroundColor: PALETTE.sky, borderWidth: 1.5, borderDash: [2, 3], pointRadius: 0, pointStyle: 'line' },
    { label: 'residual bound', borderColor: PALETTE.vermillion, backgroundColor: PALETTE.vermillion, borderWidth: 2, pointRadius: 0, pointStyle: 'line' },
    { label: 'subresidual bound', borderColor: PALETTE.orange, backgroundColor: PALETTE.orange, borderWidth: 2, borderDash: [8, 4], pointRadius: 0, pointStyle: 'line' },
    { label: 'rounding floor', borderColor: PALETTE.grey, borderWidth: 1, borderDash: [1, 3], pointRadius: 0, pointStyle: 'line' },
  ],
  scales: { x: linearAxis({ title: 'index i (θ₁ ≤ … ≤ θ_k)', min: 1, integer: true }), y: logAxis({ title: 'sin θᵢ', max: 1.5 }) },
  plugins: {
    legend: { position: 'top', align: 'start', labels: { boxWidth: 10, boxHeight: 10, filter: (item) => item.text !== 'MC max' } },
    tooltip: { mode: 'index', intersect: false, filter: (item) => item.dataset.label !== 'rounding floor', callbacks: { title: (items) => (items.length ? `i = ${items[0].raw.x}` : ''), label: ratioLabel } },
  },
});
const sigmaChart = liveChart($('chart-sigma'), {
  label: 'Singular values: waiting for the first computation.',
  datasets: [
    { label: 'true σᵢ', borderColor: PALETTE.blue, backgroundColor: PALETTE.blue, borderWidth: 2, pointRadius: 0, pointStyle: 'line' },
    { label: 'computed σ̂ᵢ', borderColor: PALETTE.vermillion, backgroundColor: PALETTE.vermillion, showLine: false, pointRadius: dotRadius, pointStyle: 'circle' },
    { label: 'ε^(1/(2q+1))·σ₁', borderColor: PALETTE.grey, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, pointStyle: 'line' },
    { label: 'k', borderColor: PALETTE.purple, borderDash: [2, 2], borderWidth: 1.5, pointRadius: 0, pointStyle: 'line' },
  ],
  scales: { x: linearAxis({ title: 'index i', min: 1, integer: true }), y: logAxis({ title: 'singular value' }) },
});
const planChart = liveChart($('chart-plan'), {
  label: 'Budget planner: waiting for the first computation.',
  datasets: [
    { label: 'measured sin θ_k', borderColor: PALETTE.black, backgroundColor: PALETTE.black, borderWidth: 2, pointRadius: (c) => dotRadius(c) + 1.5, pointStyle: 'circle' },
    { label: 'Monte-Carlo prediction', borderColor: PALETTE.green, backgroundColor: PALETTE.green, borderWidth: 2, borderDash: [6, 3], pointRadius: 3, pointStyle: 'triangle' },
    { label: 'prior bound', borderColor: PALETTE.blue, backgroundColor: PALETTE.blue, borderWidth: 2, pointRadius: 3, pointStyle: 'rect' },
    { label: 'your (l, q)', borderColor: PALETTE.vermillion, backgroundColor: PALETTE.vermillion, showLine: false, pointRadius: 7, pointStyle: 'star', borderWidth: 2 },
  ],
  scales: { x: linearAxis({ title: 'power iterations q (l = budget/(2q+1))', min: 0, integer: true }), y: logAxis({ title: 'largest sine', max: 1.5 }) },
  plugins: {
    tooltip: {
      callbacks: {
        label: (ctx) => `${ctx.dataset.label}: ${formatSci(ctx.raw.y)}${ctx.raw.l ? ` (l = ${ctx.raw.l})` : ''}`,
      },
    },
  },
});
hook.charts = { angles: anglesChart, sigma: sigmaChart, plan: planChart };

function pts(arr, map = (y) => y) {
  const out = new Array(arr.length);
  for (let i = 0; i < arr.length; i++) { const v = map(arr[i], i); out[i] = { x: i + 1, y: clampY(v), v }; }
  return out;
}

/*
 * A new result is drawn in three stages, one task each (web/lib/staged.js): Figure 1 (the
 * angles), Figure 2 (σ and σ̂), then the readout, the table and the planner's chart (which marks
 * this result's (l, q)). Drawn at once, the two big charts' first drawing was one 0.4–0.8 s task
 * on a slow laptop. A newer result's drawing supersedes the stages still waiting.
 */
const drawing = createStagedDrawing();

async function render(r) {
  hook.lastResult = r; // tooltips and the planner's marker refer to the result being drawn
  if (await drawing.inStages(renderStages(r))) rendered(r);
}
hook.drawResult = render; // for the tests: what onResult does with a result

function renderStages(r) {
  return [() => renderAngles(r.res), () => renderSigma(r.res), () => {
    renderReadout(r);
    if (hook.lastPlan) renderPlan(hook.lastPlan, state.values);
  }];
}

function renderAngles(res) {
  const k = res.k, truth = res.sines, sig = res.spectrum, s1 = sig[0];
  const floor = (i) => Math.min(1, 8 * EPS * s1 / sig[i]);
  const sub = res.subresidual, resid = res.residual, mc = res.monteCarlo;
  // the label and axes first, so that setData's update draws each chart once
  anglesChart.data.datasets[7].label = sub.applicable ? 'subresidual bound' : 'subresidual: not applicable';
  let lo = 1;
  for (const arr of [truth, mc.lo, res.prior.upper]) for (const x of arr) if (x > 0) lo = Math.min(lo, x);
  anglesChart.options.scales.y.min = Math.pow(10, Math.floor(Math.log10(Math.max(lo, FLOOR))));
  anglesChart.options.scales.x.max = k;
  setData(anglesChart, [
    pts(truth), pts(mc.lo), pts(mc.hi), pts(mc.mean), pts(res.prior.upper), pts(res.prior.conservative),
    pts(resid.bound), sub.applicable ? pts(sub.bound) : [], pts(truth, (_, i) => floor(i)),
  ], `Log-scale plot of the sines of ${k} canonical angles: largest true sine ${formatSci(truth[k - 1])}, ` +
    `prior bound ${formatSci(res.prior.upper[k - 1])}, Monte-Carlo estimate ${formatSci(mc.mean[k - 1])}, ` +
    `residual bound ${formatSci(resid.bound[k - 1])}, subresidual bound ${sub.applicable ? formatSci(sub.bound[k - 1]) : 'not applicable'}.`);
  $('side-caption').textContent = res.side === 'left' ? 'left subspace ∠(U_k, X), t = 2q+1' : 'right subspace ∠(V_k, Y), t = 2q+2';
}

function renderSigma(res) {
  const k = res.k, l = res.l, sig = res.spectrum, s1 = sig[0];
  const r0 = sig.length, thr = Math.pow(EPS, 1 / (2 * res.q + 1)) * s1;
  let smin = Math.min(sig[r0 - 1], ...res.sHat.filter((x) => x > 0));
  if (res.q > 0) smin = Math.min(smin, thr);
  sigmaChart.options.scales.x.max = r0;
  sigmaChart.options.scales.y.min = Math.pow(10, Math.floor(Math.log10(Math.max(smin / 2, 1e-300))));
  setData(sigmaChart, [pts(sig), pts(res.sHat), res.q > 0 ? [{ x: 1, y: thr }, { x: r0, y: thr }] : [],
    [{ x: k, y: Math.max(smin / 2, 1e-300) }, { x: k, y: s1 * 2 }]],
  `Log-scale plot of ${r0} true and ${l} computed singular values; the information-loss level for plain powers is ${formatSci(thr)}.`);
}

function renderReadout(r) {
  const { res, params: v } = r;
  const k = res.k, l = res.l, truth = res.sines;
  const sub = res.subresidual, resid = res.residual, mc = res.monteCarlo;
  const ratio = (b) => (truth[k - 1] > 0 && Number.isFinite(b) ? `${formatNumber(b / truth[k - 1], { digits: 3 })}×` : '—');
  $('readout').textContent =
    `${v.m}×${v.n}, k = ${k}, l = ${l}${l !== v.l || k !== v.k ? ' (adjusted to k ≤ l ≤ min(m, n))' : ''}, q = ${res.q}, normalizer ${res.normalizer}: ` +
    `largest true sine ${formatSci(truth[k - 1])}. At i = k the prior bound is ${ratio(res.prior.upper[k - 1])} the truth, ` +
    `the Monte-Carlo estimate ${ratio(mc.mean[k - 1])}, the residual bound ${ratio(resid.bound[k - 1])}, and the subresidual bound ` +
    (sub.applicable ? `${ratio(sub.bound[k - 1])}.` : `is not applicable (σ_k = ${formatSci(sub.conditions.sigmaK)} must exceed ‖E33‖ ≈ ${formatSci(sub.eps33)} and σ̂ₖ₊₁ = ${formatSci(sub.conditions.sHatK1)}).`) +
    ` Sketch: ${res.applications.total} products with A, Aᵀ. Computed in ${Math.round(res.ms.total)} ms in the worker ` +
    `(${Math.round(r.roundTrip)} ms round trip).` +
    (truth[k - 1] > 1.5 * res.prior.conservative[k - 1] && mc.hi[k - 1] < truth[k - 1] / 1.5
      ? ' The truth is far above the prior curves: they describe exact arithmetic, and rounding has destroyed the subspace (see the normalizer).' : '');

  const gflop = (f) => `${formatNumber(f / 1e6, { digits: 3 })} Mflop`;
  const rows = [
    ['true sines (needs U, V: demo only)', 0, gflop(2 * (res.side === 'left' ? v.m : v.n) * l * k), '1×', truth[k - 1]],
    ['prior bound (σ only)', res.prior.cost.matvecs, gflop(res.prior.cost.flops), ratio(res.prior.upper[k - 1]), res.prior.upper[k - 1]],
    ['conservative prior', 0, gflop(res.prior.cost.flops), ratio(res.prior.conservative[k - 1]), res.prior.conservative[k - 1]],
    [`Monte-Carlo estimate (${mc.trials} trials)`, mc.cost.matvecs, gflop(mc.cost.flops), ratio(mc.mean[k - 1]), mc.mean[k - 1]],
    ['residual bound', resid.cost.matvecs, gflop(resid.cost.flops), ratio(resid.bound[k - 1]), resid.bound[k - 1]],
    ['subresidual bound', sub.cost.matvecs, gflop(sub.cost.flops), sub.applicable ? ratio(sub.bound[k - 1]) : 'n/a', sub.applicable ? sub.bound[k - 1] : 'not applicable'],
    ['the sketch itself', res.applications.total, gflop(2 * v.m * v.n * res.applications.total), '', ''],
  ];
  fillTable($('table'), ['curve', 'products with A, Aᵀ', 'other work ≈', 'at i = k: / truth', 'sin θ_k'], rows);
}

/** Every stage of r is drawn. */
function rendered(r) {
  const { res, params: v } = r;
  const k = res.k, l = res.l;
  hook.renders++;
  // latency: from the control change that asked for this figure to the end of its redraw
  const latency = hook.requestedAt[r.key] !== undefined ? performance.now() - hook.requestedAt[r.key] : NaN;
  hook.timings.push({ worker: res.ms.total, roundTrip: r.roundTrip, latency, ms: res.ms, m: v.m, n: v.n, k, l, q: res.q });
  document.body.dataset.renders = String(hook.renders);
  mainRendered = r.key;
  markRendered();
}

function renderPlan(p, v) {
  const { plan, measured } = p;
  const meas = measured.map((x) => ({ x: x.q, y: clampY(x.maxSine), l: x.l }));
  const pred = [], prior = [];
  for (let q = 0; q < plan.q.length; q++) {
    if (!(plan.l[q] >= plan.k)) continue;
    pred.push({ x: q, y: clampY(plan.predicted[q]), l: plan.l[q] });
    prior.push({ x: q, y: clampY(plan.prior[q]), l: plan.l[q] });
  }
  const cur = hook.lastResult?.res;
  const mine = cur ? [{ x: cur.q, y: clampY(cur.sines[cur.k - 1]), l: cur.l }] : [];
  const best = measured.reduce((b, x) => (!b || x.maxSine < b.maxSine ? x : b), null);
  planChart.options.scales.x.max = Math.max(1, plan.q.length - 1);
  let lo = 1;
  for (const d of [meas, pred, prior]) for (const x of d) if (x.y > 0) lo = Math.min(lo, x.y);
  planChart.options.scales.y.min = Math.pow(10, Math.floor(Math.log10(Math.max(lo, FLOOR))));
  // the axes first, so that setData's update draws the chart once
  setData(planChart, [meas, pred, prior, mine],
    `Budget planner for ${v.budget} products: ${measured.length} values of q measured; best measured q = ${best ? best.q : 'none'}.`);
  $('plan-caption').textContent = best
    ? `Best measured: q = ${best.q}, l = ${best.l}; Monte-Carlo picks q = ${plan.best ? plan.best.q : '—'}, the prior bound q = ${plan.bestPrior ? plan.bestPrior.q : '—'}` +
      `${v.side === 'right' ? ' (the predictions are for the left subspace)' : ''}. ${Math.round(p.ms)} ms.`
    : `No q fits: the budget must be at least k = ${plan.k}.`;
  hook.lastPlan = p;
  hook.planRenders++;
  planRendered = p.key;
  markRendered();
}

let mainRendered = '', planRendered = '', mainBusy = false, planBusy = false;
function markRendered() {
  const v = state.values;
  document.body.dataset.busy = mainBusy || planBusy ? '1' : '0';
  if (mainRendered === mainKey(v) && planRendered === planKey(v)) document.body.dataset.rendered = state.hash();
}

const runner = createRunner({
  job, statusEl, staleAfterMs: 4000,
  onResult: (r) => render(r),
  onBusy: (busy) => { mainBusy = busy; markRendered(); },
});
const planRunner = createRunner({
  job: planJob, statusEl: $('plan-status'), staleAfterMs: 60000, lane: 'background',
  onResult: (p, params) => renderPlan(p, params.v),
  onBusy: (busy) => { planBusy = busy; if (busy) showStatus($('plan-status'), 'Planner: sketching once per q…', 'busy'); markRendered(); },
});
hook.runner = runner;
hook.planRunner = planRunner;

let lastMain = '', lastPlan = '';
function recompute() {
  const v = { ...state.values };
  const mk = mainKey(v), pk = planKey(v);
  if (mk !== lastMain) { lastMain = mk; hook.requestedAt[mk] = performance.now(); runner.request(v); }
  if (pk !== lastPlan) { lastPlan = pk; planGen++; planRunner.request({ v, gen: planGen }); }
  if (mk === mainRendered && pk === planRendered) {
    if (hook.lastPlan) renderPlan(hook.lastPlan, v);
    markRendered();
  }
}

applyTeacher();
document.body.dataset.busy = '1';
if (!globalThis.Chart) showStatus(statusEl, 'Chart.js is missing: run `make web`.', 'error');
recompute();
