// softmax.js — "how few rows of the Hessian does Newton need?".
//
// One worker job per problem setting: build the problem (softmaxProblem), solve
// it to full precision for x* and run the five methods for TMAX iterations each
// (tol 0, so every curve has a point at every t unless the method stops for a
// reason the readout names), side by side. The derivative check is one more
// worker call that does not hold up the figures. Step / Play / Reset move the
// shown iteration t (in the URL hash) and only redraw: the iterations were
// computed once.
// All state lives in the URL hash. Every control change is timed in the page
// (lib/redraw.js, globalThis.__redrawTimes; reported in docs/PERFORMANCE.md):
// figures 'charts' (Figures 1–3 and the readout, redrawn together) and 'fd'
// (the derivative-check table), with the worker jobs' time and the main
// thread's drawing as segments.

import { createState } from './lib/state.js';
import { linkNotice } from './lib/link-notice.js';
import { slider, select, numberBox, checkbox, formatNumber } from './lib/controls.js';
import { teacherPanel } from './lib/teacher.js';
import { liveChart, logAxis, linearAxis, setData, PALETTE, fillTable, formatSci, dotRadius } from './lib/charts.js';
import { createStagedDrawing } from './lib/staged.js';
import { createRunner, showStatus, getClient, describeError } from './lib/compute.js';
import { createStepper } from './lib/stepper.js';
import { createRedrawClock } from './lib/redraw.js';

const TMAX = 40;
const FLOOR = 1e-16;
const SEED_MAX = 2 ** 31 - 2;
const FD_H = 1e-5;

const PROPS = [
  { name: 'problem', type: 'enum', default: 'T2', values: ['T1', 'T2', 'T3', 'T4'] },
  { name: 'n', type: 'int', default: 2000, min: 8, max: 20000 },
  { name: 'd', type: 'int', default: 12, min: 2, max: 64 },
  { name: 'coh', type: 'number', default: 300, min: 1, max: 1000 },
  { name: 'w2', type: 'number', default: 1.5, min: 0.1, max: 1000 },
  { name: 'w', type: 'number', default: 0.01, min: 0.001, max: 10 },
  { name: 'eps', type: 'number', default: 0.5, min: 0.1, max: 0.9 },
  { name: 'seed', type: 'int', default: 2, min: 0, max: SEED_MAX },
  { name: 'safe', type: 'bool', default: true },
  { name: 'thesis', type: 'bool', default: false },
  { name: 't', type: 'int', default: 12, min: 0, max: TMAX },
];

const NAMES = {
  problem: 'test problem', n: 'rows n', d: 'columns d', coh: 'coherence (T2)', w2: 'w² (T3)', w: 'w (T4)',
  eps: 'sampling accuracy ε', seed: 'seed', safe: 'safeguard', thesis: 'thesis as printed', t: 'iteration t (and Step / Play)',
};

/** The five methods: label, colour, and the options for the current state. */
const METHODS = [
  { key: 'newton', label: 'exact Newton', color: PALETTE.black, dash: [],
    opts: (v) => ({ method: 'newton', safeguard: v.safe && !v.thesis, printedSign: v.thesis }) },
  { key: 'lev', label: 'sampled Newton, leverage', color: PALETTE.vermillion, dash: [],
    opts: (v) => ({ method: 'sampled', leverage: 'exact', eps: v.eps, safeguard: v.safe && !v.thesis, rankTwo: !v.thesis, printedSign: v.thesis }) },
  { key: 'uni', label: 'sampled Newton, uniform', color: PALETTE.blue, dash: [6, 3],
    opts: (v) => ({ method: 'sampled', leverage: 'uniform', eps: v.eps, safeguard: v.safe && !v.thesis, rankTwo: !v.thesis, printedSign: v.thesis }) },
  { key: 'frozen', label: 'frozen Hessian AᵀW²A', color: PALETTE.green, dash: [2, 3],
    opts: (v) => ({ method: 'frozen', safeguard: v.safe }) },
  { key: 'gd', label: 'gradient descent', color: PALETTE.orange, dash: [8, 4],
    opts: () => ({ method: 'gd' }) },
];
const REASON_TEXT = {
  converged: 'converged', maxIter: 'ran to the cap', nonDescent: 'stopped: the loss went up',
  dNotPositive: 'refused: D = B_diag + W² has entries ≤ 0, SUBSAMPLE does not apply', diverged: 'stopped: the iterate overflowed',
};

