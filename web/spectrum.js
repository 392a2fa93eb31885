// spectrum.js — "singular values of a random matrix".
//
// Build A = U diag(σ) Vᵀ with Haar-random U, V (QR of Gaussian matrices, in the
// worker), compute svd(A) in the worker, and plot prescribed σ against computed
// σ̂ and the error |σ̂ − σ| against n·ε. All state lives in the URL hash.

import { createState } from './lib/state.js';
import { linkNotice } from './lib/link-notice.js';
import { slider, select, numberBox, formatNumber } from './lib/controls.js';
import { teacherPanel } from './lib/teacher.js';
import { liveChart, logAxis, linearAxis, setData, PALETTE, fillTable, formatSci, dotRadius } from './lib/charts.js';
import { createStagedDrawing } from './lib/staged.js';
import { createRunner, showStatus } from './lib/compute.js';
import { createStepper } from './lib/stepper.js';

const EPS = 2 ** -52;
const NMAX = 400;
const SEED_MAX = 2 ** 31 - 2;
const FLOOR_OFF = 1e-20; // the noise-floor slider's minimum means "off"
const ERR_MIN = 1e-20; // exact zeros are drawn here (log axis)
const TINY = 1e-40;   // smallest value drawn on the singular-value axis

/** The page state, declared once (TensorFlow Playground style). */
const PROPS = [
  { name: 'm', type: 'int', default: 200, min: 2, max: NMAX },
  { name: 'n', type: 'int', default: 120, min: 2, max: NMAX },
  { name: 'shape', type: 'enum', default: 'exp', values: ['exp', 'poly'] },
  { name: 'rate', type: 'number', default: 0.4, min: 0, max: 2 },
  { name: 'power', type: 'number', default: 2, min: 0, max: 8 },
  { name: 'gapAt', type: 'int', default: 0, min: 0, max: NMAX },
  { name: 'gap', type: 'number', default: 6, min: 0, max: 16 },
  { name: 'floor', type: 'number', default: 1e-20, min: 1e-20, max: 1 },
  { name: 'seed', type: 'int', default: 1, min: 0, max: SEED_MAX },
  { name: 'rel', type: 'enum', default: 'max', values: ['max', 'own'] },
];

/** Human names of the controls, for the teacher panel. */
const NAMES = {
  m: 'rows m', n: 'columns n', shape: 'decay shape', rate: 'decay rate', power: 'decay power',
  gapAt: 'gap position', gap: 'gap size', floor: 'noise floor', seed: 'seed (and New matrix / Play)', rel: 'error relative to',
};

/**
 * The prescribed singular values σ₁ ≥ … ≥ σ_k for the state.
 *   exp:  σᵢ = e^{−rate·(i−1)}         poly: σᵢ = i^{−power}
 *   gap:  σᵢ ×= 10^{−gap} for i > gapAt (gapAt = 0: no gap)
 *   then σᵢ = max(σᵢ, floor); floor at its minimum (10⁻²⁰) means "no floor"
 */
export function prescribedSigma(v, k) {
  const s = new Float64Array(k);
  const drop = Math.pow(10, -v.gap);
  for (let i = 1; i <= k; i++) {
    let x = v.shape === 'exp' ? Math.exp(-v.rate * (i - 1)) : Math.pow(i, -v.power);
    if (v.gapAt > 0 && i > v.gapAt) x *= drop;
    s[i - 1] = v.floor > FLOOR_OFF ? Math.max(x, v.floor) : x;
  }
  return s;
}

// ------------------------------------------------------------------ numerics

/** Q·diag(sign(diag R)): makes the Q of a Gaussian matrix Haar-distributed. */
function haarFix(Q, R) {
  const m = Q.rows, k = Q.cols, d = new Float64Array(Q.data);
  for (let j = 0; j < k; j++) {
    if (R.data[j + j * R.rows] < 0) for (let i = 0; i < m; i++) d[i + j * m] = -d[i + j * m];
  }
  return { rows: m, cols: k, data: d };
}

/** U·diag(σ) (scales the columns; cheap, so done here). */
function scaleColumns(U, s) {
  const m = U.rows, d = new Float64Array(U.data.length);
  for (let j = 0; j < U.cols; j++) for (let i = 0; i < m; i++) d[i + j * m] = U.data[i + j * m] * s[j];
  return { rows: m, cols: U.cols, data: d };
}

// The orthogonal factors depend only on (m, n, seed): keep the latest pair so
// that moving a spectrum slider costs one matmul + one SVD.
let factorCache = { key: '', U: null, V: null };

