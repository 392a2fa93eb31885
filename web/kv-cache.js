// kv-cache.js — "what does it cost to remember a sequence for tensor attention?".
//
// Figure 1: a worker job runs ONE live decodeRun (wasm/attention.js) through
// three caches side by side — two-cache, naive four-cache, factored four-cache:
// at every step the worker appends the token to each cache and answers its
// query, and posts that step's times and counters as a progress event, which
// the page draws as it arrives (the cursor t). Reset starts a fresh decode;
// Step / Play show the next step once the worker has computed it (Play paces
// the display; a new decode or a parameter change cancels the running one).
// Figures 2 and 3: a second job (its own worker lane) plays the Index game
// through each cache, the four- and two-cache lifts, and sweeps the budgets,
// drawn first once the standard caches are played (a few ms of the worker),
// with the panels still being computed marked as such, then complete once the
// tensor lifts and the budget sweeps are in (see gameStages).
// All state lives in the URL hash. Every control change is timed in the page
// (lib/redraw.js, globalThis.__redrawTimes; reported in docs/PERFORMANCE.md):
// figures 'decode-first' (the first decoding step on screen), 'decode' (the
// whole live decode, with the worker's time and each cache's total as
// segments), 'decode-step' (Next token), 'game-first' (Figures 2–3 first drawn,
// possibly in part) and 'game' (Figures 2–3 complete).

import { createState } from './lib/state.js';
import { linkNotice } from './lib/link-notice.js';
import { slider, numberBox, formatNumber } from './lib/controls.js';
import { teacherPanel } from './lib/teacher.js';
import { liveChart, logAxis, linearAxis, setData, PALETTE, fillTable, formatSci, dotRadius } from './lib/charts.js';
import { createStagedDrawing } from './lib/staged.js';
import { createRunner } from './lib/compute.js';
import { createStepper } from './lib/stepper.js';
import { createRedrawClock } from './lib/redraw.js';

const SEED_MAX = 2 ** 31 - 2;
const C_GAME = 12;

const PROPS = [
  { name: 'd', type: 'int', default: 32, min: 4, max: 64 },
  { name: 'T', type: 'int', default: 96, min: 8, max: 256 },
  { name: 'n', type: 'int', default: 128, min: 16, max: 256 },
  { name: 'gd', type: 'int', default: 32, min: 2, max: 64 },
  { name: 'B', type: 'int', default: 48, min: 1, max: 256 },
  { name: 'W', type: 'int', default: 32, min: 1, max: 256 },
  { name: 'delta', type: 'number', default: 0.5, min: 0.05, max: 4 },
  { name: 'st', type: 'int', default: 1, min: 1, max: 16 },
  { name: 'ss', type: 'int', default: 64, min: 1, max: 1024 },
  { name: 'seed', type: 'int', default: 1, min: 0, max: SEED_MAX },
];
const NAMES = {
  d: 'decoding dimension d', T: 'tokens T', n: 'game tokens n', gd: 'game dimension d', B: 'eviction budget B',
  W: 'window W', delta: 'SubGen δ', st: 'SubGen t', ss: 'SubGen s', seed: 'seed',
};
const EVALS = [
  { key: 'two', kind: 'two', evaluation: 'two-cache', label: 'two-cache', color: PALETTE.vermillion, ops: (t, d) => 2 * t * t * d },
  { key: 'naive', kind: 'four', evaluation: 'naive', label: 'naive four-cache', color: PALETTE.orange, ops: (t, d) => 4 * t * t * d },
  { key: 'factored', kind: 'four', evaluation: 'factored', label: 'factored four-cache', color: PALETTE.blue, ops: (t, d) => 2 * t * t * d + 2 * t * d },
];

// ------------------------------------------------------------------ jobs (worker)

const CACHES = EVALS.map((e) => ({ kind: e.kind, evaluation: e.evaluation }));

/** A live decode: per-step arrays filled as the worker's step events arrive. */
function newLive(v) {
  const arr = () => new Float64Array(v.T);
  const runs = {};
  for (const e of EVALS) runs[e.key] = { ms: arr(), words: arr(), queryOps: arr(), appendOps: arr(), workWords: arr() };
  return { key: decodeKey(v), params: { ...v }, runs, arrived: 0, done: false, started: performance.now(), ms: NaN, drawMs: [], waiters: [] };
}

function onStepEvent(live, step) {
  step.steps.forEach((s, i) => {
    const r = live.runs[EVALS[i].key], t = step.t - 1;
    r.ms[t] = s.ms; r.words[t] = s.words; r.queryOps[t] = s.queryOps; r.appendOps[t] = s.appendOps; r.workWords[t] = s.workWords;
  });
  live.arrived = step.t;
  for (const w of live.waiters.splice(0)) w();
}

/** The job of one decode request: v.live is the live record made at request time (hook.live). */
async function decodeJob(v, { client, signal }) {
  const live = v.live;
  live.started = performance.now();
  const r = await client.call('decodeRun', [{ d: v.d, T: v.T, seed: v.seed, caches: CACHES }],
    { signal, onProgress: (ev) => { if (ev.phase === 'step') stepArrived(live, ev.step); } });
  live.ms = performance.now() - live.started;
  return { live, result: r };
}

/** Alice's picture: n columns (tokens) × d rows (bits), row-major X[a·d + j]. */
export function picture(n, d) {
  const X = new Uint8Array(n * d);
  for (let a = 0; a < n; a++) {
    for (let j = 0; j < d; j++) {
      const x = (a + 0.5) / n, y = (j + 0.5) / d;
      const ring = Math.abs(Math.hypot((x - 0.5) * 3, y - 0.5) - 0.36) < 0.09;
      const wave = Math.abs(y - 0.5 - 0.3 * Math.sin(2 * Math.PI * 2 * x)) < 0.07;
      const dots = (Math.floor(a / 4) + Math.floor(j / 4)) % 7 === 0;
      X[a * d + j] = ring || wave || dots ? 1 : 0;
    }
  }
  return X;
}

