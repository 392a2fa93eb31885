// pivoting.js — "which columns matter?": column interpolative decompositions by
// CPQR, adaptive random pivoting (RPQR), blockwise random/greedy pivoting
// (BRP/BGP), robust blockwise random pivoting (RBRP) and sketch + CPQR/LUPP,
// on the Gaussian-mixture matrix that defeats blockwise sampling (research
// statement §1.1, Figure 2) and on 2-D kernel point clouds. Every computation
// runs in the worker (sketchlab's gallery() and id() with trace + curve); the
// page animates the trace step by step. All state lives in the URL hash.

import { createState } from './lib/state.js';
import { linkNotice } from './lib/link-notice.js';
import { slider, select, checkbox, numberBox, formatNumber } from './lib/controls.js';
import { teacherPanel } from './lib/teacher.js';
import { liveChart, logAxis, linearAxis, setData, PALETTE, SERIES, fillTable, formatSci } from './lib/charts.js';
import { createRunner, showStatus, getClient, isAbort } from './lib/compute.js';
import { createStepper } from './lib/stepper.js';
import { createStagedDrawing } from './lib/staged.js';

const SEED_MAX = 2 ** 31 - 2;
const DATA_SEED = 2024; // the data stay fixed; the seed moves the random sampling
const METHODS = ['cpqr', 'rpqr', 'brp', 'bgp', 'rbrp', 'sketch-cpqr', 'sketch-lupp', 'adaptive-lupp'];
const LABEL = {
  cpqr: 'CPQR', rpqr: 'RPQR', brp: 'BRP', bgp: 'BGP', rbrp: 'RBRP', 'sketch-cpqr': 'Sketch+CPQR', 'sketch-lupp': 'Sketch+LUPP',
  'adaptive-lupp': 'Adaptive LUPP',
};
const LONG = {
  cpqr: 'CPQR — greedy, one point per step', rpqr: 'RPQR — adaptive sampling, one per step',
  brp: 'BRP — blockwise sampling, keeps all', bgp: 'BGP — blockwise greedy (top b)',
  rbrp: 'RBRP — blockwise sampling + filter', 'sketch-cpqr': 'Sketch + CPQR', 'sketch-lupp': 'Sketch + LUPP',
  'adaptive-lupp': 'Adaptive LUPP — a fresh sketch per block',
};
const COLOR = {
  cpqr: PALETTE.black, rpqr: PALETTE.blue, brp: PALETTE.orange, bgp: PALETTE.purple, rbrp: PALETTE.green,
  'sketch-cpqr': PALETTE.sky, 'sketch-lupp': PALETTE.grey, 'adaptive-lupp': PALETTE.vermillion,
};
const DASH = { cpqr: [2, 3], rpqr: [], brp: [8, 3], bgp: [4, 2], rbrp: [], 'sketch-cpqr': [1, 2], 'sketch-lupp': [6, 2, 1, 2], 'adaptive-lupp': [3, 3] };
const POINT = { cpqr: 'rect', rpqr: 'circle', brp: 'triangle', bgp: 'rectRot', rbrp: 'star', 'sketch-cpqr': 'crossRot', 'sketch-lupp': 'cross', 'adaptive-lupp': 'triangle' };
/**
 * Randomly pivoted Cholesky variants, shown for the kernel data sets (Figures
 * 3–4): the same picking story on a PSD matrix, K ≈ F·Fᵀ, sampling by the
 * residual diagonal (Chen, Epperly, Tropp, Webber, CPAM 2025).
 */
const CHOL_METHODS = ['random', 'rbrp', 'greedy', 'uniform'];
const CHOL_LABEL = { random: 'RPCholesky', rbrp: 'Block RPCholesky + filter', greedy: 'Greedy (pivoted Cholesky)', uniform: 'Uniform sampling' };
const CHOL_COLOR = { random: PALETTE.blue, rbrp: PALETTE.green, greedy: PALETTE.black, uniform: PALETTE.orange };
const CHOL_DASH = { random: [], rbrp: [6, 2], greedy: [2, 3], uniform: [8, 3] };

const DATASETS = {
  gmm: 'Gaussian mixture (adversarial for blocks)',
  smile: 'Smile: 2-D points, Gaussian kernel',
  robspiral: 'Spiral: 2-D points, Gaussian kernel',
};
/** Sizes chosen per dataset when the dataset control changes (each redraws in ~0.2 s). */
const PRESETS = {
  gmm: { n: 1000, rank: 120, block: 30 },
  smile: { n: 500, rank: 60, block: 20 },
  robspiral: { n: 500, rank: 40, block: 20 },
};
const BANDWIDTH = { smile: 2, robspiral: 1000 };

/** The page state, declared once (TensorFlow Playground style). */
const PROPS = [
  { name: 'methods', type: 'string', default: 'rpqr,brp,rbrp', pattern: /^[a-z,-]{0,100}$/, maxLength: 100 },
  { name: 'data', type: 'enum', default: 'gmm', values: Object.keys(DATASETS) },
  { name: 'n', type: 'int', default: 1000, min: 100, max: 2000 },
  { name: 'dim', type: 'int', default: 200, min: 10, max: 500 },
  { name: 'clusters', type: 'int', default: 100, min: 5, max: 200 },
  { name: 'stop', type: 'enum', default: 'rank', values: ['rank', 'tol'] },
  { name: 'rank', type: 'int', default: 120, min: 1, max: 500 },
  { name: 'tol', type: 'number', default: 1e-3, min: 1e-8, max: 0.5 },
  { name: 'block', type: 'int', default: 30, min: 1, max: 200 },
  { name: 'seed', type: 'int', default: 1, min: 0, max: SEED_MAX },
  { name: 'step', type: 'int', default: 1, min: 0, max: 5000 },
];
const NAMES = {
  methods: 'methods', data: 'data set', n: 'number of points', dim: 'dimension', clusters: 'clusters', stop: 'stopping rule',
  rank: 'rank k', tol: 'tolerance', block: 'block size', seed: 'seed', step: 'Step / Play buttons',
};

export function parseMethods(text) {
  const set = new Set(String(text).split(','));
  return METHODS.filter((m) => set.has(m));
}

// ------------------------------------------------------------------ numerics (worker calls)

/** Within-cluster spread is magnified by this factor in the drawing (documented in the caption). */
const SPREAD = 3;