async function job(v, { call, signal }) {
  const k = Math.min(v.m, v.n);
  const sigma = prescribedSigma(v, k);
  const key = `${v.m}x${v.n}@${v.seed}`;
  const t0 = performance.now();
  let { U, V } = factorCache.key === key ? factorCache : {};
  if (!U) {
    // Same seed, two independent Philox streams for U and V.
    const GU = await call('randn', [v.m, k, v.seed, { stream: 0 }]);
    const qu = await call('qr', [GU]);
    const GV = await call('randn', [v.n, k, v.seed, { stream: 1 }]);
    const qv = await call('qr', [GV]);
    U = haarFix(qu.Q, qu.R);
    V = haarFix(qv.Q, qv.R);
    if (!signal.aborted) factorCache = { key, U, V };
  }
  const A = await call('matmul', [scaleColumns(U, sigma), V, { transB: true }]);
  const res = await call('svd', [A, { vectors: false }]);
  return { sigma, computed: Float64Array.from(res.s).slice(0, k), ms: performance.now() - t0, params: { ...v } };
}

// ------------------------------------------------------------------ page

const $ = (id) => document.getElementById(id);
const statusEl = $('status');
const hook = (globalThis.__sketchlab = { renders: 0, lastResult: null });

const state = createState(PROPS, { onChange: (values, changed, info) => { syncControls(); if (info?.hiddenChanged) applyTeacher(); recompute(); } });
hook.state = state;
linkNotice(state);

// Controls --------------------------------------------------------------
const set = (name) => (x) => state.set({ [name]: x });
const controls = {
  m: slider({ name: 'm', label: 'Rows m', min: 2, max: NMAX, int: true, value: state.values.m, unit: 'rows', onInput: set('m') }),
  n: slider({ name: 'n', label: 'Columns n', min: 2, max: NMAX, int: true, value: state.values.n, unit: 'columns', onInput: set('n') }),
  shape: select({
    name: 'shape', label: 'Decay shape', value: state.values.shape,
    options: [{ value: 'exp', label: 'Exponential: σᵢ = e^(−rate·(i−1))' }, { value: 'poly', label: 'Polynomial: σᵢ = i^(−power)' }],
    onChange: set('shape'),
  }),
  rate: slider({ name: 'rate', label: 'Decay rate', min: 0, max: 2, step: 0.01, value: state.values.rate, unit: 'per index', onInput: set('rate') }),
  power: slider({ name: 'power', label: 'Decay power', min: 0, max: 8, step: 0.1, value: state.values.power, onInput: set('power') }),
  gapAt: slider({ name: 'gapAt', label: 'Gap after k', min: 0, max: NMAX, int: true, value: state.values.gapAt, help: '0 = no gap', onInput: set('gapAt') }),
  gap: slider({ name: 'gap', label: 'Gap size', min: 0, max: 16, step: 0.5, value: state.values.gap, unit: 'decades', onInput: set('gap') }),
  floor: slider({
    name: 'floor', label: 'Noise floor', min: 1e-20, max: 1, log: true, ticks: 200, value: state.values.floor,
    format: (x) => (x <= FLOOR_OFF ? 'none' : formatSci(x)), help: 'All the way left = no floor', onInput: set('floor'),
  }),
  seed: numberBox({ name: 'seed', label: 'Seed', min: 0, max: SEED_MAX, int: true, value: state.values.seed, help: 'Same seed, same matrix: share it with the class.', onChange: set('seed') }),
  rel: select({
    name: 'rel', label: 'Divide |σ̂ᵢ − σᵢ| by', value: state.values.rel,
    options: [{ value: 'max', label: 'σ₁, the largest (absolute accuracy)' }, { value: 'own', label: 'its own σᵢ (relative accuracy)' }],
    onChange: set('rel'),
  }),
};
$('ctl-size').append(controls.m.el, controls.n.el);
$('ctl-spectrum').append(controls.shape.el, controls.rate.el, controls.power.el, controls.gapAt.el, controls.gap.el, controls.floor.el);
$('ctl-random').append(controls.seed.el);
$('ctl-view').append(controls.rel.el);

function syncControls() {
  const v = state.values;
  for (const [name, c] of Object.entries(controls)) if (c.value !== v[name]) c.set(v[name]);
  // Show only the parameter of the chosen shape.
  controls.rate.el.classList.toggle('is-off', v.shape !== 'exp');
  controls.power.el.classList.toggle('is-off', v.shape !== 'poly');
  controls.rate.el.hidden = v.shape !== 'exp' || state.hidden('rate');
  controls.power.el.hidden = v.shape !== 'poly' || state.hidden('power');
}