const configs = (v) => ({
  exact: 'exact',
  evict: { kind: 'evict', budget: Math.min(v.B, v.n) },
  window: { kind: 'window', size: Math.min(v.W, v.n) },
  subgen: { kind: 'subgen', delta: v.delta, t: v.st, s: v.ss },
});

/** The two-cache free-row instance (spec §3.4) writes n² arbitrary rows: N = n²·d bits, so it is played at this small n. */
const N_TWO = 32;
const STRIPS = 4; // the N_TWO² rows are shown as STRIPS bands of N_TWO²/STRIPS columns

/** Row ℓ of the two-cache instance ↔ column ℓ mod W of band ⌊ℓ/W⌋ in a W × (STRIPS·d) picture. */
function twoBits(d) {
  const W = (N_TWO * N_TWO) / STRIPS, H = STRIPS * d, P = picture(W, H), X = new Uint8Array(N_TWO * N_TWO * d);
  for (let l = 0; l < N_TWO * N_TWO; l++) for (let j = 0; j < d; j++) X[l * d + j] = P[(l % W) * H + Math.floor(l / W) * d + j];
  return X;
}
/** The inverse: a two-cache bit vector as the W × (STRIPS·d) picture (row-major per column). */
function twoPicture(X, d) {
  const W = (N_TWO * N_TWO) / STRIPS, H = STRIPS * d, P = new Uint8Array(W * H);
  for (let l = 0; l < N_TWO * N_TWO; l++) for (let j = 0; j < d; j++) P[(l % W) * H + Math.floor(l / W) * d + j] = X[l * d + j];
  return P;
}

// Index games are deterministic in (n, d, seed, cache) (the pictures are fixed functions of n and d;
// each game seeds its own generator), so a control change replays only the games it affects (a
// budget change is one game, not 32), and the order in which they are played does not matter.
const gameMemo = new Map(); // key → { promise, done, value }
const memoKey = (o) => JSON.stringify([o.n, o.d, o.C, o.seed, o.cache]);
function memoCall(call, o) {
  const key = memoKey(o);
  if (!gameMemo.has(key)) {
    if (gameMemo.size > 400) gameMemo.clear();
    const entry = { promise: call('indexGame', [o]), done: false, value: null };
    gameMemo.set(key, entry);
    entry.promise.then((g) => { entry.done = true; entry.value = g; }, () => gameMemo.delete(key)); // an aborted or failed game is recomputed next time
  }
  return gameMemo.get(key).promise;
}
const memoized = (o) => gameMemo.get(memoKey(o))?.done === true;
const memoValue = (o) => gameMemo.get(memoKey(o))?.value ?? null;

/**
 * The games of Figures 2–3 for the values v, in three stages (the same games as one list;
 * each stage is a list of [slot, options], where slot names where the result goes):
 *   1. the standard caches (exact, eviction, window, SubGen) and the SubGen4Cache lift: a few ms;
 *   2. the tensor lifts that replay n² pairs or rows: the exact four-cache (n queries over n²
 *      pairs), SubGen2Cache (SubGen over the n² pair tokens) and the two-cache's N_TWO² free
 *      rows — about two thirds of the worker's time;
 *   3. the budget sweeps of Figure 3 (24 games of the same caches).
 */
function gameStages(v) {
  const bits = picture(v.n, v.gd);
  const base = { n: v.n, d: v.gd, C: C_GAME, seed: v.seed, bits };
  const sg = (kind, s = v.ss) => ({ kind, delta: v.delta, t: v.st, s });
  const first = Object.entries(configs(v)).map(([name, cache]) => [['games', name], { ...base, cache }]);
  first.push([['games', 'subgen4'], { ...base, cache: sg('subgen4') }]);
  const sweep = [];
  FRACTIONS.forEach((f, i) => {
    const b = Math.max(1, Math.round(f * v.n)), s = Math.max(1, Math.round(f * 2 * v.n));
    sweep.push([['evict', i, b], { ...base, cache: { kind: 'evict', budget: b } }], [['window', i, b], { ...base, cache: { kind: 'window', size: b } }],
      [['subgen', i, s], { ...base, cache: sg('subgen', s) }], [['subgen4', i, s], { ...base, cache: sg('subgen4', s) }]);
  });
  // Tensor lifts (spec §3.4): the four-cache (k2 = v2 = 𝟙) on the same picture, the same lift
  // through SubGen2Cache with the SubGen controls (δ, t, s), and the two-cache's n² free rows,
  // whose picture is N_TWO² columns wide.
  const lifts = [[['games', 'four'], { ...base, cache: 'four' }], [['games', 'subgen2'], { ...base, cache: sg('subgen2') }],
    [['games', 'two'], { n: N_TWO, d: v.gd, C: C_GAME, seed: v.seed, bits: twoBits(v.gd), cache: 'two' }]];
  return { bits, stages: [first, lifts, sweep] };
}
const FRACTIONS = [1 / 16, 1 / 8, 1 / 4, 1 / 2, 3 / 4, 1];