/**
 * Fixed display projection of the GMM points: axis e_c → angle 6πc/C (a
 * three-turn spiral, outer = larger norm); the noise around each cluster
 * centre 10·c·e_c is magnified ×SPREAD so that points of one cluster are
 * told apart.
 */
function projectGmm(A, clusters) {
  const d = A.rows, n = A.cols, xy = new Float64Array(2 * n);
  const cs = new Float64Array(clusters), sn = new Float64Array(clusters);
  const scale = 1 / Math.sqrt(clusters / 2);
  for (let c = 0; c < clusters; c++) { const t = (6 * Math.PI * (c + 1)) / clusters; cs[c] = Math.cos(t) * scale; sn[c] = Math.sin(t) * scale; }
  const per = n / clusters;
  for (let j = 0; j < n; j++) {
    const c0 = Math.floor(j / per); // 0-based cluster of point j
    let x = 0, y = 0;
    for (let c = 0; c < clusters && c < d; c++) {
      const a = A.data[c + j * d] - (c === c0 ? 10 * (c0 + 1) : 0);
      x += a * cs[c]; y += a * sn[c];
    }
    xy[2 * j] = 10 * (c0 + 1) * cs[c0] + SPREAD * x;
    xy[2 * j + 1] = 10 * (c0 + 1) * sn[c0] + SPREAD * y;
  }
  return xy;
}

function dataKey(v) {
  return v.data === 'gmm' ? `gmm:${v.n}:${v.dim}:${v.clusters}` : `${v.data}:${v.n}`;
}

/**
 * The computed data sets, most recently used last, as promises so that a job
 * can wait for a data set the background lane is still preparing. Bounded in
 * bytes, counted as if each held its matrix (one not yet handed to a worker
 * does; see residentEntry): a school laptop keeps a few 2000×2000 kernels at most.
 */
const DATA_CACHE_BYTES = 96e6;
const dataCache = new Map(); // dataKey → { promise, bytes }

function dataBytes(v) {
  return 8 * (v.data === 'gmm' ? v.dim * v.n : v.n * v.n);
}

/**
 * The data set of state v, from the cache or computed: the matrix on worker
 * lane `lane`, its singular values on `spectrumLane` (another lane, so the
 * optimal curve is computed while the pivoting runs); `signal` cancels both.
 * See loadData.
 */
function getData(v, lane, spectrumLane, signal) {
  const key = dataKey(v);
  let entry = dataCache.get(key);
  if (entry) {
    dataCache.delete(key); // re-insert: most recently used last
    dataCache.set(key, entry);
    return entry.promise;
  }
  entry = { promise: loadData(v, lane, spectrumLane, signal), bytes: dataBytes(v) };
  // A cancelled or failed load must not stay cached.
  const forget = () => { if (dataCache.get(key) === entry) dataCache.delete(key); };
  entry.promise.then((data) => data.spectrum.catch(forget), forget);
  dataCache.set(key, entry);
  let total = 0;
  for (const e of dataCache.values()) total += e.bytes;
  for (const [k, e] of dataCache) {
    if (total <= DATA_CACHE_BYTES || k === key) break;
    dataCache.delete(k);
    total -= e.bytes;
  }
  return entry.promise;
}

/** t[k] = Σ_{i>=k} x_i for k = 0..x.length (so t[k] is the optimal error at rank k for sorted x). */
function suffixSums(x) {
  const t = new Float64Array(x.length + 1);
  for (let i = x.length - 1; i >= 0; i--) t[i] = t[i + 1] + x[i];
  return t;
}

/**
 * Build a data set: { kind, gallery, rows, cols, xy (drawing coordinates),
 * points, ms, spectrum, spare }. The matrix itself does not stay on this
 * thread: `gallery` are the arguments of the worker call that makes it (a
 * fixed seed: the same bits every time, in any worker), and `spare` is the
 * copy this call got, { client, A }, until residentEntry hands it (without a
 * copy) to the worker of the lane that made it; another worker makes its own.
 * `spectrum` is a promise that, once the SVD (GMM) or eigenvalues (kernel) are
 * in, adds s2 (squared singular values), norm2 = ‖A‖²_F and
 * tail[k] = Σ_{i>k} σ_i² (the optimal squared error at rank k) to the object.
 */
async function loadData(v, lane, spectrumLane, signal) {
  const t0 = performance.now();
  const client = await getClient(lane);
  let data, spectrum;
  if (v.data === 'gmm') {
    const clusters = Math.min(v.clusters, v.dim);
    const points = Math.max(clusters, Math.floor(v.n / clusters) * clusters);
    const gallery = ['gmm', { dim: v.dim, points, clusters, seed: DATA_SEED }];
    const A = await client.call('gallery', gallery, { signal });
    data = { kind: 'gmm', gallery, rows: A.rows, cols: A.cols, xy: projectGmm(A, clusters), clusters, points, dim: v.dim, spare: { client, A } };
    spectrum = onResident(spectrumLane, data, signal, (c, T) => c.call('svd', [T, { vectors: false }], { signal }))
      .then(({ s }) => Float64Array.from(s, (x) => x * x));
  } else {
    const opts = { points: v.n, bandwidth: BANDWIDTH[v.data] };
    if (v.data === 'smile') opts.seed = DATA_SEED;
    const gallery = [v.data, opts];
    const g = await client.call('gallery', gallery, { signal });
    const xy = new Float64Array(2 * v.n);
    xy.set(g.points.data);
    data = {
      kind: 'kernel', gallery, rows: g.matrix.rows, cols: g.matrix.cols, xy, points: v.n, bandwidth: g.bandwidth, cloud: g.points,
      spare: { client, A: g.matrix },
    };
    // K is PSD: its singular values are its eigenvalues (descending, rounding negatives to 0).
    spectrum = onResident(spectrumLane, data, signal, (c, T) => c.call('eigh', [T, { vectors: false }], { signal })).then(({ values }) => {
      const ev = Float64Array.from(values, (x) => Math.max(x, 0)).reverse();
      // traceTail[k] = Σ_{i>k} λ_i: the smallest tr(K − K̂) over PSD K̂ ⪯ K of rank k (Figure 4)
      data.traceTail = suffixSums(ev);
      return ev.map((x) => x * x);
    });
  }
  data.ms = performance.now() - t0;
  data.spectrum = spectrum.then((s2) => {
    const tail = suffixSums(s2);
    Object.assign(data, { s2, norm2: tail[0], tail, spectrumMs: performance.now() - t0 });
    return data;
  });
  return data;
}