function paramOf(v) {
  return v.problem === 'T2' ? v.coh : v.problem === 'T3' ? v.w2 : v.problem === 'T4' ? v.w : 0;
}
/** T1–T3 need n >= d; the page enforces it by raising n. */
const sizes = (v) => ({ n: Math.max(v.n, v.d), d: v.d });
const jobKey = (v) => JSON.stringify(['problem', 'n', 'd', 'eps', 'seed', 'safe', 'thesis'].map((x) => v[x]).concat(paramOf(v)));

// ------------------------------------------------------------------ job (worker)

/*
 * Results that do not depend on every control are kept: the problem, x* and the regime
 * check per problem (problem, n, d, seed, parameter), and each method's run per its
 * options, so that changing ε recomputes only the two sampled runs and the safeguard
 * only the methods that use it. A is kept resident in both workers (client.keep): it
 * is sent to each once, not with each of the eight calls that use it.
 *
 * The derivative check (the table under the figures) is not on the figures' path: it
 * is one worker call (softmaxFiniteDifferences: all 2d+1 evaluations in wasm), queued
 * on the aux lane after the runs, and drawn when it arrives, after the charts.
 */
const cache = { problem: null, runs: new Map() };
const problemKey = (v) => JSON.stringify([v.problem, sizes(v), v.seed, paramOf(v)]);
/** The derivative check of the current problem: { key, P, fdc, error, segments }; fdc null while it runs. */
let derivative = { key: '' };

/**
 * The problem of key pk: { key, P, A, base }, A resident in the figure's and the aux worker
 * (A[0], A[1]), base = { ref, regime } once computed. A new problem frees the old one's copies
 * and forgets its runs.
 */
async function problemFor(v, pk, call, main, aux) {
  if (cache.problem?.key === pk) return cache.problem;
  if (cache.problem) { main.release(cache.problem.A[0]); aux.release(cache.problem.A[1]); }
  cache.problem = null;
  cache.runs.clear();
  const { n, d } = sizes(v);
  const P = await call('softmaxProblem', [v.problem, { n, d, seed: v.seed, param: paramOf(v) }]);
  cache.problem = { key: pk, P, A: [main.keep(P.A), aux.keep(P.A)], base: null };
  return cache.problem;
}

async function job(v, { call, signal, client }) {
  const t0 = performance.now();
  // A second worker ('aux' lane) beside the figure's: independent calls are split between
  // the two, so on two cores an ε change (two sampled runs) takes one run's time.
  const aux = await getClient('aux');
  const callAux = (name, args) => (signal.aborted
    ? Promise.reject(new DOMException('cancelled', 'AbortError')) : aux.call(name, args, { signal }));
  const lanes = [call, callAux];
  const pk = problemKey(v);
  const segments = {};
  const fresh = cache.problem?.key !== pk;
  const prob = await problemFor(v, pk, call, client, aux);
  if (fresh) segments.problem = performance.now() - t0;
  const { P, A } = prob;
  // x* and the regime check go first on their lanes; the runs do not wait for them
  const baseP = prob.base ? null : Promise.all([
    call('softmaxRegression', [A[0], P.b, P.w, { x0: P.x0, safeguard: true, tol: 1e-15, maxIter: 300 }]),
    callAux('softmaxRegime', [A[1], P.b, P.w]),
  ]).then(([ref, regime]) => ({ ref, regime }));
  if (cache.runs.size > 40) cache.runs.clear();
  const runs = {}, todo = [];
  let next = 0;
  for (const m of METHODS) {
    const opts = { ...m.opts(v), x0: P.x0, tol: 0, maxIter: TMAX, seed: v.seed, iterates: true, samples: m.key === 'lev' || m.key === 'uni' };
    const k = pk + JSON.stringify(opts, (key, x) => (key === 'x0' ? undefined : x));
    if (cache.runs.has(k)) { runs[m.key] = cache.runs.get(k); continue; }
    const lane = next++ % 2;
    todo.push(lanes[lane]('softmaxRegression', [A[lane], P.b, P.w, opts]).then((r) => { cache.runs.set(k, r); runs[m.key] = r; }));
  }
  if (derivative.key !== pk) startDerivativeCheck(pk, P, A[1], aux);
  if (baseP) [prob.base] = await Promise.all([baseP, ...todo]);
  else await Promise.all(todo);
  return { P, ...prob.base, runs, ms: performance.now() - t0, segments, key: jobKey(v), pk, params: { ...v } };
}