let gameStamp = null; // the latest game request's stamp: only its job draws its partial figures
async function gameJob(v, { call: rawCall, signal }) {
  const t0 = performance.now();
  const { bits, stages } = gameStages(v);
  const games = {}, sweep = { evict: [], window: [], subgen: [], subgen4: [] };
  const r = { games, sweep, bits, ms: NaN, params: { ...v }, key: gameKey(v), partial: true, pending: 0 };
  const put = ([slot], g) => {
    if (slot[0] === 'games') games[slot[1]] = g;
    else sweep[slot[0]][slot[1]] = { budget: slot[2], accuracy: g.accuracy, stateBits: g.stateBits };
  };
  // Games this change does not affect are known already (memoized): shown from the first draw.
  for (const item of stages.flat()) if (memoized(item[1])) put(item, memoValue(item[1]));
  // Every call is queued with the worker client now, not stage by stage (an abort drops the
  // queued calls, and the memo forgets them).
  const queued = stages.map((stage) => stage.map(([, o]) => memoCall(rawCall, o)));
  for (let k = 0; k < stages.length; k++) {
    const stage = stages[k], results = await Promise.all(queued[k]);
    stage.forEach((item, i) => put(item, results[i]));
    if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
    // After the first stage, draw what is here if the rest still has to be computed (a fully
    // memoized change is drawn once). Only then: the worker client keeps one call in flight and
    // posts the next from the main thread, so a draw between calls can leave the worker idle
    // while it lasts; this one overlaps the first lift, the longest call.
    const rest = stages.slice(k + 1).flat().filter(([, o]) => !memoized(o));
    if (k === 0 && rest.length && v._stamp === gameStamp) {
      r.ms = performance.now() - t0;
      r.pending = rest.length;
      // drawn in stages while the job goes on: a snapshot, so every stage shows the same games
      const now = { ...r, games: { ...games }, sweep: Object.fromEntries(Object.entries(sweep).map(([kind, a]) => [kind, [...a]])) };
      renderGame(now).then((draw) => {
        if (draw !== null) clock.drawn('game-first', v._stamp, { worker: now.ms, draw, stage: k + 1 });
      });
    }
  }
  r.ms = performance.now() - t0;
  r.partial = false;
  return r;
}

const decodeKey = (v) => JSON.stringify([v.d, v.T, v.seed]);
const gameKey = (v) => JSON.stringify([v.n, v.gd, v.B, v.W, v.delta, v.st, v.ss, v.seed]);

// ------------------------------------------------------------------ page

const $ = (id) => document.getElementById(id);
const hook = (globalThis.__sketchlab = { renders: 0, gameRenders: 0, lastDecode: null, lastGame: null, live: null, cursor: 0 });
const clock = createRedrawClock();
hook.redrawTimes = clock.times;

const state = createState(PROPS, { onChange: (values, changed, info) => { syncControls(); if (info?.hiddenChanged) teacher.apply(); recompute(changed); } });
hook.state = state;
linkNotice(state);

const set = (name) => (x) => state.set({ [name]: x });
const controls = {
  d: slider({ name: 'd', label: 'Head dimension d', min: 4, max: 64, int: true, value: state.values.d, onInput: set('d') }),
  T: slider({ name: 'T', label: 'Tokens T', min: 8, max: 256, int: true, value: state.values.T, help: 'The decode runs live in the worker, token by token', onInput: set('T') }),
  n: slider({ name: 'n', label: 'Alice’s tokens n', min: 16, max: 256, int: true, value: state.values.n, onInput: set('n') }),
  gd: slider({ name: 'gd', label: 'Key dimension d', min: 2, max: 64, int: true, value: state.values.gd, help: 'Small d: random keys collide (the low-dimensional regime)', onInput: set('gd') }),
  B: slider({ name: 'B', label: 'Random eviction: keep B tokens', min: 1, max: 256, int: true, value: state.values.B, onInput: set('B') }),
  W: slider({ name: 'W', label: 'Sliding window W', min: 1, max: 256, int: true, value: state.values.W, onInput: set('W') }),
  delta: slider({ name: 'delta', label: 'SubGen cluster radius δ', min: 0.05, max: 4, log: true, ticks: 200, value: state.values.delta, onInput: set('delta') }),
  st: slider({ name: 'st', label: 'SubGen slots per cluster t', min: 1, max: 16, int: true, value: state.values.st, onInput: set('st') }),
  ss: slider({ name: 'ss', label: 'SubGen value samples s', min: 1, max: 1024, int: true, log: true, ticks: 200, value: state.values.ss, onInput: set('ss') }),
  seed: numberBox({ name: 'seed', label: 'Seed', min: 0, max: SEED_MAX, int: true, value: state.values.seed, help: 'Same seed, same tokens, keys and samples.', onChange: set('seed') }),
};
$('ctl-decode').append(controls.d.el, controls.T.el, controls.seed.el);
$('ctl-game').append(controls.n.el, controls.gd.el);
$('ctl-caches').append(controls.B.el, controls.W.el, controls.delta.el, controls.st.el, controls.ss.el);

function syncControls() {
  const v = state.values;
  for (const [name, c] of Object.entries(controls)) if (c.value !== v[name]) c.set(v[name]);
  controls.B.setLimits(1, v.n);
  controls.W.setLimits(1, v.n);
}

// Step / Play / Reset: Reset starts a fresh live decode in the worker; Step and
// Play show the next step as soon as the worker has computed it. After the
// reader has used them (`manual`), arriving steps no longer move the cursor.
let pendingCursor = false, manual = false;
/** Start a live decode; `stamp` (clock.mark) is the control change it answers. */
function requestDecode(stamp) {
  const v = { ...state.values };
  if (hook.live) for (const w of hook.live.waiters.splice(0)) w(); // a waiting Step gives up on the old decode
  const live = newLive(v);
  live.stamp = stamp;
  hook.live = live;
  decodeRunner.request({ ...v, live });
}
function restartDecode() {
  manual = true;
  hook.cursor = 1;
  pendingCursor = true;
  document.body.dataset.cursor = '1';
  requestDecode(clock.mark(['reset'], ['decode-first', 'decode']));
}
function arrival(live, t) {
  if (live.arrived >= t || live.done) return Promise.resolve();
  return new Promise((resolve) => live.waiters.push(resolve));
}
const stepper = createStepper($('stepper'), {
  labels: { step: 'Next token' },
  titles: { step: 'Decode the next token', play: 'Decode token by token', reset: 'Start a new decode from the first token' },
  speeds: [4, 8, 16, 32],
  onStep: async () => {
    manual = true;
    if (!hook.live) return;
    // After Reset the cursor already stands at token 1 (drawn when it arrives), so
    // Next token asks for token 2 however soon it is pressed; Play, and Next at the
    // end of a decode (which starts a new one), begin at token 1.
    let t;
    if (!pendingCursor && hook.cursor >= hook.live.params.T) { restartDecode(); t = 1; }
    else t = pendingCursor && stepper.playing ? 1 : hook.cursor + 1;
    const live = hook.live;
    const stamp = clock.mark(['step'], ['decode-step']);
    // every arriving step wakes the waiters: wait on until step t is here (or the decode ended)
    while (hook.live === live && live.arrived < t && !live.done) await arrival(live, t);
    if (hook.live !== live || live.arrived < t) return; // a newer decode replaced this one
    pendingCursor = false;
    hook.cursor = t;
    renderDecode(live);
    clock.drawn('decode-step', stamp, { draw: live.drawMs.at(-1) });
  },
  onReset: () => restartDecode(),
});
hook.stepper = stepper;