/** A worker call on `lane` that the job's AbortSignal cancels (onProgress: the worker client's events). */
function laneCall(lane, signal) {
  return async (name, args, onProgress) => {
    const client = await getClient(lane);
    return client.call(name, args, { signal, onProgress });
  };
}

/** The randomly pivoted Cholesky runs of Figures 3–4, one after another on `call`'s worker. */
async function runCholesky(v, data, rank, call) {
  const chol = [];
  for (const method of CHOL_METHODS) {
    const opts = { method, blockSize: v.block, seed: v.seed, trace: true };
    if (v.stop === 'rank') opts.rank = rank; else opts.tol = v.tol;
    // The time inside the worker: the call may first wait there for the optimal curve's eigh.
    let ms = NaN;
    const onProgress = (ev) => { if (ev.phase === 'done') ms = 1000 * ev.seconds; };
    // Matrix-free, as RPCholesky is meant to run: the worker evaluates only the k columns of K it reads.
    const r = await call('rpcholesky', [{ points: data.cloud, bandwidth: data.bandwidth }, opts], onProgress);
    chol.push({ method, r, ms });
  }
  return chol;
}

/*
 * The figure's matrix, kept in each worker that runs on it (client.keep): the
 * ID methods all run on it, and sending it for every call would cost more than
 * some of the runs. Kept with { transfer: true }: it is never copied or cloned
 * on this thread. On a school laptop (CPU throttled 4×) each copy or
 * structured clone of a 900×900 kernel took 150–400 ms of main thread, and a
 * new data set used to cost five of them (docs/PERFORMANCE.md). Instead, each
 * worker gets its own matrix from a gallery call on that worker (same
 * arguments and seed, so the same bits), which comes back transferred and is
 * moved back in with the first call. A worker stopped by a cancelled job takes
 * its copy with it (client.holds turns false); the next use makes it again.
 * Per worker, the tokens of other data sets are released once no call uses them.
 */
const residents = new Map(); // worker client → [{ data, promise (→ token), token, uses }], most recent last

/** The entry of data's matrix in client's worker, made (or re-made after its worker was stopped) if needed. */
function residentEntry(client, data, signal) {
  const list = residents.get(client) ?? [];
  residents.set(client, list);
  let e = list.find((x) => x.data === data && (!x.token || client.holds(x.token)));
  if (e) {
    list.splice(list.indexOf(e), 1);
    list.push(e);
    return e;
  }
  e = { data, token: null, uses: 0 };
  e.promise = (async () => {
    let A;
    if (data.spare?.client === client) { A = data.spare.A; data.spare = null; } else {
      const g = await client.call('gallery', data.gallery, { signal });
      A = data.kind === 'gmm' ? g : g.matrix;
    }
    e.token = client.keep(A, { transfer: true });
    return e.token;
  })();
  // a failed or cancelled gallery call: forget the entry so that the next use tries again
  e.promise.catch(() => { const i = list.indexOf(e); if (i >= 0) list.splice(i, 1); });
  list.push(e);
  return e;
}

/** Release client's tokens for other data sets than the most recent one that no call is using. */
function sweepResidents(client) {
  const list = residents.get(client) ?? [];
  for (const e of list.slice(0, -1)) {
    if (e.uses > 0 || !e.token) continue;
    list.splice(list.indexOf(e), 1);
    client.release(e.token);
  }
}

/** use(client, token) with data's matrix resident in `lane`'s worker (a lane name or a client). */
async function onResident(lane, data, signal, use) {
  const client = typeof lane === 'string' ? await getClient(lane) : lane;
  const e = residentEntry(client, data, signal);
  e.uses++;
  try {
    const token = await e.promise;
    sweepResidents(client);
    return await use(client, token);
  } finally {
    e.uses--;
    sweepResidents(client);
  }
}

/**
 * CUR on the first method's column skeleton (rows from a pivoted QR of C, core
 * U = C⁺AR⁺), in the background lane: the table's note compares it with the ID.
 */
async function runCur(data, method, cols, signal) {
  const r = await onResident('background', data, signal, (c, T) => c.call('cur', [T, { cols }], { signal }));
  return { method, rank: r.rank, residual: r.residual };
}

async function job(v, { call, signal, client }) {
  const t0 = performance.now();
  const methods = parseMethods(v.methods);
  const fresh = !dataCache.has(dataKey(v));
  const data = await getData(v, 'main', 'background', signal);
  const minmn = Math.min(data.rows, data.cols);
  const rank = Math.min(v.rank, minmn);
  // The sketch methods need a rank: in tolerance mode, the smallest k whose
  // optimal error meets tol, which needs the spectrum first.
  let tolRank = NaN;
  const needTolRank = v.stop === 'tol' && methods.some((m) => m.startsWith('sketch'));
  const findTolRank = () => {
    let k = 1;
    while (k < minmn && data.tail[k] > v.tol * data.norm2) k++;
    return k;
  };
  if (needTolRank) { await data.spectrum; tolRank = findTolRank(); }
  // Figures 3–4 (kernel data): RPCholesky in the background lane, alongside the ID methods.
  const cholesky = data.kind === 'kernel' ? runCholesky(v, data, rank, laneCall('background', signal)) : Promise.resolve([]);
  cholesky.catch(() => {}); // its failure is reported through the await below, not as unhandled
  const idOpts = (method) => {
    // One pivot per step (cpqr, rpqr): the trace already holds the error after every column.
    const single = method === 'cpqr' || method === 'rpqr';
    const opts = { method, blockSize: v.block, seed: v.seed, trace: true, curve: !single, interp: false };
    let note = '';
    if (v.stop === 'rank') opts.rank = rank;
    else if (method.startsWith('sketch')) { opts.rank = tolRank; note = `rank ${tolRank} from the SVD (sketch methods need a rank)`; } else opts.tol = v.tol;
    return { opts, single, note };
  };
  // CUR on the first method's columns, started as soon as they are known. Secondary:
  // the figure does not wait for it; onResult fills the note when it arrives.
  let cur = Promise.resolve(null);
  const results = [];
  if (methods.length) {
    await onResident(client, data, signal, async (_, A) => {
      for (const method of methods) {
        const { opts, single, note } = idOpts(method);
        const t = performance.now();
        const r = await call('id', [A, opts]);
        if (results.length === 0) {
          cur = runCur(data, method, r.cols, signal);
          cur.catch(() => {}); // handled in showCur
        }
        if (single) r.curve = Float64Array.from(r.trace, (st) => st.residual);
        results.push({ method, r, ms: performance.now() - t, note });
      }
    });
  }
  const chol = await cholesky;
  await data.spectrum;
  if (Number.isNaN(tolRank)) tolRank = findTolRank();
  return {
    data, results, chol, cur: null, curPromise: cur, rank, tolRank, params: { ...v }, ms: performance.now() - t0,
    dataMs: fresh ? data.ms : 0, spectrumMs: fresh ? data.spectrumMs : 0,
  };
}