/**
 * Derivative check of the softmax part L_exp (w = 0, as spec §12: with w² >= 100 the regulariser would hide
 * any error in B) at x0: our gradient/Hessian and central differences of the loss and the gradient, one call
 * on the aux lane (queued behind the runs, so the figures come first). Not cancelled by a newer request: it
 * is one gradient pass per difference, small next to the runs, and a killed worker would cost a restart.
 */
function startDerivativeCheck(pk, P, Aaux, aux) {
  const t0 = performance.now();
  const mine = (derivative = { key: pk, P, fdc: null, error: null });
  aux.call('softmaxFiniteDifferences', [Aaux, P.b, new Float64Array(P.A.rows), P.x0, { h: FD_H }]).then((fd) => {
    const t1 = performance.now();
    mine.fdc = derivativeCheck(P, fd); // the thesis's formulas, on this thread
    mine.segments = { worker: t1 - t0, check: performance.now() - t1 };
  }).catch((err) => { mine.error = err; }).finally(() => { if (derivative === mine) derivativeArrived(); });
}

// ------------------------------------------------------------------ the thesis's printed formulas (teaching only)

/**
 * The gradient of Algorithm 1 line 7 and B(x) of Sec. 2.2.1 as printed in the thesis, for the softmax part
 * L_exp = ½‖softmax(Ax) − b‖² (w = 0), to show that they fail the derivative check (spec §0, §3–§4).
 * The library has only the corrected formulas.
 *   g_thesis = Aᵀ(f⟨c,f⟩ + f∘c),   H_thesis = Aᵀ B_thesis A,
 *   B_thesis = ⟨3f−2b,f⟩ffᵀ + ⟨f−b,f⟩diag(f) + diag((2f−b)∘f) + (b∘f)fᵀ + f(b∘f)ᵀ
 */
function thesisFormulas(P, x) {
  const { rows: n, cols: d, data: A } = P.A;
  const z = new Float64Array(n);
  for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) z[i] += A[i + j * n] * x[j];
  let zmax = -Infinity;
  for (const v of z) zmax = Math.max(zmax, v);
  const f = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) { f[i] = Math.exp(z[i] - zmax); s += f[i]; }
  let kap = 0, gam = 0;
  for (let i = 0; i < n; i++) { f[i] /= s; kap += (f[i] - P.b[i]) * f[i]; gam += (3 * f[i] - 2 * P.b[i]) * f[i]; }
  const r = new Float64Array(n), diag = new Float64Array(n), bf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    r[i] = f[i] * kap + f[i] * (f[i] - P.b[i]);
    diag[i] = kap * f[i] + (2 * f[i] - P.b[i]) * f[i];
    bf[i] = P.b[i] * f[i];
  }
  const g = new Float64Array(d), u = new Float64Array(d), q = new Float64Array(d), H = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) { const a = A[i + j * n]; g[j] += a * r[i]; u[j] += a * f[i]; q[j] += a * bf[i]; }
  }
  for (let j = 0; j < d; j++) {
    for (let k = 0; k <= j; k++) {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += A[i + j * n] * diag[i] * A[i + k * n];
      const v = acc + gam * u[j] * u[k] + q[j] * u[k] + u[j] * q[k];
      H[j + k * d] = v; H[k + j * d] = v;
    }
  }
  return { g, H };
}