const teacher = teacherPanel({
  state, props: PROPS, names: NAMES, controls: () => controls, onApplied: syncControls,
});

// Charts -----------------------------------------------------------------
const memChart = liveChart($('chart-mem'), {
  label: 'Memory against tokens: waiting for the first computation.',
  datasets: [
    { label: 'two-cache (counted)', borderColor: PALETTE.vermillion, backgroundColor: PALETTE.vermillion, showLine: false, pointRadius: dotRadius, pointStyle: 'circle' },
    { label: 'four-cache (counted)', borderColor: PALETTE.blue, backgroundColor: PALETTE.blue, showLine: false, pointRadius: dotRadius, pointStyle: 'circle' },
    { label: '2t²d', borderColor: PALETTE.vermillion, borderWidth: 1.5, borderDash: [6, 3], pointRadius: 0, pointStyle: 'line' },
    { label: '4td', borderColor: PALETTE.blue, borderWidth: 1.5, borderDash: [6, 3], pointRadius: 0, pointStyle: 'line' },
  ],
  scales: { x: linearAxis({ title: 'tokens t', min: 1, integer: true }), y: logAxis({ title: 'words held' }) },
});
const timeChart = liveChart($('chart-time'), {
  label: 'Per-step time against tokens: waiting for the first computation.',
  datasets: [
    ...EVALS.map((e) => ({ label: `${e.label} (measured)`, borderColor: e.color, backgroundColor: e.color, showLine: false, pointRadius: dotRadius, pointStyle: 'circle' })),
    ...EVALS.map((e) => ({ label: `${e.label}: ops × fitted time`, borderColor: e.color, borderWidth: 1.5, borderDash: [6, 3], pointRadius: 0, pointStyle: 'line' })),
  ],
  scales: { x: linearAxis({ title: 'decoding step t', min: 1, integer: true }), y: logAxis({ title: 'ms per step' }) },
  plugins: { legend: { position: 'top', align: 'start', labels: { boxWidth: 10, boxHeight: 10, filter: (item) => !item.text.includes('fitted') } } },
});
const indexChart = liveChart($('chart-index'), {
  label: 'Index game accuracy against message size: waiting for the first computation.',
  datasets: [
    { label: 'impossible (left of the Fano floor)', borderColor: PALETTE.grey, backgroundColor: 'rgba(0,0,0,0.10)', borderWidth: 2, pointRadius: 0, fill: 'end', pointStyle: 'rect' },
    { label: 'random eviction', borderColor: PALETTE.orange, backgroundColor: PALETTE.orange, borderWidth: 2, pointRadius: 3, pointStyle: 'circle' },
    { label: 'sliding window', borderColor: PALETTE.green, backgroundColor: PALETTE.green, borderWidth: 2, pointRadius: 3, pointStyle: 'triangle' },
    { label: 'SubGen', borderColor: PALETTE.purple, backgroundColor: PALETTE.purple, borderWidth: 2, pointRadius: 3, pointStyle: 'rect' },
    { label: 'SubGen4Cache on the tensor lift (our construction)', borderColor: PALETTE.sky, backgroundColor: PALETTE.sky, borderWidth: 2, borderDash: [5, 3], pointRadius: 3, pointStyle: 'rectRounded' },
    { label: 'SubGen2Cache on the tensor lift (your settings)', borderColor: PALETTE.vermillion, backgroundColor: PALETTE.vermillion, showLine: false, pointRadius: 6, pointStyle: 'triangle' },
    { label: 'your settings', borderColor: PALETTE.black, backgroundColor: PALETTE.black, showLine: false, pointRadius: 7, pointStyle: 'star', borderWidth: 2 },
    { label: 'exact caches (2·n·d and 4·n·d words)', borderColor: PALETTE.blue, backgroundColor: PALETTE.blue, showLine: false, pointRadius: 6, pointStyle: 'rectRot' },
  ],
  scales: { x: logAxis({ title: 'message size (bits)' }), y: {
      ...linearAxis({ title: 'bits recovered (fraction)', min: 0.45, max: 1.02 }),
      // The axis runs 0.45–1.02 to leave room around chance (0.5) and perfect recall (1);
      // Chart.js would put ticks at those edges and label them '0.5' and '1.0' (rounded to the
      // step's one digit), so the ticks are the multiples of 0.1 only.
      afterBuildTicks: (axis) => { axis.ticks = [0.5, 0.6, 0.7, 0.8, 0.9, 1].map((value) => ({ value })); },
    } },
  plugins: { tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${formatNumber(ctx.raw.y, { digits: 3 })} at ${formatSci(ctx.raw.x)} bits${ctx.raw.b ? ` (${ctx.raw.b})` : ''}` } } },
});
hook.charts = { mem: memChart, time: timeChart, index: indexChart };

/** Least-squares time per multiply-add over the second half of the steps (ms per op). */
function fitRate(ms, ops) {
  let num = 0, den = 0;
  for (let i = Math.floor(ms.length / 2); i < ms.length; i++) { num += ms[i] * ops[i]; den += ops[i] * ops[i]; }
  return den > 0 ? num / den : 0;
}

/*
 * A decode's first step is drawn in two stages, one task each (web/lib/staged.js): the memory
 * chart, then the time chart and the readout (both charts' first drawing of a new decode was one
 * task). The steps after it are drawn at once (one per animation frame while the cursor follows
 * the decode, or a Step): they supersede the first step's stage still waiting, and draw it all.
 */
const decodeDrawing = createStagedDrawing();

function renderDecode(live) {
  const t = Math.min(Math.max(hook.cursor || 1, 1), Math.max(live.arrived, 1));
  if (live.arrived === 0) return;
  hook.cursor = t;
  let ms = 0;
  const timed = (stage) => () => { const t0 = performance.now(); stage(); ms += performance.now() - t0; };
  const stages = [timed(() => renderMemory(live, t)), timed(() => renderTimes(live, t)), () => decodeDrawn(live, t, ms)];
  if (live.drawnOnce) { decodeDrawing.now(stages); return; }
  live.drawnOnce = true;
  // the last two stages in one task: the bookkeeping takes no time
  decodeDrawing.inStages([stages[0], () => { stages[1](); stages[2](); }]);
}

const upTo = (arr, t) => Array.from(arr.slice(0, t), (y, i) => ({ x: i + 1, y: Math.max(y, 1e-6) }));
const lineTo = (t, f) => Array.from({ length: t }, (_, i) => ({ x: i + 1, y: f(i + 1) }));

/** Figure 1: the caches' memory after each of the first t tokens. */
function renderMemory(live, t) {
  const { runs, params: v } = live;
  const T = v.T, d = v.d;
  // the axes first, so that setData's update draws each chart once
  memChart.options.scales.x.max = T;
  memChart.options.scales.y.min = Math.pow(10, Math.floor(Math.log10(4 * d)));
  memChart.options.scales.y.max = Math.pow(10, Math.ceil(Math.log10(2 * T * T * d)));
  setData(memChart, [upTo(runs.two.words, t), upTo(runs.factored.words, t), lineTo(t, (s) => 2 * s * s * d), lineTo(t, (s) => 4 * s * d)],
    `Memory after ${t} tokens, d = ${d}: two-cache ${formatSci(runs.two.words[t - 1])} words, four-cache ${formatSci(runs.factored.words[t - 1])} words.`);
}

/** Figure 4: each step's time, and the readout. */
function renderTimes(live, t) {
  const { runs, params: v } = live;
  const T = v.T, d = v.d;
  const n = live.arrived;
  const rates = EVALS.map((e) => fitRate(runs[e.key].ms.subarray(0, n), runs[e.key].queryOps.subarray(0, n)));
  timeChart.options.scales.x.max = T;
  let lo = Infinity, hi = 0;
  for (const e of EVALS) for (const y of runs[e.key].ms.subarray(0, n)) { if (y > 0) lo = Math.min(lo, y); hi = Math.max(hi, y); }
  timeChart.options.scales.y.min = Math.pow(10, Math.floor(Math.log10(Math.max(lo, 1e-4))));
  timeChart.options.scales.y.max = Math.pow(10, Math.ceil(Math.log10(Math.max(hi, 1e-3))));
  setData(timeChart, [
    ...EVALS.map((e) => upTo(runs[e.key].ms, t)),
    ...EVALS.map((e, i) => lineTo(t, (s) => Math.max(rates[i] * e.ops(s, d), 1e-6))),
  ], `Per-step times at step ${t}: ` + EVALS.map((e) => `${e.label} ${formatSci(runs[e.key].ms[t - 1])} ms`).join(', ') + '.');

  // Per-step times are noisy; compare the sums over the last quarter of the steps shown.
  const tail = (arr) => { let s = 0; for (let i = Math.floor(0.75 * t); i < t; i++) s += arr[i]; return s; };
  const [tTwo, tNaive, tFact] = EVALS.map((e) => tail(runs[e.key].ms));
  const total = (e) => runs[e.key].ms.subarray(0, t).reduce((a, b) => a + b, 0);
  $('readout').textContent =
    `Step t = ${t} of ${T} (d = ${d}${live.done ? '' : `; the worker has decoded ${live.arrived} tokens so far`}): the two-cache holds ${formatSci(runs.two.words[t - 1])} words (+ ${formatSci(4 * t * d)} factor words to form new pairs), ` +
    `the four-cache ${formatSci(runs.factored.words[t - 1])} — ${formatNumber(runs.two.words[t - 1] / runs.factored.words[t - 1], { digits: 3 })}× less. ` +
    `Multiply-adds of this step's query: two-cache ${formatSci(runs.two.queryOps[t - 1])}, naive ${formatSci(runs.naive.queryOps[t - 1])}, factored ${formatSci(runs.factored.queryOps[t - 1])}. ` +
    `Over the last quarter of the steps so far the factored evaluation is ${formatNumber(tNaive / tFact, { digits: 3 })}× faster than the naive one and ` +
    `${formatNumber(tFact / tTwo, { digits: 3 })}× the two-cache's time. Steps 1–${t}: ${EVALS.map((e) => `${e.label} ${Math.round(total(e))} ms`).join(', ')} (worker, WebAssembly).` +
    (live.done ? ` The whole decode of ${T} tokens through all three caches took ${Math.round(live.ms)} ms.` : '');
}

/** Step t of the decode is on screen (ms: the main thread's time drawing it). */
function decodeDrawn(live, t, ms) {
  hook.lastDecode = live;
  hook.renders++;
  live.drawMs.push(ms); // the main thread's cost of drawing one step
  clock.drawn('decode-first', live.stamp, { draw: ms }); // control change → first step on screen
  document.body.dataset.renders = String(hook.renders);
  document.body.dataset.cursor = String(t);
  markRendered();
}

// Bit images (canvas, one pixel block per bit; red marks a wrong bit).
const IMAGES = [
  { key: 'alice', title: 'Alice’s bits' },
  { key: 'exact', title: 'exact cache' },
  { key: 'evict', title: 'random eviction' },
  { key: 'window', title: 'sliding window' },
  { key: 'subgen', title: 'SubGen' },
  { key: 'four', title: 'tensor four-cache lift' },
  { key: 'subgen4', title: 'four-cache lift through SubGen4Cache (our construction)' },
  { key: 'subgen2', title: 'four-cache lift through SubGen2Cache' },
  { key: 'two', title: 'tensor two-cache lift' },
];
const panels = {};
for (const im of IMAGES) {
  const fig = document.createElement('div');
  fig.className = 'bit-panel';
  const cap = document.createElement('p');
  cap.className = 'bit-caption';
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${im.title}: waiting for the first computation.`);
  canvas.dataset.image = im.key;
  fig.append(cap, canvas);
  $('bit-grid').append(fig);
  panels[im.key] = { cap, canvas, title: im.title };
}

const bitCanvas = document.createElement('canvas'); // drawBits' one-pixel-per-bit image
/**
 * Draw bits into panel p, or nothing when the panel already shows them: `source` (the game
 * object, memoized and so the same object for the same game, or a string for Alice's picture)
 * with the same size, caption and label. A budget change thus redraws one panel, not nine.
 */
function drawBits(p, n, d, bits, truth, caption, aria, source) {
  if (source !== undefined && p.source === source && p.n === n && p.d === d && p.cap.textContent === caption && p.canvas.getAttribute('aria-label') === aria) return;
  const s = Math.max(1, Math.floor(512 / n)), W = n * s, H = d * s;
  p.canvas.width = W;
  p.canvas.height = H;
  // One pixel per bit in an n×d ImageData, scaled up s× without smoothing (each bit an s×s
  // block, as a fillRect per bit drew it, which cost tens of ms per figure): white, black
  // (#111) = 1, vermillion (#d55e00) = a wrong bit.
  const img = new ImageData(n, d), px = img.data;
  for (let a = 0; a < n; a++) {
    for (let j = 0; j < d; j++) {
      const b = bits ? bits[a * d + j] : 0, wrong = truth && b !== truth[a * d + j], k = 4 * (j * n + a);
      const [r, g, bl] = wrong ? [0xd5, 0x5e, 0x00] : b ? [0x11, 0x11, 0x11] : [255, 255, 255];
      px[k] = r; px[k + 1] = g; px[k + 2] = bl; px[k + 3] = 255;
    }
  }
  bitCanvas.width = n;
  bitCanvas.height = d;
  bitCanvas.getContext('2d').putImageData(img, 0, 0);
  const ctx = p.canvas.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(bitCanvas, 0, 0, W, H);
  p.cap.textContent = caption;
  p.canvas.setAttribute('aria-label', aria);
  Object.assign(p, { source, n, d });
}
/** A panel whose game is still being computed (a progressive draw): blank, and says so. */
function drawPending(p, n, d) {
  drawBits(p, n, d, null, null, `${p.title}: computing…`, `${p.title}: being computed.`, `pending`);
}

/**
 * Figures 2–3 and the table from the games in r. While r.partial, some games are not there yet
 * (gameJob draws after each stage): their panels say "computing…", their points and table rows
 * are left out, and the readout says what is still coming. The final draw is the same as a
 * draw of all the games at once.
 *
 * Drawn in three stages, one task each (web/lib/staged.js): Figure 2's bit panels, Figure 3's
 * chart, then the readout and the table; a newer game drawing supersedes the stages still waiting.
 * Resolves to the stages' main-thread time in ms once all are drawn, null if superseded.
 */
function renderGame(r) {
  let ms = 0;
  const timed = (stage) => () => { const t0 = performance.now(); stage(); ms += performance.now() - t0; };
  return gameDrawing.inStages(gameDrawingStages(r).map(timed)).then((done) => (done ? ms : null));
}
const gameDrawing = createStagedDrawing();

function gameDrawingStages(r) {
  const cfg = configs(r.params);
  return [() => renderBitPanels(r, cfg), () => renderIndexChart(r, cfg), () => renderGameTable(r, cfg)];
}

/** Figure 2: Alice's bits and what each cache's Bob recovers. */
function renderBitPanels(r, cfg) {
  const { games, bits, params: v } = r;
  const n = v.n, d = v.gd, N = n * d;
  drawBits(panels.alice, n, d, bits, null, `Alice’s bits (${n} tokens × ${d} bits = ${N} bits)`,
    `Alice's picture of ${N} bits.`, 'alice');
  const describe = describeCaches(v, cfg);
  // The tensor lifts (spec §3.4): the four-cache holds Alice's picture as V1 with k2 = v2 = 𝟙 (4nd words);
  // the two-cache's hard instance writes N_TWO² ARBITRARY rows (its own, wider picture).
  if (games.four) {
    const g = games.four, wrong = Math.round((1 - g.accuracy) * N);
    drawBits(panels.four, n, d, g.recovered, bits,
      `${panels.four.title} (k2 = v2 = 𝟙, 4nd words): ${formatNumber(100 * g.accuracy, { digits: 4 })}% right, ${formatSci(g.stateBits)} bits`,
      `Tensor four-cache lift: Alice's tokens carry k1 = random key, k2 = all ones, v1 = her bits, v2 = all ones; Bob recovers ${formatNumber(100 * g.accuracy, { digits: 4 })}% of the bits (${wrong} wrong) from a message of ${formatSci(g.stateBits)} bits.`, g);
  } else drawPending(panels.four, n, d);
  if (games.two) {
    const g2 = games.two, N2 = g2.N, wrong2 = Math.round((1 - g2.accuracy) * N2);
    drawBits(panels.two, (N_TWO * N_TWO) / STRIPS, STRIPS * d, twoPicture(g2.recovered, d), twoPicture(g2.bits, d),
      `${panels.two.title} (n = ${N_TWO} tokens, ${N_TWO * N_TWO} free rows in ${STRIPS} bands, ${N2} bits): ${formatNumber(100 * g2.accuracy, { digits: 4 })}% right, ${formatSci(g2.stateBits)} bits`,
      `Tensor two-cache lift: Alice writes ${N_TWO * N_TWO} arbitrary rows (n² for n = ${N_TWO} tokens), ${N2} bits; Bob recovers ${formatNumber(100 * g2.accuracy, { digits: 4 })}% of them (${wrong2} wrong) from a message of ${formatSci(g2.stateBits)} bits.`, g2);
  } else drawPending(panels.two, (N_TWO * N_TWO) / STRIPS, STRIPS * d);
  for (const k of ['subgen4', 'subgen2']) {
    const g = games[k];
    if (!g) { drawPending(panels[k], n, d); continue; }
    const wrong = Math.round((1 - g.accuracy) * N);
    const what = k === 'subgen4'
      ? 'SubGen4Cache, the product-sampling variant (our construction, not the paper’s): one SubGen per factor, pairs sampled as products'
      : 'SubGen2Cache (the paper’s): SubGen on the n² pair tokens';
    drawBits(panels[k], n, d, g.recovered, bits,
      `${panels[k].title} (δ = ${formatNumber(v.delta)}, t = ${v.st}, s = ${v.ss}): ${formatNumber(100 * g.accuracy, { digits: 4 })}% right, ${formatSci(g.stateBits)} bits`,
      `Tensor four-cache lift through ${what}: Bob recovers ${formatNumber(100 * g.accuracy, { digits: 4 })}% of the bits (${wrong} wrong) from a message of ${formatSci(g.stateBits)} bits.`, g);
  }
  for (const k of ['exact', 'evict', 'window', 'subgen']) {
    const g = games[k];
    const wrong = Math.round((1 - g.accuracy) * N);
    drawBits(panels[k], n, d, g.recovered, bits,
      `${panels[k].title} (${describe[k]}): ${formatNumber(100 * g.accuracy, { digits: 4 })}% right, ${formatSci(g.stateBits)} bits`,
      `${panels[k].title} with ${describe[k]}: Bob recovers ${formatNumber(100 * g.accuracy, { digits: 4 })}% of the bits (${wrong} wrong) from a message of ${formatSci(g.stateBits)} bits.`, g);
  }
}

/** What each standard cache keeps, for captions and the table. */
function describeCaches(v, cfg) {
  return {
    exact: `all ${v.n} tokens`, evict: `B = ${cfg.evict.budget}`, window: `W = ${cfg.window.size}`,
    subgen: `δ = ${formatNumber(v.delta)}, t = ${v.st}, s = ${v.ss}`,
  };
}

/** Figure 3: accuracy against message size, above the Fano floor. */
function renderIndexChart(r, cfg) {
  const { games, sweep, params: v } = r;
  const N = v.n * v.gd;
  // Figure 3: the Fano floor as the boundary of the impossible region.
  const H2 = (p) => (p <= 0 || p >= 1 ? 0 : -p * Math.log2(p) - (1 - p) * Math.log2(1 - p));
  const floor = [];
  for (let i = 0; i <= 50; i++) {
    const a = 0.5 + 0.5 * (i / 50) ** 0.5;
    floor.push({ x: Math.max(N * (1 - H2(1 - a)), 1), y: a });
  }
  const pts = (arr) => arr.filter(Boolean).map((p) => ({ x: p.stateBits, y: p.accuracy, b: `budget ${p.budget}` }));
  const mine = ['evict', 'window', 'subgen'].map((k) => ({ x: games[k].stateBits, y: games[k].accuracy, b: k }));
  const exacts = [{ x: games.exact.stateBits, y: games.exact.accuracy, b: 'exact standard cache' },
    ...(games.four ? [{ x: games.four.stateBits, y: games.four.accuracy, b: 'tensor four-cache lift' }] : [])];
  const sg2 = games.subgen2 ? [{ x: games.subgen2.stateBits, y: games.subgen2.accuracy, b: 'SubGen2Cache' }] : [];
  const mine4 = [...mine, { x: games.subgen4.stateBits, y: games.subgen4.accuracy, b: 'SubGen4Cache' }];
  const coming = r.partial ? ` ${r.pending} more games are still being computed; their points follow.` : '';
  let lo = Infinity, hi = 1;
  for (const p of [...floor, ...mine4, ...sg2, ...exacts, ...pts(sweep.evict), ...pts(sweep.subgen), ...pts(sweep.subgen4)]) { lo = Math.min(lo, p.x); hi = Math.max(hi, p.x); }
  indexChart.options.scales.x.min = Math.pow(10, Math.floor(Math.log10(Math.max(lo, 1))));
  indexChart.options.scales.x.max = Math.pow(10, Math.ceil(Math.log10(hi)));
  // the axes first, so that setData's update draws the chart once
  setData(indexChart, [floor, pts(sweep.evict), pts(sweep.window), pts(sweep.subgen), pts(sweep.subgen4), sg2, mine4, exacts],
    `Accuracy against message size for ${N} bits; the exact cache recovers ${formatNumber(100 * games.exact.accuracy, { digits: 4 })}%. ` +
    `Random eviction at B = ${cfg.evict.budget}: ${formatNumber(games.evict.accuracy, { digits: 3 })}; window W = ${cfg.window.size}: ${formatNumber(games.window.accuracy, { digits: 3 })}; ` +
    `SubGen: ${formatNumber(games.subgen.accuracy, { digits: 3 })}. No point lies left of the Fano floor.${coming}`);
}

/** The readout and the table of every game; the figure is complete once r is final. */
function renderGameTable(r, cfg) {
  const { games, sweep, params: v } = r;
  const n = v.n, d = v.gd, N = n * d;
  const describe = describeCaches(v, cfg);
  const e = games.evict;
  $('index-readout').textContent =
    `N = ${N} bits. Exact cache: ${formatNumber(100 * games.exact.accuracy, { digits: 4 })}% recovered with a ${formatSci(games.exact.stateBits)}-bit message` +
    ` (max |output − bit| = ${formatNumber(games.exact.maxError, { digits: 2 })}). Random eviction keeps B/n = ${formatNumber(cfg.evict.budget / n, { digits: 3 })} of the tokens: ` +
    `for random bits B/n + (1 − B/n)/2 = ${formatNumber(cfg.evict.budget / n + (1 - cfg.evict.budget / n) / 2, { digits: 3 })}, measured ${formatNumber(e.accuracy, { digits: 3 })} on this picture (an evicted column is read from other columns, and on a mostly white picture those agree with it more than half the time); ` +
    `at that accuracy any message needs at least ${formatSci(e.fanoBits)} bits (Fano), it uses ${formatSci(e.stateBits)}. ` +
    (r.partial ? `${r.pending} more games are being computed (${Math.round(r.ms)} ms so far).` : `Computed in ${Math.round(r.ms)} ms.`);
  const rows = [];
  for (const k of ['exact', 'evict', 'window', 'subgen']) {
    const g = games[k];
    rows.push([`${panels[k].title} (${describe[k]})`, g.accuracy, g.stateBits, g.fanoBits, g.maxError]);
  }
  const row = (label, g) => (g ? [label, g.accuracy, g.stateBits, g.fanoBits, g.maxError] : [label, 'computing…', '', '', '']);
  rows.push(row(`tensor four-cache lift (k2 = v2 = 𝟙)`, games.four));
  rows.push(row(`tensor two-cache lift (n = ${N_TWO}, ${N_TWO * N_TWO * d} bits)`, games.two));
  rows.push(row(`four-cache lift, SubGen4Cache (our construction; δ = ${formatNumber(v.delta)}, t = ${v.st}, s = ${v.ss})`, games.subgen4));
  rows.push(row(`four-cache lift, SubGen2Cache (δ = ${formatNumber(v.delta)}, t = ${v.st}, s = ${v.ss})`, games.subgen2));
  for (const kind of ['evict', 'window', 'subgen', 'subgen4']) {
    for (const p of sweep[kind].filter(Boolean)) rows.push([`${kind}, ${kind.startsWith('subgen') ? 's' : 'budget'} = ${p.budget}`, p.accuracy, p.stateBits, '', '']);
  }
  fillTable($('table'), ['cache', 'accuracy', 'message bits', 'Fano floor bits', 'max |out − bit|'], rows);
  if (r.partial) return;
  hook.lastGame = r;
  hook.gameRenders++;
  gameRendered = r.key;
  markRendered();
}

let decodeRendered = '', gameRendered = '', decodeBusy = false, gameBusy = false;
function markRendered() {
  const v = state.values;
  document.body.dataset.busy = decodeBusy || gameBusy ? '1' : '0';
  if (decodeRendered === decodeKey(v) && gameRendered === gameKey(v)) document.body.dataset.rendered = state.hash();
}

// Draw arriving steps at most once per animation frame while the cursor follows the decode.
let frameQueued = false;
function followDecode() {
  if (frameQueued) return;
  frameQueued = true;
  requestAnimationFrame(() => {
    frameQueued = false;
    const live = hook.live;
    if (!live || manual || live.done) return;
    hook.cursor = live.arrived;
    renderDecode(live);
  });
}
/** A step event of a live decode (only the current one is drawn). */
function stepArrived(live, step) {
  onStepEvent(live, step);
  if (live !== hook.live) return;
  if (pendingCursor && step.t === 1 && !stepper.playing) { pendingCursor = false; hook.cursor = 1; renderDecode(live); return; }
  if (!manual) followDecode();
}
const decodeRunner = createRunner({
  job: decodeJob, statusEl: $('status'), staleAfterMs: 300, lane: 'background',
  onResult: ({ live }) => {
    live.done = true;
    for (const w of live.waiters.splice(0)) w();
    decodeRendered = live.key;
    if (live !== hook.live) return;
    if (!manual) { hook.cursor = live.params.T; renderDecode(live); } else markRendered();
    // the whole decode: the worker's time for all three caches, each cache's sum of per-step
    // times, and the main thread's cost of drawing one step (median and max over this decode)
    const sorted = [...live.drawMs].sort((a, b) => a - b);
    clock.drawn('decode', live.stamp, {
      worker: live.ms,
      ...Object.fromEntries(EVALS.map((e) => [e.key, live.runs[e.key].ms.reduce((a, b) => a + b, 0)])),
      drawStepMedian: sorted[Math.floor(sorted.length / 2)] ?? NaN, drawStepMax: sorted.at(-1) ?? NaN, drawSteps: sorted.length,
    });
  },
  onBusy: (busy) => { decodeBusy = busy; markRendered(); },
});
const gameRunner = createRunner({
  job: gameJob, statusEl: $('index-status'), staleAfterMs: 1500,
  onResult: (r, params, info) => {
    renderGame(r).then((draw) => {
      if (draw === null || info.stale) return;
      // worker = the job (its calls); draw = this drawing's stages
      const segments = { worker: r.ms, draw };
      clock.drawn('game-first', params._stamp, segments); // when nothing was drawn earlier (all memoized)
      clock.drawn('game', params._stamp, segments);
    });
  },
  onBusy: (busy) => { gameBusy = busy; markRendered(); },
});
hook.runners = { decode: decodeRunner, game: gameRunner };

let lastDecode = '', lastGame = '';
function recompute(changed) {
  const v = { ...state.values };
  const dk = decodeKey(v), gk = gameKey(v);
  const figs = [...(dk !== lastDecode ? ['decode-first', 'decode'] : []), ...(gk !== lastGame ? ['game-first', 'game'] : [])];
  const stamp = clock.mark(changed ? [...changed] : ['load'], figs);
  if (dk !== lastDecode) { lastDecode = dk; manual = false; pendingCursor = false; requestDecode(stamp); }
  if (gk !== lastGame) { lastGame = gk; gameStamp = stamp; gameRunner.request({ ...v, _stamp: stamp }); }
  markRendered();
}

teacher.apply();
document.body.dataset.busy = '1';
recompute();