// ------------------------------------------------------------------ page

const $ = (id) => document.getElementById(id);
const statusEl = $('status');
const hook = (globalThis.__sketchlab = { renders: 0, lastResult: null, requestedAt: NaN, latencies: [], timings: [] });

const state = createState(PROPS, {
  onChange: (values, changed, info) => { syncControls(); if (info?.hiddenChanged) applyTeacher(); recompute(); },
});
hook.state = state;
linkNotice(state);

// Controls --------------------------------------------------------------
const set = (name) => (x) => state.set({ [name]: x });
const methodBoxes = {};
for (const m of METHODS) {
  methodBoxes[m] = checkbox({
    name: `m-${m}`, label: LONG[m], value: parseMethods(state.values.methods).includes(m),
    onChange: () => state.set({ methods: METHODS.filter((x) => methodBoxes[x].value).join(','), step: 1 }),
  });
  methodBoxes[m].el.style.setProperty('--swatch', COLOR[m]);
  methodBoxes[m].el.classList.add('method-check');
  $('ctl-methods').append(methodBoxes[m].el);
}
const controls = {
  data: select({
    name: 'data', label: 'Data set', value: state.values.data,
    options: Object.entries(DATASETS).map(([value, label]) => ({ value, label })),
    onChange: (x) => state.set({ data: x, ...PRESETS[x], step: 1 }),
  }),
  n: slider({ name: 'n', label: 'Points n', min: 100, max: 2000, step: 100, int: true, value: state.values.n, unit: 'points', onInput: set('n') }),
  dim: slider({ name: 'dim', label: 'Dimension d', min: 10, max: 500, step: 10, int: true, value: state.values.dim, unit: 'dims', help: 'GMM only; needs d ≥ clusters', onInput: set('dim') }),
  clusters: slider({ name: 'clusters', label: 'Clusters', min: 5, max: 200, step: 5, int: true, value: state.values.clusters, help: 'GMM only', onInput: set('clusters') }),
  stop: select({
    name: 'stop', label: 'Stop at', value: state.values.stop,
    options: [{ value: 'rank', label: 'a fixed number of columns k' }, { value: 'tol', label: 'a tolerance (rank-adaptive)' }],
    onChange: (x) => state.set({ stop: x, step: 1 }),
  }),
  rank: slider({ name: 'rank', label: 'Columns k', min: 1, max: 500, int: true, value: state.values.rank, unit: 'columns', onInput: set('rank') }),
  tol: slider({
    name: 'tol', label: 'Tolerance', min: 1e-8, max: 0.5, log: true, ticks: 160, value: state.values.tol,
    format: (x) => formatSci(x), help: 'stop once ‖A − A(:,S)T‖²_F ≤ tol·‖A‖²_F', onInput: set('tol'),
  }),
  block: slider({ name: 'block', label: 'Block size b', min: 1, max: 200, int: true, value: state.values.block, unit: 'per step', help: 'points sampled per step (BRP, BGP, RBRP, adaptive LUPP)', onInput: set('block') }),
  seed: numberBox({ name: 'seed', label: 'Seed', min: 0, max: SEED_MAX, int: true, value: state.values.seed, help: 'Same seed, same samples: share it with the class.', onChange: set('seed') }),
};
$('ctl-data').append(controls.data.el, controls.n.el, controls.dim.el, controls.clusters.el);
$('ctl-stop').append(controls.stop.el, controls.rank.el, controls.tol.el);
$('ctl-sampling').append(controls.block.el, controls.seed.el);

function syncControls() {
  const v = state.values;
  for (const [name, c] of Object.entries(controls)) if (c.value !== v[name]) c.set(v[name]);
  const sel = parseMethods(v.methods);
  for (const m of METHODS) methodBoxes[m].set(sel.includes(m));
  const gmm = v.data === 'gmm';
  controls.dim.el.hidden = !gmm || state.hidden('dim');
  controls.clusters.el.hidden = !gmm || state.hidden('clusters');
  controls.rank.el.hidden = v.stop !== 'rank' || state.hidden('rank');
  controls.tol.el.hidden = v.stop !== 'tol' || state.hidden('tol');
}

const stepper = createStepper($('stepper'), {
  labels: { step: 'Step' },
  titles: { step: 'One more sampling step for every method', play: 'Keep stepping', reset: 'Back to step 0' },
  speeds: [1, 2, 4, 8, 16],
  speed: 2,
  onStep: async () => {
    await runner.idle();
    const max = maxSteps();
    if (state.values.step >= max) { stepper.pause(); return; }
    state.set({ step: Math.min(state.values.step + 1, max) });
  },
  onReset: () => state.set({ step: 0 }),
});

// Teacher link -----------------------------------------------------------
const allControls = { methods: { el: $('ctl-methods') }, ...controls, step: { el: $('stepper') } };
const teacher = teacherPanel({
  state, props: PROPS, names: NAMES, controls: () => allControls, onApplied: syncControls,
  keepFieldset: (fs) => fs.contains($('ctl-methods')) && !$('ctl-methods').hidden,
});
function applyTeacher() { teacher.apply(); }

// Figure 1: point panels --------------------------------------------------
const panels = new Map(); // method -> { root, title, canvas, meta, bar } (Figure 1)
const cholPanels = new Map(); // the same for Figure 3