/** max |X − Y| / max |Y|. */
function relErr(X, Y) {
  let e = 0, s = 0;
  for (let i = 0; i < X.length; i++) { e = Math.max(e, Math.abs(X[i] - Y[i])); s = Math.max(s, Math.abs(Y[i])); }
  return e / Math.max(s, 1e-300);
}

/** The page's table: relative errors of ours and the thesis's formulas against the central differences. */
function derivativeCheck(P, fd) {
  const d = P.A.cols;
  const HFD = Float64Array.from(fd.hessianFD.data);
  for (let j = 0; j < d; j++) for (let i = 0; i < j; i++) { const m = 0.5 * (HFD[i + j * d] + HFD[j + i * d]); HFD[i + j * d] = m; HFD[j + i * d] = m; }
  const th = thesisFormulas(P, P.x0);
  return {
    gOurs: relErr(fd.gradient, fd.gradientFD), gThesis: relErr(th.g, fd.gradientFD),
    HOurs: relErr(fd.hessian.data, HFD), HThesis: relErr(th.H, HFD),
  };
}

// ------------------------------------------------------------------ page

const $ = (id) => document.getElementById(id);
const statusEl = $('status');
const hook = (globalThis.__sketchlab = { renders: 0, lastResult: null });
const clock = createRedrawClock();
hook.redrawTimes = clock.times;
// The latest control change: whatever draws the current state answers it (an older
// change that was superseded before its charts appeared records nothing). Figures:
// 'charts' (Figures 1–3, the readout and the summary table, drawn together) and 'fd'
// (the derivative-check table, drawn with them or, for a new problem, when its check
// arrives: never before the charts).
const FIGURES = ['charts', 'fd'];
let latestStamp = null;

const state = createState(PROPS, { onChange: (values, changed, info) => { latestStamp = clock.mark([...changed], FIGURES); syncControls(); if (info?.hiddenChanged) applyTeacher(); recompute(); } });
hook.state = state;
linkNotice(state);

const set = (name) => (x) => state.set({ [name]: x });
const controls = {
  problem: select({
    name: 'problem', label: 'Test problem', value: state.values.problem,
    options: [
      { value: 'T1', label: 'T1: theorem regime, well conditioned' },
      { value: 'T2', label: 'T2: theorem regime, coherent, κ(A) = 100' },
      { value: 'T3', label: 'T3: outside the theorem, convex (spec: n = 8, d = 3)' },
      { value: 'T4', label: 'T4: outside any guarantee, w = 0.01' },
    ],
    onChange: set('problem'),
  }),
  n: slider({ name: 'n', label: 'Rows n', min: 8, max: 20000, log: true, ticks: 300, int: true, value: state.values.n, onInput: set('n') }),
  d: slider({ name: 'd', label: 'Columns d', min: 2, max: 64, int: true, value: state.values.d, onInput: set('d') }),
  coh: slider({ name: 'coh', label: 'Coherence', min: 1, max: 1000, log: true, ticks: 200, value: state.values.coh, unit: '×',
    help: 'the first d rows of the Gaussian behind A are scaled by this: they carry the leverage', onInput: set('coh') }),
  w2: slider({ name: 'w2', label: 'Weight w²', min: 0.1, max: 1000, log: true, ticks: 200, value: state.values.w2,
    help: 'w² ≥ 100 + l/σ²_min is the theorem regime', onInput: set('w2') }),
  w: slider({ name: 'w', label: 'Weight w', min: 0.001, max: 10, log: true, ticks: 200, value: state.values.w, format: formatSci, onInput: set('w') }),
  seed: numberBox({ name: 'seed', label: 'Seed', min: 0, max: SEED_MAX, int: true, value: state.values.seed, help: 'Same seed, same problem and samples.', onChange: set('seed') }),
  eps: slider({ name: 'eps', label: 'Accuracy ε', min: 0.1, max: 0.9, step: 0.05, value: state.values.eps,
    help: 's = ⌈d·ln(d/δ)/ε²⌉ draws, δ = 0.01', onInput: set('eps') }),
  safe: checkbox({ name: 'safe', label: 'Safeguard: PD shift + Armijo line search', value: state.values.safe, onChange: set('safe') }),
  thesis: checkbox({ name: 'thesis', label: 'Thesis as printed (x + H⁻¹g, no rank-2 term)', value: state.values.thesis, onChange: set('thesis') }),
  t: slider({ name: 't', label: 'Iteration t', min: 0, max: TMAX, int: true, value: state.values.t, onInput: set('t') }),
};
$('ctl-problem').append(controls.problem.el, controls.n.el, controls.d.el, controls.coh.el, controls.w2.el, controls.w.el, controls.seed.el);
$('ctl-sampling').append(controls.eps.el, controls.safe.el, controls.thesis.el);
$('ctl-iter').append(controls.t.el);