createStepper($('stepper'), {
  labels: { step: 'New matrix' },
  titles: { step: 'New random U and V (seed + 1)', play: 'Keep drawing new random matrices', reset: 'Back to the default settings' },
  speeds: [0.5, 1, 2, 4],
  onStep: async () => {
    state.set({ seed: (state.values.seed + 1) % (SEED_MAX + 1) });
    await runner.idle();
  },
  onReset: () => state.reset(),
});

// Teacher link -----------------------------------------------------------
const teacher = teacherPanel({
  state, props: PROPS, names: NAMES, controls: () => controls, onApplied: syncControls,
  // The Step/Play buttons change the seed: hide them with it.
  afterApply: () => { $('stepper').hidden = state.hidden('seed'); },
});
function applyTeacher() { teacher.apply(); }

// Charts -----------------------------------------------------------------
const sigmaChart = liveChart($('chart-sigma'), {
  label: 'Singular values: waiting for the first computation.',
  datasets: [
    { label: 'prescribed σᵢ', borderColor: PALETTE.blue, backgroundColor: PALETTE.blue, borderWidth: 2, pointRadius: 0, pointStyle: 'line' },
    { label: 'computed σ̂ᵢ', borderColor: PALETTE.vermillion, backgroundColor: PALETTE.vermillion, showLine: false, pointRadius: dotRadius, pointStyle: 'circle' },
    { label: 'ε·σ₁', borderColor: PALETTE.grey, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, pointStyle: 'line' },
  ],
  scales: { x: linearAxis({ title: 'index i', min: 1, integer: true }), y: logAxis({ title: 'singular value', min: 1e-22, max: 10 }) },
});
const errChart = liveChart($('chart-error'), {
  label: 'Errors: waiting for the first computation.',
  datasets: [
    { label: 'error', borderColor: PALETTE.green, backgroundColor: PALETTE.green, showLine: false, pointRadius: (c) => dotRadius(c) + 0.5, pointStyle: 'rectRot' },
    { label: 'n·ε', borderColor: PALETTE.black, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, pointStyle: 'line' },
    { label: 'ε', borderColor: PALETTE.grey, borderDash: [2, 3], borderWidth: 1.5, pointRadius: 0, pointStyle: 'line' },
  ],
  scales: { x: linearAxis({ title: 'index i', min: 1, integer: true }), y: logAxis({ title: 'error', min: ERR_MIN }) },
});
hook.charts = { sigma: sigmaChart, error: errChart };

/*
 * A new result is drawn in three stages, one task each (web/lib/staged.js): Figure 1 (σ and σ̂),
 * Figure 2 (the errors), then the readout and the table (a row per singular value). Drawn at
 * once, they were one 0.2–0.45 s task on a slow laptop. A redraw of the shown result in the other
 * error units ("rel") draws at once. A newer drawing supersedes the stages still waiting.
 */
const drawing = createStagedDrawing();

/** Draw r: in stages if it is a new result, at once for a redraw. */
function render(r, { redraw = false } = {}) {
  hook.lastResult = r;
  const hash = state.hash(); // the state this drawing is for (it may change between stages)
  const stages = renderStages(r);
  if (redraw) { drawing.now(stages); rendered(hash); return; }
  drawing.inStages(stages).then((done) => { if (done) rendered(hash); });
}
hook.drawResult = render; // for the tests: what onResult does with a result

function rendered(hash) {
  hook.renders++;
  document.body.dataset.renders = String(hook.renders);
  document.body.dataset.rendered = hash;
}