function panelFor(method, map = panels, color = COLOR[method]) {
  let p = map.get(method);
  if (p) return p;
  const root = document.createElement('div');
  root.className = 'pivot-panel';
  root.dataset.method = method;
  const title = document.createElement('h3');
  title.className = 'pivot-title';
  const swatch = document.createElement('span');
  swatch.className = 'pivot-swatch';
  swatch.style.background = color;
  const name = document.createElement('span');
  title.append(swatch, name);
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  const meta = document.createElement('p');
  meta.className = 'pivot-meta';
  const bar = document.createElement('div');
  bar.className = 'pivot-bar';
  const fill = document.createElement('span');
  bar.append(fill);
  bar.setAttribute('aria-hidden', 'true');
  root.append(title, canvas, bar, meta);
  p = { root, name, canvas, meta, fill };
  map.set(method, p);
  return p;
}

/** Put the panels of `methods` into `wrap` in that order, dropping the others. */
function placePanels(wrap, map, methods, color) {
  const shown = new Set(methods);
  for (const [m, p] of map) if (!shown.has(m)) { p.root.remove(); map.delete(m); }
  return methods.map((m, i) => {
    const p = panelFor(m, map, color(m));
    if (wrap.children[i] !== p.root) wrap.insertBefore(p.root, wrap.children[i] ?? null);
    return p;
  });
}

/** The per-method state after `step` trace steps. */
function stepState(res, step) {
  const tr = res.r.trace;
  const t = Math.min(step, tr.length);
  const old = [];
  for (let i = 0; i < t - 1; i++) tr[i].candidates.forEach((c, j) => { if (tr[i].accepted[j]) old.push(c); });
  const cur = t > 0 ? tr[t - 1] : null;
  return { t, total: tr.length, old, cur, rank: cur ? cur.rank : 0, residual: cur ? cur.residual : 1 };
}

function drawPanel(p, data, st, floorLog) {
  const canvas = p.canvas;
  const w = Math.max(120, Math.round(canvas.clientWidth || 300));
  const h = Math.round(w * 0.8);
  const dpr = Math.min(2, globalThis.devicePixelRatio || 1);
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const xy = data.xy, n = xy.length / 2;
  if (!data.box) {
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let j = 0; j < n; j++) { x0 = Math.min(x0, xy[2 * j]); x1 = Math.max(x1, xy[2 * j]); y0 = Math.min(y0, xy[2 * j + 1]); y1 = Math.max(y1, xy[2 * j + 1]); }
    data.box = { x0, x1, y0, y1 };
  }
  const { x0, x1, y0, y1 } = data.box;
  const pad = 8, sc = Math.min((w - 2 * pad) / (x1 - x0 || 1), (h - 2 * pad) / (y1 - y0 || 1));
  const ox = (w - sc * (x1 - x0)) / 2, oy = (h - sc * (y1 - y0)) / 2;
  const X = (j) => ox + sc * (xy[2 * j] - x0), Y = (j) => h - (oy + sc * (xy[2 * j + 1] - y0));
  const small = w < 260;
  // all points: the same in every panel of this size and at every step, so drawn
  // once per data set and size into a layer that the panels copy (a 1000-point
  // layer is most of a panel's drawing time)
  const key = `${w}x${h}@${dpr}`;
  data.pointsLayers ??= new Map(); // key → canvas; Figures 1 and 3 may have panels of two sizes
  let layer = data.pointsLayers.get(key);
  if (!layer) {
    layer = document.createElement('canvas');
    layer.width = canvas.width;
    layer.height = canvas.height;
    const lc = layer.getContext('2d');
    lc.setTransform(dpr, 0, 0, dpr, 0, 0);
    lc.fillStyle = 'rgba(86, 120, 160, 0.35)';
    const r0 = small ? 1.1 : 1.5;
    for (let j = 0; j < n; j++) { lc.beginPath(); lc.arc(X(j), Y(j), r0, 0, 2 * Math.PI); lc.fill(); }
    if (data.pointsLayers.size >= 4) data.pointsLayers.delete(data.pointsLayers.keys().next().value); // old sizes (a resize)
    data.pointsLayers.set(key, layer);
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(layer, 0, 0);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  // picked earlier
  ctx.fillStyle = '#8c1c13';
  for (const j of st.old) { ctx.beginPath(); ctx.arc(X(j), Y(j), small ? 2 : 2.6, 0, 2 * Math.PI); ctx.fill(); }
  // this step: filtered out (gray ring) then picked (red, white edge)
  if (st.cur) {
    const R = small ? 3.4 : 4.6;
    ctx.lineWidth = 1.5;
    st.cur.candidates.forEach((j, i) => {
      if (st.cur.accepted[i]) return;
      ctx.beginPath(); ctx.arc(X(j), Y(j), R, 0, 2 * Math.PI);
      ctx.fillStyle = 'rgba(150,150,150,0.85)'; ctx.fill(); ctx.strokeStyle = '#333'; ctx.stroke();
    });
    st.cur.candidates.forEach((j, i) => {
      if (!st.cur.accepted[i]) return;
      ctx.beginPath(); ctx.arc(X(j), Y(j), R, 0, 2 * Math.PI);
      ctx.fillStyle = '#e0301e'; ctx.fill(); ctx.strokeStyle = '#fff'; ctx.stroke();
    });
  }
  // residual bar: log scale from 1 (empty) down to the floor (full)
  const frac = st.residual >= 1 ? 0 : Math.min(1, Math.log10(Math.max(st.residual, 1e-300)) / floorLog);
  p.fill.style.width = `${(100 * frac).toFixed(1)}%`;
}

// Figure 2: error vs rank ------------------------------------------------
const errChart = liveChart($('chart-error'), {
  label: 'Relative error against the number of picked columns: waiting for the first computation.',
  datasets: [],
  scales: { x: linearAxis({ title: 'columns picked k', min: 0, integer: true }), y: logAxis({ title: 'relative error', max: 1 }) },
});
hook.charts = { error: errChart };

function maxSteps() {
  return hook.lastResult ? maxStepsOf(hook.lastResult) : 0;
}

function optimal(data, k) { return Math.sqrt(Math.max(data.tail[Math.min(k, data.tail.length - 1)], 0) / data.norm2); }