function syncControls() {
  const v = state.values;
  for (const [name, c] of Object.entries(controls)) if (c.value !== v[name]) c.set(v[name]);
  controls.coh.el.hidden = v.problem !== 'T2' || state.hidden('coh');
  controls.w2.el.hidden = v.problem !== 'T3' || state.hidden('w2');
  controls.w.el.hidden = v.problem !== 'T4' || state.hidden('w');
}

const stepper = createStepper($('stepper'), {
  titles: { step: 'One more iteration of every method', play: 'Keep iterating', reset: 'Back to iteration 0' },
  speeds: [1, 2, 4, 8],
  onStep: async () => {
    if (state.values.t >= TMAX) { stepper.pause(); return; }
    state.set({ t: state.values.t + 1 });
  },
  onReset: () => state.set({ t: 0 }),
});

const teacher = teacherPanel({
  state, props: PROPS, names: NAMES, controls: () => controls, onApplied: syncControls,
  afterApply: () => { $('stepper').hidden = state.hidden('t'); },
});
function applyTeacher() { teacher.apply(); }

// Charts -----------------------------------------------------------------
const clampY = (y) => (Number.isFinite(y) ? Math.max(y, FLOOR) : null);
const methodDatasets = () => METHODS.map((m) => ({
  label: m.label, borderColor: m.color, backgroundColor: m.color, borderWidth: 2, borderDash: m.dash,
  pointRadius: dotRadius, pointStyle: 'circle',
}));
const iterChart = liveChart($('chart-iter'), {
  label: 'Error against iteration: waiting for the first computation.',
  datasets: methodDatasets(),
  scales: { x: linearAxis({ title: 'iteration t', min: 0, max: TMAX, integer: true }), y: logAxis({ title: '‖x_t − x*‖', min: FLOOR }) },
  plugins: { tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${formatSci(ctx.raw.v ?? ctx.raw.y)}` } } },
});
const timeChart = liveChart($('chart-time'), {
  label: 'Error against time: waiting for the first computation.',
  datasets: methodDatasets(),
  scales: { x: linearAxis({ title: 'time of the iterations (ms)', min: 0 }), y: logAxis({ title: '‖x_t − x*‖', min: FLOOR }) },
  plugins: { tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${formatSci(ctx.raw.v ?? ctx.raw.y)} at ${formatSci(ctx.raw.x)} ms` } } },
});
const levChart = liveChart($('chart-lev'), {
  type: 'scatter',
  label: 'Leverage-score sampling probabilities: waiting for the first computation.',
  datasets: [
    { label: 'p_i (leverage)', borderColor: PALETTE.grey, backgroundColor: PALETTE.grey, pointRadius: 1.2, pointStyle: 'circle' },
    { label: 'rows drawn: leverage', borderColor: PALETTE.vermillion, backgroundColor: PALETTE.vermillion, pointRadius: 4, pointStyle: 'circle' },
    { label: 'rows drawn: uniform', borderColor: PALETTE.blue, backgroundColor: 'rgba(0,0,0,0)', pointRadius: 4, pointStyle: 'rectRot', borderWidth: 1.5 },
  ],
  // log x: the few heavy rows of a coherent A (the first d in T2) would otherwise sit on top of each other
  scales: { x: logAxis({ title: 'row i (log scale)', min: 1 }), y: logAxis({ title: 'probability p_i', max: 1 }) },
  plugins: { tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: row ${ctx.raw.x}, p = ${formatSci(ctx.raw.y)}` } } },
});
hook.charts = { iter: iterChart, time: timeChart, lev: levChart };

function errors(r, key) {
  const xs = r.ref.x;
  return r.runs[key].history.map((h) => {
    let s = 0;
    for (let j = 0; j < xs.length; j++) s += (h.x[j] - xs[j]) ** 2;
    return Math.sqrt(s);
  });
}

/*
 * A new result is drawn in three stages, one task each (web/lib/staged.js): Figure 1, Figure 2,
 * then Figure 3 with the readout and the tables. Drawn at once, the three charts' first drawing
 * was one 0.2–0.65 s task on a slow laptop. A redraw of the shown result (the iteration t: Step,
 * Play) draws at once: its charts are laid out already. A newer drawing supersedes the stages
 * still waiting.
 */
const drawing = createStagedDrawing();

/** Draw r: in stages if it is a new result, at once for a redraw. */
function render(r, { redraw = false } = {}) {
  hook.lastResult = r;
  const stages = renderStages(r, redraw);
  if (redraw) drawing.now(stages);
  else drawing.inStages(stages);
}
hook.drawResult = render; // for the tests: what onResult does with a result

function renderStages(r, redraw) {
  let drawMs = 0; // the stages' main-thread time
  const timed = (stage) => () => { const t0 = performance.now(); stage(); drawMs += performance.now() - t0; };
  const v = { ...state.values }; // the state this drawing is for (it may change between stages)
  const t = v.t;
  let errs, describeAt;
  const figure1 = () => {
    errs = Object.fromEntries(METHODS.map((m) => [m.key, errors(r, m.key)]));
    describeAt = (m) => {
      const e = errs[m.key];
      const k = Math.min(t, e.length - 1);
      return `${m.label} ${formatSci(e[k])}`;
    };
    const iterSeries = METHODS.map((m) => errs[m.key].slice(0, t + 1).map((e, i) => ({ x: i, y: clampY(e), v: e })));
    setData(iterChart, iterSeries, `Log-scale errors after ${t} iterations: ${METHODS.map(describeAt).join('; ')}.`);
  };
  const figure2 = () => {
    const timeSeries = METHODS.map((m) => {
      const h = r.runs[m.key].history;
      return errs[m.key].slice(0, t + 1).map((e, i) => ({ x: 1000 * h[i].seconds, y: clampY(e), v: e }));
    });
    setData(timeChart, timeSeries, `Log-scale errors against milliseconds of iterations: ${METHODS.map((m) => {
      const h = r.runs[m.key].history; return `${m.label} ${formatSci(1000 * h[Math.min(t, h.length - 1)].seconds)} ms`;
    }).join('; ')}.`);
  };
  const rest = () => {
    const t0 = performance.now();
    const fdDone = renderRest(r, v, t, errs, describeAt);
    finish(r, { redraw, fdDone, draw: drawMs + performance.now() - t0 });
  };
  return [timed(figure1), timed(figure2), rest];
}

/** Figure 3, the readout and the tables. */
function renderRest(r, v, t, errs, describeAt) {
  // Figure 3: the sample of iteration max(t, 1)
  const ts = Math.max(1, t);
  $('sample-t').textContent = String(ts);
  const lev = r.runs.lev.history, uni = r.runs.uni.history;
  const hl = lev[Math.min(ts, lev.length - 1)], hu = uni[Math.min(ts, uni.length - 1)];
  if (hl && hl.p) {
    const p = hl.p;
    const all = Array.from(p, (y, i) => ({ x: i + 1, y: Math.max(y, 1e-300) }));
    const drawnL = Array.from(hl.sampled, (i) => ({ x: i + 1, y: Math.max(p[i], 1e-300) }));
    const drawnU = hu && hu.sampled ? Array.from(hu.sampled, (i) => ({ x: i + 1, y: Math.max(p[i], 1e-300) })) : [];
    let lo = Infinity;
    for (const q of p) if (q > 0) lo = Math.min(lo, q);
    levChart.options.scales.y.min = Math.pow(10, Math.floor(Math.log10(lo)));
    levChart.options.scales.x.max = p.length;
    // one update (setData's) with the axes already set: a second one cost as much again
    setData(levChart, [all, drawnL, drawnU], `Sampling probabilities of ${p.length} rows at iteration ${ts}: leverage sampling drew ` +
      `${drawnL.length} distinct rows, uniform sampling ${drawnU.length}.`);
  } else {
    setData(levChart, [[], [], []], `No sampling at iteration ${ts}: ${REASON_TEXT[r.runs.lev.reason] ?? r.runs.lev.reason}.`);
  }

  // readout
  const P = r.P, n = P.A.rows, d = P.A.cols;
  const s = Math.ceil(d * Math.log(d / 0.01) / (v.eps * v.eps));
  const reg = r.regime;
  const stopNote = METHODS.filter((m) => r.runs[m.key].history.length - 1 < t)
    .map((m) => `${m.label} ${REASON_TEXT[r.runs[m.key].reason] ?? r.runs[m.key].reason} at t = ${r.runs[m.key].history.length - 1}`);
  const rowsL = hl?.rows ?? 0;
  $('readout').textContent =
    `${v.problem}-like problem, ${n}×${d}: theorem regime (w² ≥ 100 + l/σ²_min with l > 0) ${reg.holds ? 'holds' : 'does not hold'} ` +
    `(min w² = ${formatSci(reg.minW2)}, σ_min(A) = ${formatSci(reg.sigmaMin)}). ` +
    `At t = ${t}: ${METHODS.map(describeAt).join(', ')}. ` +
    `Sampled Newton draws s = ${s} rows (${rowsL} distinct with leverage scores, ${hu?.rows ?? 0} uniform) out of ${n}.` +
    (stopNote.length ? ` Note: ${stopNote.join('; ')}.` : '') +
    (v.thesis ? ' Thesis as printed: the Newton steps go uphill.' : '') +
    ` Computed in ${Math.round(r.ms)} ms.`;

  // tables (the derivative check's, per problem, arrives on its own: derivativeArrived)
  const fdDone = drawDerivative(r.pk);
  const rows = METHODS.map((m) => {
    const run = r.runs[m.key], e = errs[m.key];
    const k = e.findIndex((x) => x <= 1e-10);
    const last = run.history[run.history.length - 1];
    return [m.label, k >= 0 ? String(k) : `not in ${run.history.length - 1}`, e[e.length - 1],
      formatNumber(1000 * last.seconds / Math.max(1, run.history.length - 1), { digits: 3 }),
      REASON_TEXT[run.reason] ?? run.reason];
  });
  fillTable($('table'), ['method', 'iterations to ‖x − x*‖ ≤ 10⁻¹⁰', `error at t = ${TMAX}`, 'ms per iteration', 'stop'], rows);
  return fdDone;
}

/** Every stage of r is drawn. */
function finish(r, { redraw, fdDone, draw }) {
  hook.renders++;
  // control change → charts drawn; jobs: the worker calls' time (0 when only the shown
  // iteration changed or the setting was cached; problem: making A, b, w, x0), draw:
  // the stages' main-thread time. The derivative table counts as drawn with the
  // charts only if its check was already there (same problem).
  if (r.key === jobKey(state.values)) {
    chartsStamp = latestStamp;
    clock.drawn('charts', latestStamp, redraw ? { jobs: 0, draw } : { jobs: r.ms, ...r.segments, draw });
    if (fdDone) clock.drawn('fd', latestStamp); // its check was already there: drawn in this render
  }
  document.body.dataset.renders = String(hook.renders);
  rendered = r.key;
  markRendered();
}

const FD_ROWS = [
  ['gradient Aᵀ(f∘c − ⟨c,f⟩f), corrected', 'gOurs', 'FAILS'],
  ['gradient Aᵀ(f⟨c,f⟩ + f∘c), thesis Alg. 1 line 7', 'gThesis', 'fails'],
  ['Hessian AᵀB(x)A, corrected B (diagonal + rank 2)', 'HOurs', 'FAILS'],
  ['Hessian AᵀB(x)A, B as printed (thesis Sec. 2.2.1)', 'HThesis', 'fails'],
];
let fdDrawn = ''; // the problem key whose derivative check the table shows
let chartsStamp = null; // the control change whose charts were drawn last

/** Fill the derivative-check table for problem pk: its numbers, its error, or "checking" while it runs. True once final. */
function drawDerivative(pk) {
  const D = derivative.key === pk ? derivative : null;
  const head = ['formula', 'rel. error vs finite differences', 'verdict'];
  if (D?.fdc) {
    fillTable($('fd-table'), head, FD_ROWS.map(([label, k, bad]) => [label, D.fdc[k], D.fdc[k] < 1e-6 ? 'agrees' : bad]));
    hook.fd = D.fdc;
  } else if (D?.error) {
    fillTable($('fd-table'), head, [['derivative check', '—', `not computed: ${describeError(D.error)}`]]);
  } else {
    fillTable($('fd-table'), head, FD_ROWS.map(([label]) => [label, '…', 'checking']));
    return false;
  }
  fdDrawn = pk;
  return true;
}

/**
 * The current problem's derivative check arrived: draw it now if the charts of the latest
 * change are on screen (else render will, with them). The charts' key alone is not enough:
 * a change reverted while its job runs leaves the old charts' key equal to the current one.
 */
function derivativeArrived() {
  const v = state.values;
  if (derivative.key !== problemKey(v) || rendered !== jobKey(v) || chartsStamp !== latestStamp) return;
  const t0 = performance.now();
  drawDerivative(derivative.key);
  clock.drawn('fd', latestStamp, { ...derivative.segments, draw: performance.now() - t0 });
  markRendered();
}

let rendered = '', busy = false;
function markRendered() {
  document.body.dataset.busy = busy ? '1' : '0';
  const v = state.values;
  if (rendered === jobKey(v) && fdDrawn === problemKey(v)) document.body.dataset.rendered = state.hash();
}

const runner = createRunner({
  job, statusEl, staleAfterMs: 3000,
  onResult: (r) => { if (r.key === jobKey(state.values) || !hook.lastResult) render(r); else hook.lastResult = r; },
  onBusy: (b) => { busy = b; markRendered(); },
});
hook.runner = runner;

let lastKey = '';
function recompute() {
  const v = { ...state.values };
  const k = jobKey(v);
  if (k !== lastKey) { lastKey = k; runner.request(v); return; }
  if (hook.lastResult && hook.lastResult.key === k) render(hook.lastResult, { redraw: true }); // only t (or hidden) changed: redraw
  else markRendered();
}

applyTeacher();
document.body.dataset.busy = '1';
if (!globalThis.Chart) showStatus(statusEl, 'Chart.js is missing: run `make web`.', 'error');
latestStamp = clock.mark(['load'], FIGURES);
recompute();