function renderStages(r) {
  const v = { ...state.values }; // draw with the current "rel" even if computed earlier
  const { sigma, computed } = r;
  const k = sigma.length, n = r.params.n, s1 = Math.max(sigma[0], computed[0]);
  const own = v.rel === 'own';
  const pres = [], comp = [], err = [];
  let maxAbs = 0, lost = 0, maxOwn = 0;
  for (let i = 0; i < k; i++) {
    const e = Math.abs(computed[i] - sigma[i]);
    maxAbs = Math.max(maxAbs, e / s1);
    if (sigma[i] > 0) maxOwn = Math.max(maxOwn, e / sigma[i]);
    if (sigma[i] < EPS * s1) lost++;
    pres.push({ x: i + 1, y: sigma[i] });
    comp.push({ x: i + 1, y: Math.max(computed[i], TINY) });
    // (an underflowed σᵢ = 0 has no relative error: leave a gap)
    err.push({ x: i + 1, y: own && !(sigma[i] > 0) ? null : Math.max(e / (own ? sigma[i] : s1), ERR_MIN) });
  }
  const line = (y) => [{ x: 1, y }, { x: k, y }];
  // Log axis from a power of ten below the smallest value (≥ 10⁻⁴⁰; computed
  // exact zeros are drawn at TINY), to 10.
  let lo = 1;
  for (let i = 0; i < k; i++) lo = Math.min(lo, sigma[i], Math.max(computed[i], TINY));
  const figure1 = () => {
    sigmaChart.options.scales.y.min = Math.pow(10, Math.floor(Math.log10(Math.max(lo, TINY))));
    sigmaChart.options.scales.x.max = k;
    setData(sigmaChart, [pres, comp, line(EPS * s1)],
      `Log-scale plot of ${k} prescribed and computed singular values for a ${r.params.m} by ${n} matrix. ` +
      `${lost} prescribed values are below machine epsilon times sigma 1; the computed ones level off near ${formatSci(computed[k - 1])}.`);
  };

  const figure2 = () => {
    // The bound |σ̂ᵢ − σᵢ| ≲ n·ε·σ₁, drawn in the units of the chosen error.
    const bound = own
      ? Array.from(sigma, (x, i) => ({ x: i + 1, y: x > 0 ? Math.min(n * EPS * s1 / x, 1e300) : null }))
      : line(n * EPS);
    errChart.options.scales.x.max = k;
    errChart.data.datasets[1].label = own ? 'n·ε·σ₁/σᵢ' : 'n·ε';
    errChart.data.datasets[2].hidden = own;
    setData(errChart, [err, bound, line(EPS)],
      `Log-scale plot of the error of each computed singular value, divided by ${own ? 'its own sigma i' : 'sigma 1'}. ` +
      `Largest: ${formatSci(own ? maxOwn : maxAbs)}; n times epsilon is ${formatSci(n * EPS)}` +
      `${own ? ', and the dashed curve is n epsilon sigma 1 over sigma i' : ''}.`);
    $('err-caption').textContent = own ? '|σ̂ᵢ − σᵢ| / σᵢ' : '|σ̂ᵢ − σᵢ| / σ₁';
    $('bound-caption').textContent = own ? 'n·ε·σ₁/σᵢ' : 'n·ε';
  };

  const readoutAndTable = () => {
    const ratio = maxAbs / (n * EPS);
    $('readout').textContent =
      `${r.params.m}×${n} matrix, seed ${r.params.seed}: largest |σ̂ᵢ − σᵢ|/σ₁ = ${formatSci(maxAbs)} ` +
      `(${formatNumber(ratio, { digits: 2 })} × n·ε). ` +
      (lost ? `${lost} of ${k} prescribed values are below ε·σ₁: their computed values are rounding noise.`
        : `All ${k} prescribed values are above ε·σ₁.`) +
      ` Computed in ${Math.round(r.ms)} ms.`;

    const rows = [];
    for (let i = 0; i < k; i++) rows.push([i + 1, sigma[i], computed[i], Math.abs(computed[i] - sigma[i]) / s1, sigma[i] > 0 ? Math.abs(computed[i] - sigma[i]) / sigma[i] : '—']);
    fillTable($('table'), ['i', 'σᵢ prescribed', 'σ̂ᵢ computed', '|σ̂ᵢ−σᵢ|/σ₁', '|σ̂ᵢ−σᵢ|/σᵢ'], rows);
  };
  return [figure1, figure2, readoutAndTable];
}

const runner = createRunner({
  job,
  statusEl,
  onResult: (r) => render(r),
  onBusy: (busy) => { document.body.dataset.busy = busy ? '1' : '0'; },
});
hook.runner = runner;

let lastRequestKey = '';
function recompute() {
  const v = { ...state.values };
  // "rel" only changes the drawing: redraw the last result without computing.
  const key = JSON.stringify({ ...v, rel: undefined });
  if (key === lastRequestKey && hook.lastResult) { render(hook.lastResult, { redraw: true }); return; }
  lastRequestKey = key;
  runner.request(v);
}

applyTeacher();
if (!globalThis.Chart) showStatus(statusEl, 'Chart.js is missing: run `make web`.', 'error');
recompute();