// Figures 3–4: randomly pivoted Cholesky on the kernel data sets ----------
const cholChart = liveChart($('chart-chol'), {
  label: 'Relative trace error of randomly pivoted Cholesky against the number of picked points: shown for the kernel data sets.',
  datasets: [],
  scales: { x: linearAxis({ title: 'points picked k', min: 0, integer: true }), y: logAxis({ title: 'tr(K − FFᵀ) / tr(K)', max: 1 }) },
});
hook.charts.chol = cholChart;

/** Figure 3 (the section holding Figures 3–4 and their table is hidden unless the data set is a kernel matrix). */
function renderCholeskyPanels(r, step) {
  const { data, chol } = r;
  const section = $('chol-section');
  section.hidden = chol.length === 0;
  if (section.hidden) return;
  const states = chol.map((x) => stepState(x, step));
  let floor = 1;
  for (const x of chol) floor = Math.min(floor, x.r.residual);
  const floorLog = Math.log10(Math.max(floor / 2, 1e-16)) || -1;
  placePanels($('chol-panels'), cholPanels, chol.map((x) => x.method), (m) => CHOL_COLOR[m]).forEach((p, i) => {
    const x = chol[i], st = states[i];
    p.name.textContent = CHOL_LABEL[x.method];
    drawPanel(p, data, st, floorLog);
    const picked = st.cur ? st.cur.accepted.reduce((a, b) => a + b, 0) : 0;
    const dropped = st.cur ? st.cur.candidates.length - picked : 0;
    const why = x.method === 'rbrp' ? 'filtered out' : 'dropped (already explained)';
    p.meta.textContent = `step ${st.t} of ${st.total} · k = ${st.rank} · trace error ${formatSci(st.residual)}` +
      (st.cur ? ` · this step: ${picked} picked${dropped ? `, ${dropped} ${why}` : ''}` : ' · press Step');
    p.canvas.setAttribute('aria-label', `${CHOL_LABEL[x.method]}: after step ${st.t} of ${st.total}, ${st.rank} points picked; ` +
      `relative trace error ${formatSci(st.residual)}.`);
  });

}

/** Figure 4: relative trace error after each step, next to the best rank-k PSD approximation; and the table. */
function renderCholeskyChart(r, step) {
  const { data, chol } = r;
  if (chol.length === 0) return;
  const v = state.values;
  const states = chol.map((x) => stepState(x, step));
  const kmax = Math.max(1, ...chol.map((x) => x.r.rank));
  const total = data.traceTail[0];
  const best = (k) => Math.max(data.traceTail[Math.min(k, data.traceTail.length - 1)] / total, 1e-17);
  const ds = [{ label: 'optimal (eigenvalues)', data: Array.from({ length: kmax + 1 }, (_, k) => ({ x: k, y: best(k) })),
    borderColor: PALETTE.black, backgroundColor: PALETTE.black, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, pointStyle: 'line' }];
  for (const x of chol) {
    const pts = [{ x: 0, y: 1 }, ...x.r.trace.map((st) => ({ x: st.rank, y: Math.max(st.residual, 1e-17) }))];
    ds.push({ label: CHOL_LABEL[x.method], data: pts, borderColor: CHOL_COLOR[x.method], backgroundColor: CHOL_COLOR[x.method],
      borderDash: CHOL_DASH[x.method], borderWidth: 2, pointRadius: 0, pointStyle: 'line' });
  }
  ds.push({ label: 'now (current step)', data: states.map((st) => ({ x: st.rank, y: Math.max(st.residual, 1e-17) })), showLine: false,
    pointRadius: 6, pointStyle: 'circle', pointBackgroundColor: chol.map((x) => CHOL_COLOR[x.method]), pointBorderColor: '#fff',
    borderColor: PALETTE.black, backgroundColor: PALETTE.black });
  if (v.stop === 'tol') {
    ds.push({ label: 'tol', data: [{ x: 0, y: v.tol }, { x: kmax, y: v.tol }], borderColor: PALETTE.grey, borderDash: [2, 3], borderWidth: 1.5, pointRadius: 0, pointStyle: 'line' });
  }
  let lo = 1;
  for (const d of ds) for (const p of d.data) lo = Math.min(lo, p.y);
  cholChart.options.scales.y.min = Math.pow(10, Math.floor(Math.log10(Math.max(lo, 1e-17))));
  cholChart.options.scales.x.max = kmax;
  cholChart.data.datasets = ds;
  setData(cholChart, [], `Log-scale plot of the relative trace error tr(K − FFᵀ)/tr(K) against the number of picked points for ` +
    `${chol.map((x) => CHOL_LABEL[x.method]).join(', ')} and the optimal curve from the eigenvalues. At the end: ` +
    `${chol.map((x) => `${CHOL_LABEL[x.method]} ${x.r.rank} points, trace error ${formatSci(x.r.residual)}`).join('; ')}.`);

  const notes = [];
  fillTable($('chol-table'), ['method', 'steps', 'points k', 'trace error', 'optimal', 'error / optimal', 'time (ms)'], chol.map((x) => {
    const k = x.r.rank, opt = best(k);
    let drawn = 0;
    for (const st of x.r.trace) drawn += st.candidates.length;
    // A draw already explained by the earlier picks (to rounding) is dropped; uniform
    // sampling, which ignores the residual, can spend most of its draws that way.
    const star = x.method !== 'rbrp' && drawn > k;
    if (star) notes.push(`* ${CHOL_LABEL[x.method]}: ${drawn - k} of its ${drawn} draws were points already explained by the earlier picks (to rounding), so they were dropped and it ends with ${k} points.`);
    return [CHOL_LABEL[x.method] + (star ? ' *' : ''), x.r.trace.length, k, x.r.residual, opt, opt > 1e-16 ? x.r.residual / opt : '—', x.ms.toFixed(1)];
  }));
  $('chol-notes').textContent = notes.join(' ');
}

/*
 * Drawing a result is split in stages (Figure 1's panels, Figure 2, the table
 * and readout, Figure 3's panels, Figure 4 and its table): on a slow laptop the first drawing of a new
 * result took one main-thread task of ~0.75 s (Chart.js's first layout, cold
 * code), during which a click or a key press waited. renderInStages() runs
 * the stages as separate tasks (web/lib/staged.js), so input is handled
 * between them; render() runs them at once (Step, Play, resize: later redraws
 * are short). The same stages draw the same numbers either way. A newer render
 * (of any kind) supersedes the stages still waiting.
 */
const drawing = createStagedDrawing();

function render(r) {
  hook.lastResult = r;
  drawing.now(renderStages(r));
  rendered();
}

/** Resolves true once every stage is drawn, false if a newer render took over. */
async function renderInStages(r) {
  const hash = state.hash(); // the state this result was computed for (it may change between stages)
  hook.lastResult = r;
  if (!(await drawing.inStages(renderStages(r)))) return false;
  rendered(hash);
  return true;
}

function rendered(hash = state.hash()) {
  hook.renders++;
  document.body.dataset.renders = String(hook.renders);
  document.body.dataset.rendered = hash;
  if (hook.renders === 1) warmUp().then(prefetchDatasets);
}

function renderStages(r) {
  const v = state.values;
  const { data, results } = r;
  const step = v.step;
  const summary = [];
  const figure1Stage = () => {
    // Panels (in method order; drop the ones not shown)
    const figure1 = placePanels($('panels'), panels, results.map((x) => x.method), (m) => COLOR[m]);
    let floor = 1;
    for (const x of results) floor = Math.min(floor, x.r.residual);
    const floorLog = Math.log10(Math.max(floor / 2, 1e-16)) || -1;
    results.forEach((x, i) => {
      const p = figure1[i];
      const st = stepState(x, step);
      p.name.textContent = LABEL[x.method];
      drawPanel(p, data, st, floorLog);
      const picked = st.cur ? st.cur.accepted.reduce((a, b) => a + b, 0) : 0;
      const sampled = st.cur ? st.cur.candidates.length : 0;
      const dropped = sampled - picked;
      p.meta.textContent = `step ${st.t} of ${st.total} · k = ${st.rank} · error ${formatSci(st.residual)}` +
        (st.cur ? ` · this step: ${picked} picked${dropped ? `, ${dropped} filtered out` : ''}` : ' · press Step');
      p.canvas.setAttribute('aria-label', `${LONG[x.method]}: ${data.points} points; after step ${st.t} of ${st.total}, ` +
        `${st.rank} points picked (${picked} in this step${dropped ? `, ${dropped} sampled and filtered out` : ''}); relative error ${formatSci(st.residual)}.`);
      summary.push(`${LABEL[x.method]} ${st.rank} columns, error ${formatSci(st.residual)}`);
    });
    $('panels').dataset.count = String(results.length);
    $('proj-caption').textContent = data.kind === 'gmm'
      ? `${data.points} points in ${data.dim} dimensions (${data.clusters} clusters), drawn through a fixed projection (spread within a cluster ×${SPREAD}): outer clusters have larger norm.`
      : `${data.points} points in the plane; the matrix is their ${data.points}×${data.points} Gaussian kernel (h = ${data.bandwidth}).`;
  };

  const figure2Stage = () => {
    // Error chart
    const kmax = Math.max(1, ...results.map((x) => x.r.rank), v.stop === 'rank' ? r.rank : r.tolRank);
    const ds = [];
    const opt = [];
    for (let k = 0; k <= kmax; k++) opt.push({ x: k, y: Math.max(optimal(data, k), 1e-17) });
    ds.push({ label: 'optimal (SVD)', data: opt, borderColor: PALETTE.black, backgroundColor: PALETTE.black, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, pointStyle: 'line' });
    const markers = [], markerColors = [], markerStyles = [];
    for (const x of results) {
      const pts = [{ x: 0, y: 1 }];
      x.r.curve.forEach((y, j) => pts.push({ x: j + 1, y: Math.max(y, 1e-17) }));
      ds.push({ label: LABEL[x.method], data: pts, borderColor: COLOR[x.method], backgroundColor: COLOR[x.method], borderDash: DASH[x.method], borderWidth: 2, pointRadius: 0, pointStyle: POINT[x.method] });
      const st = stepState(x, step);
      markers.push({ x: st.rank, y: Math.max(st.residual, 1e-17) });
      markerColors.push(COLOR[x.method]);
      markerStyles.push(POINT[x.method]);
    }
    ds.push({ label: 'now (current step)', data: markers, showLine: false, pointRadius: 6, pointHoverRadius: 7, pointStyle: markerStyles,
      pointBackgroundColor: markerColors, pointBorderColor: '#fff', borderColor: PALETTE.black, backgroundColor: PALETTE.black });
    if (v.stop === 'tol') {
      ds.push({ label: '√tol', data: [{ x: 0, y: Math.sqrt(v.tol) }, { x: kmax, y: Math.sqrt(v.tol) }], borderColor: PALETTE.grey, borderDash: [2, 3], borderWidth: 1.5, pointRadius: 0, pointStyle: 'line' });
    }
    let lo = 1;
    for (const d of ds) for (const p of d.data) lo = Math.min(lo, p.y);
    errChart.options.scales.y.min = Math.pow(10, Math.floor(Math.log10(Math.max(lo, 1e-17))));
    errChart.options.scales.x.max = kmax;
    errChart.data.datasets = ds;
    setData(errChart, [], `Log-scale plot of the relative error against the number of picked columns, for ${results.map((x) => LABEL[x.method]).join(', ')} ` +
      `and the optimal SVD curve. At the end: ${results.map((x) => `${LABEL[x.method]} ${x.r.rank} columns, error ${formatSci(x.r.residual)}`).join('; ')}.`);
  };

  const tableStage = () => {
    // Table and readout
    const rows = results.map((x) => {
      const k = x.r.rank, tail = data.tail[Math.min(k, data.tail.length - 1)];
      const ratio = tail > 0 ? x.r.residual2 / tail : NaN;
      return [LABEL[x.method] + (x.note ? ' *' : ''), x.r.trace.length, k, x.r.residual, optimal(data, k), Number.isFinite(ratio) ? ratio : '—', `${x.ms.toFixed(1)}`];
    });
    fillTable($('table'), ['method', 'steps (passes)', 'columns k', 'rel. error', 'optimal', 'error / optimal (squared)', 'time (ms)'], rows);
    const notes = results.filter((x) => x.note).map((x) => `* ${LABEL[x.method]}: ${x.note}.`);
    const shape = data.kind === 'gmm' ? `${data.dim}×${data.points} GMM matrix` : `${data.points}×${data.points} kernel matrix`;
    $('readout').textContent = results.length === 0 ? 'Select at least one method.'
      : `${shape}, step ${Math.min(step, maxStepsOf(r))} of ${maxStepsOf(r)}: ${summary.join('; ')}. ` +
        `Computed in ${Math.round(r.ms)} ms${r.dataMs ? ` (data ${Math.round(r.dataMs)} ms; optimal curve ${Math.round(r.spectrumMs)} ms, on another core alongside the pivoting)` : ''}. ${notes.join(' ')}`;

    $('cur-note').textContent = curNote(r);
  };

  return [figure1Stage, figure2Stage, tableStage, () => renderCholeskyPanels(r, step), () => renderCholeskyChart(r, step)];
}

/** Fill the CUR note once its computation is in, if r is still the figure shown. */
function showCur(r) {
  r.curPromise.then((c) => {
    r.cur = c;
    if (hook.lastResult === r) $('cur-note').textContent = curNote(r);
  }, (err) => {
    if (!isAbort(err)) console.info('sketchlab: CUR note skipped:', err?.message ?? err);
  });
}

/** One sentence comparing CUR with the ID on the same columns (the first method's). */
function curNote(r) {
  const c = r.cur;
  if (!c) return r.results.length ? 'CUR on the same columns: computing…' : '';
  const id = r.results.find((x) => x.method === c.method).r;
  const what = r.data.kind === 'gmm' ? `${c.rank} of the ${r.data.dim} dimensions` : `${c.rank} points again, as rows`;
  return `CUR on ${LABEL[c.method]}'s ${c.rank} columns, keeping also ${what} (a pivoted QR of C picks them) and the core ` +
    `U = C⁺AR⁺: relative error ${formatSci(c.residual)}, against ${formatSci(id.residual)} for the ID with the same columns ` +
    `and ${formatSci(optimal(r.data, c.rank))} for the best rank-${c.rank} approximation. Keeping actual rows too, CUR can never beat the ID on the same columns.`;
}

function maxStepsOf(r) { return Math.max(0, ...r.results.map((x) => x.r.trace.length), ...r.chol.map((x) => x.r.trace.length)); }

const runner = createRunner({
  job,
  statusEl,
  onResult: async (r) => {
    const t = performance.now();
    const requestedAt = hook.requestedAt;
    showCur(r);
    await renderInStages(r);
    // Drawn in stages, or at once by a redraw (resize, Step) that took over; not if a newer result did.
    if (hook.lastResult !== r) return;
    // latency: from the latest control change that asked for a computation to the end of this redraw
    hook.latencies.push(performance.now() - requestedAt);
    hook.timings.push({ job: r.ms, render: performance.now() - t, id: r.results.map((x) => x.ms), chol: r.chol.map((x) => x.ms) });
  },
  onBusy: (busy) => { document.body.dataset.busy = busy ? '1' : '0'; },
});
hook.runner = runner;
hook.stepper = stepper;

let lastRequestKey = '';
function recompute() {
  const v = { ...state.values };
  // "step" only changes the drawing: redraw the last result without computing.
  const key = JSON.stringify({ ...v, step: undefined });
  if (key === lastRequestKey && hook.lastResult) { render(hook.lastResult); return; }
  lastRequestKey = key;
  hook.requestedAt = performance.now();
  runner.request(v);
}

/*
 * V8 compiles wasm in tiers: a function runs as quickly generated baseline
 * code until it has been busy for a while, then as optimized code. Right after
 * the first figure, run every method once on small data (about 100 ms) so the
 * student's first control change, and the first switch to a kernel dataset,
 * already run optimized code.
 */
async function warmUp() {
  try {
    const client = await getClient();
    const gmm = await client.call('gallery', ['gmm', { dim: 40, points: 400, clusters: 20, seed: 1 }]);
    const smile = await client.call('gallery', ['smile', { points: 150, bandwidth: BANDWIDTH.smile, seed: 1 }]);
    // kept (moved, not cloned) once for the 9 calls on each
    const kept = [client.keep(gmm, { transfer: true }), client.keep(smile.matrix, { transfer: true })];
    try {
      await client.call('svd', [kept[0], { vectors: false }]);
      await client.call('eigh', [kept[1], { vectors: false }]);
      for (const A of kept) {
        for (const method of METHODS) {
          const sketch = method.startsWith('sketch');
          await client.call('id', [A, { method, rank: 30, blockSize: 10, seed: 1, trace: true, curve: !sketch, interp: false }]);
        }
      }
    } finally {
      kept.forEach((T) => client.release(T));
    }
  } catch (err) {
    console.info('sketchlab: warm-up skipped:', err?.message ?? err);
  }
  hook.warm = true;
}

/*
 * Then prepare every data set at the sizes the dataset menu gives it, in the
 * background lane (its own worker, so another core), so that switching data
 * set costs only the pivoting runs, not also the gallery and the SVD or
 * eigendecomposition behind the optimal curve (50–90 ms more for a kernel).
 */
async function prefetchDatasets() {
  const call = laneCall('background');
  try { // Figures 3–4 run RPCholesky there: warm it up too
    const smile = await call('gallery', ['smile', { points: 150, bandwidth: BANDWIDTH.smile, seed: 1, matrix: false }]);
    for (const method of CHOL_METHODS) {
      await call('rpcholesky', [{ points: smile.points, bandwidth: BANDWIDTH.smile }, { method, rank: 30, blockSize: 10, seed: 1, trace: true }]);
    }
  } catch (err) {
    console.info('sketchlab: RPCholesky warm-up skipped:', err?.message ?? err);
  }
  for (const name of Object.keys(DATASETS)) {
    const v = { ...state.values, data: name, ...PRESETS[name] };
    if (dataCache.has(dataKey(v))) continue;
    try {
      await (await getData(v, 'background', 'background')).spectrum;
    } catch (err) {
      console.info(`sketchlab: data set ${name} not prepared ahead:`, err?.message ?? err);
    }
  }
  hook.prefetched = true;
}

let resizeTimer = 0;
new ResizeObserver(() => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => { if (hook.lastResult) render(hook.lastResult); }, 100);
}).observe($('panels'));

applyTeacher();
if (!globalThis.Chart) showStatus(statusEl, 'Chart.js is missing: run `make web`.', 'error');
recompute();
