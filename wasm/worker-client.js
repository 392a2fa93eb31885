// worker-client.js — run sketchlab off the main thread.
//
//   import { createClient } from 'sketchlab/worker';
//   const c = createClient();             // spawns wasm/worker.js
//   await c.ready;
//   const { s } = await c.svd(A, {}, { signal, onProgress });
//   c.terminate();
//
// Calls run one at a time, in the order they were made. Results come back
// transferred (not cloned). Aborting a call's AbortSignal rejects it with an
// AbortError DOMException; if it was already running, the worker is
// terminated and a fresh one is started lazily for the next call. Browsers use
// a module Worker; Node uses worker_threads (so the client can be tested).
// This file never loads wasm on the calling thread.
//
// Resident matrices. Every call clones its matrix arguments into the worker;
// to run several calls on one big matrix, clone it once:
//
//   const T = c.keep(A);                  // a ResidentMatrix token (T.rows, T.cols)
//   await c.id(T, { rank: 20 }); await c.svd(T);   // A is sent to the worker once
//   c.release(T);                         // frees the worker's and the client's copy
//
// keep() takes a snapshot: it copies A, so later changes to A are not seen
// (keep() it again to use new values). keep(A, { transfer: true }) copies
// nothing on this thread: it takes A.data's buffer (detaching it for the
// caller, as postMessage's transfer does) and moves it into the worker with the
// first call that uses the token; the client keeps no copy, so once that
// worker instance is stopped (an aborted call, a crash) the token is lost:
// client.holds(T) turns false and calls with it reject EINVAL (keep() the
// matrix again). For big matrices on a slow main thread: copying or cloning
// 6.5 MB took 150-400 ms there under 4x CPU throttling (docs/PERFORMANCE.md).
// keep() checks only A's type and shape (EINVAL, ESHAPE, as the API functions
// do); NaN and Infinity are reported, with their position, by the function you
// call.
// A token may be any top-level positional argument of that client's calls. It
// is uploaded lazily, with the first call that uses it on the current worker
// instance; after a worker is killed (abort) or crashes, the next call using
// it uploads it again. client.stats counts the uploads.
//
// Messages (the full protocol is documented at the top of worker.js): a call
// is { type: 'call', id, name, args, uploads } where a token in args becomes
// { $resident: rid } and uploads lists [{ rid, rows, cols, data }] the worker
// has not seen yet (cloned: the client keeps its copy; transferred for a
// keep(A, { transfer: true }) token, whose only copy then lives in the worker);
// release() posts { type: 'release', rid }.

import { SketchlabError } from './errors.js';
import { asMatrix } from './matrix.js';
import { isNode, nodePlatform, loadedNodePlatform } from './platform.js';
import { describe, isName } from './validate.js';

/** Positional arity of each function (the argument after them is callOpts). */
const ARITY = {
  matmul: 3, qr: 2, cpqr: 2, lu: 2, cholesky: 2, svd: 2, eigh: 2, randn: 4, rand: 4,
  version: 0, memoryStats: 0, supports: 1,
  id: 2, gallery: 2, cur: 2, rpcholesky: 2,
  rsvd: 2, canonicalAngles: 3, exactAngles: 3, angleBounds: 1, planBudget: 1, angleExperiment: 1, budgetExperiment: 1,
  softmaxRegression: 4, softmaxProblem: 2, softmaxEval: 5, softmaxFiniteDifferences: 5, softmaxLeverage: 2, softmaxRegime: 3,
  tensorAttention: 6, attention: 4, indexGame: 1, decodeRun: 1,
  samplerTrials: 2, samplerQuery: 2, attentionSettings: 1, sketchComparison: 2, attentionLive: 1, softmaxSample: 2, disjointnessGame: 1, lemma62Game: 1,
};

/** API functions that return handles (C state in one wasm instance): not callable through a worker. */
const HANDLE_MAKERS = ['countSketch', 'deserializeSketch', 'amsSketch', 'countMin', 'l2Sampler', 'attentionSampler', 'deserializeAttention',
  'tensorSampler', 'kvCache', 'subgen', 'softmaxSolver'];

function abortError() {
  return new DOMException('The operation was aborted', 'AbortError');
}

/** Token → its record { owner, rid, rows, cols, data, released }. Module-private, so a token cannot be forged or read. */
const RECORDS = new WeakMap();
const CREATE = Symbol('ResidentMatrix');

/**
 * A matrix kept in a worker client (see client.keep). Only its shape is
 * visible; pass it in place of a matrix to the calls of the client that made it.
 */
export class ResidentMatrix {
  #rows;
  #cols;

  /** @private use client.keep(A) */
  constructor(key, rec) {
    if (key !== CREATE) throw new SketchlabError('EINVAL', 'ResidentMatrix cannot be constructed directly; use client.keep(A)');
    this.#rows = rec.rows;
    this.#cols = rec.cols;
    RECORDS.set(this, rec);
    Object.freeze(this);
  }

  get rows() { return this.#rows; }
  get cols() { return this.#cols; }
  get [Symbol.toStringTag]() { return 'ResidentMatrix'; }
  /** console.log in Node shows the shape (the fields are private). */
  [Symbol.for('nodejs.util.inspect.custom')]() { return `ResidentMatrix ${this.#rows}×${this.#cols}`; }
}

/**
 * A token bound to a queued call: holds the data itself, so a release() before
 * the call is posted cannot take it away (not for a transfer token, whose data
 * moves into the worker: see encodeCall).
 */
class ResidentArg {
  constructor(rec) {
    this.rec = rec;
    this.data = rec.transfer ? null : rec.data;
  }
}

/**
 * Validate A and return a private copy { rows, cols, data } (snapshot
 * semantics). Shape errors are ESHAPE and type errors EINVAL, as in the API;
 * NaN/Infinity are left to the function called, which names their position.
 */
function snapshot(A, transfer) {
  if (A instanceof ResidentMatrix) {
    throw new SketchlabError('EINVAL', 'keep: A is already a ResidentMatrix; pass it to the calls directly (keep() takes a matrix)');
  }
  // The same checks and codes as every API function: ESHAPE for ragged rows or a wrong data length, EINVAL for a bad type.
  const M = asMatrix(A, 'A', 'keep', { allowEmpty: true, finite: false });
  // asMatrix hands back the caller's own Float64Array; every other input was already converted into a new one
  if (M.data !== A.data) return { rows: M.rows, cols: M.cols, data: M.data };
  const buf = M.data.buffer;
  if (transfer && M.data.byteOffset === 0 && M.data.byteLength === buf.byteLength && buf instanceof ArrayBuffer) {
    // Take the whole buffer without copying: the caller's view is detached (length 0), so it cannot change the snapshot.
    return { rows: M.rows, cols: M.cols, data: new Float64Array(structuredClone(buf, { transfer: [buf] })) };
  }
  return { rows: M.rows, cols: M.cols, data: M.data.slice() };
}

/** Make the init options cloneable for postMessage. */
function initOptions(opts) {
  const out = {};
  if (opts.simd !== undefined) out.simd = opts.simd;
  const w = opts.wasm;
  if (w !== undefined && w !== null) {
    if (w instanceof URL) out.wasm = w.href;
    else if (typeof w === 'string' || w instanceof ArrayBuffer || ArrayBuffer.isView(w) || w instanceof WebAssembly.Module) out.wasm = w;
    else {
      throw new SketchlabError('EINVAL',
        'createClient: opts.wasm must be bytes (Uint8Array/ArrayBuffer), a URL/string or a WebAssembly.Module to reach the worker ' +
        '(a Response cannot be sent to a worker; pass its URL instead)');
    }
  }
  return out;
}

/**
 * The default Worker, written as ONE expression (Worker of a URL of worker.js
 * relative to import.meta.url, type module) so that bundlers that follow that
 * pattern (Vite, webpack 5, Parcel) bundle worker.js as a worker entry and
 * rewrite its URL. Do not split it, and do not write the URL of worker.js with
 * a literal import.meta.url anywhere else in this file: Vite would then copy
 * worker.js as a plain asset, unbundled, and that copy cannot load its imports.
 */
function defaultBrowserWorker() {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}

/**
 * How error messages name the default worker host. In Node, its file: URL
 * (platform-node.js knows it, and is loaded by the time a worker failed). In a
 * browser no URL can be named: a bundler emits worker.js as a chunk of its own
 * name, and this file must not read import.meta.url anywhere but in the two
 * bundler patterns: webpack and Parcel replace any other import.meta.url with
 * the file: path of the source on the build machine, which would end up in
 * the bundle and in this message.
 */
function defaultWorkerName() {
  const node = isNode ? loadedNodePlatform() : null;
  if (node) return node.defaultWorkerURL().href;
  return "the default worker host: worker.js next to worker-client.js, or in a bundle the worker chunk the bundler emitted for new URL('./worker.js', import.meta.url)";
}

/** Wrap a browser Worker in the adapter the client uses (the client names the URL in its errors). */
function browserAdapter(w) {
  return {
    post: (m, transfer) => w.postMessage(m, transfer || []),
    on: (onMessage, onError) => {
      w.addEventListener('message', (e) => onMessage(e.data));
      w.addEventListener('error', (e) => {
        e.preventDefault?.();
        onError(new Error(`${e.message || 'the worker script could not be loaded or threw'}. ` +
          'If a bundler moved or did not emit it, build the worker host (\'sketchlab/worker-host\') yourself and pass ' +
          'createClient({ workerURL }); from file:// use a classic worker built from it as a blob: URL ' +
          "with createClient({ workerURL, workerType: 'classic' })"));
      });
      w.addEventListener('messageerror', () => onError(new Error('a message from the worker could not be deserialized')));
    },
    terminate: () => w.terminate(),
    ref: () => {},
    unref: () => {},
  };
}

/** Start a worker: url null means the default worker host (worker.js next to this file, or its bundled chunk). */
async function spawn(url, type) {
  if (isNode) {
    const node = await nodePlatform();
    return node.spawnWorker(url || node.defaultWorkerURL());
  }
  if (url) return browserAdapter(new Worker(url, { type }));
  return browserAdapter(defaultBrowserWorker());
}

/**
 * Create a worker client.
 * @param {object} [opts] { wasm?, simd?: 'auto'|boolean, workerURL?: URL|string, workerType?: 'module'|'classic' }
 *   wasm/simd are passed to init() inside the worker; workerURL overrides the
 *   location of the worker host (worker.js, exported as 'sketchlab/worker-host'),
 *   for bundlers that move files; workerType is the browser Worker's type
 *   (default 'module'; 'classic' for an IIFE build, e.g. as a blob: URL from file://).
 */
export function createClient(opts = {}) {
  const o = opts || {};
  let initOpts;
  let firstError = null;
  let workerURL = null; // null: the default worker.js next to this file
  const workerType = o.workerType === undefined ? 'module' : o.workerType;
  try {
    if (o.workerURL !== undefined && o.workerURL !== null) {
      if (!(o.workerURL instanceof URL) && typeof o.workerURL !== 'string') {
        throw new SketchlabError('EINVAL', `createClient: opts.workerURL must be a URL or a string, got ${describe(o.workerURL)}`);
      }
      try {
        workerURL = new URL(o.workerURL, typeof location !== 'undefined' ? location.href : undefined);
      } catch {
        throw new SketchlabError('EINVAL', `createClient: opts.workerURL ${describe(o.workerURL)} is not a valid URL; pass an absolute URL or a URL object`);
      }
    }
    if (workerType !== 'module' && workerType !== 'classic') {
      throw new SketchlabError('EINVAL', `createClient: opts.workerType must be 'module' or 'classic', got ${describe(workerType)}`);
    }
    initOpts = initOptions(o);
  } catch (err) {
    firstError = err;
  }
  const workerName = () => (workerURL ? workerURL.href : defaultWorkerName());

  let worker = null;      // Promise<adapter> of the live worker (null: start lazily)
  let running = null;     // the job being run by the worker
  const queue = [];       // jobs waiting
  let nextId = 1;
  let terminated = false;

  // Resident matrices: the client's copies, by rid. Which of them the worker
  // holds is recorded on the worker's adapter (a.resident, a Set of rids), so
  // a new worker instance starts with an empty record and every token is
  // re-uploaded lazily; nothing has to be reset when a worker is killed.
  const owner = {};        // identifies the tokens of this client
  const kept = new Map();  // rid → record
  let nextRid = 1;
  let uploads = 0;         // matrices sent to a worker, all instances together
  let uploadedBytes = 0;

  function start() {
    let adapter = null;
    let p = null;
    p = new Promise((resolve, reject) => {
      if (firstError) { reject(firstError); return; }
      spawn(workerURL, workerType).then((a) => {
        adapter = a;
        a.resident = new Set(); // rids uploaded to this worker instance
        if (p.killed) { // terminated or aborted while the worker was starting
          a.dead = true;
          a.terminate();
          reject(new SketchlabError('EWORKER', 'the worker was stopped while starting'));
          return;
        }
        let ready = false;
        a.on((msg) => {
          if (!ready) {
            if (msg.type === 'ready') { ready = true; idle(); resolve(a); return; }
            if (msg.type === 'init-error') { a.terminate(); reject(SketchlabError.fromJSON(msg.error)); return; }
          }
          onMessage(a, msg);
        }, (err) => {
          if (a.dead) return;
          a.dead = true;
          const e = new SketchlabError('EWORKER', `the sketchlab worker (${workerName()}) failed: ${err.message}`);
          if (!ready) reject(e);
          onCrash(a, e);
        });
        a.post({ type: 'init', opts: initOpts });
      }, (err) => reject(new SketchlabError('EWORKER', `could not start the sketchlab worker (${workerName()}): ${err.message}`)));
    });
    p.adapter = () => adapter;
    p.catch(() => { if (worker === p) worker = null; });
    return p;
  }

  function ensureWorker() {
    if (!worker) worker = start();
    return worker;
  }

  function idle() {
    const a = worker && worker.adapter && worker.adapter();
    if (a) (running ? a.ref : a.unref)();
  }

  /** The adapter of the current worker if it was spawned and is not dead, else null. */
  function liveAdapter() {
    const a = worker && worker.adapter && worker.adapter();
    return a && !a.dead ? a : null;
  }

  function killWorker() {
    const w = worker;
    worker = null;
    if (w) w.killed = true;
    const a = w && w.adapter && w.adapter();
    if (a) { a.dead = true; a.terminate(); }
  }

  function finish(job, err, value) {
    if (job.done) return;
    job.done = true;
    if (job.signal) job.signal.removeEventListener('abort', job.onAbort);
    if (running === job) running = null;
    if (err) job.reject(err); else job.resolve(value);
    pump();
  }

  function onMessage(a, msg) {
    const job = running;
    if (!job || msg.id !== job.id) return;
    if (msg.type === 'progress') {
      if (job.onProgress) {
        const ev = msg.phase === 'done' ? { phase: 'done', seconds: msg.seconds }
          : msg.phase === 'step' ? { phase: 'step', step: msg.step } : { phase: msg.phase };
        try { job.onProgress(ev); } catch { /* a listener's error is its own */ }
      }
    } else if (msg.type === 'result') {
      finish(job, null, msg.value);
    } else if (msg.type === 'error') {
      finish(job, SketchlabError.fromJSON(msg.error));
    }
  }

  function onCrash(a, err) {
    if (worker && worker.adapter && worker.adapter() === a) worker = null;
    if (running) finish(running, err);
  }

  function pump() {
    if (running || terminated) { idle(); return; }
    const job = queue.shift();
    if (!job) { idle(); return; }
    running = job;
    ensureWorker().then((a) => {
      if (job.done) return;
      idle();
      postCall(job, a);
    }, (err) => finish(job, err));
  }

  /** Where the first function sits in a call's arguments (e.g. 'options.onStep'), to name it in the error; null if none. */
  function functionPath(args) {
    const seen = new Set();
    const walk = (v, path, depth) => {
      if (typeof v === 'function') return path;
      if (!v || typeof v !== 'object' || depth > 4 || seen.has(v) || ArrayBuffer.isView(v)) return null;
      seen.add(v);
      for (const k of Object.keys(v)) {
        const r = walk(v[k], Array.isArray(v) ? `${path}[${k}]` : `${path}.${k}`, depth + 1);
        if (r) return r;
      }
      return null;
    };
    for (let i = 0; i < args.length; i++) {
      const r = walk(args[i], args[i] && typeof args[i] === 'object' && !Array.isArray(args[i]) ? 'options' : `argument ${i + 1}`, 0);
      if (r) return r;
    }
    return null;
  }

  /**
   * Send a job to worker adapter a. Only once the message is on its way are
   * its uploads recorded as resident there; a message that cannot be cloned
   * (e.g. a function in the options) rejects the job instead of leaving it
   * pending forever.
   */
  function postCall(job, a) {
    let msg, transfer;
    try {
      ({ msg, transfer } = encodeCall(job, a));
    } catch (err) {
      finish(job, err);
      return;
    }
    try {
      a.post(msg, transfer);
    } catch (err) {
      const where = functionPath(job.args);
      finish(job, new SketchlabError('EINVAL',
        `${job.name}: the arguments could not be sent to the worker (${err && err.message ? err.message : err}); ` +
        (where ? `${where} is a function, and functions cannot be sent to a worker; ` : '') +
        (where && job.name === 'decodeRun' && /\.onStep$/.test(where)
          ? "for per-step progress, remove onStep and pass { onProgress } as the call options (the last argument): it gets { phase: 'step', step } after every step"
          : 'pass only plain data: numbers, strings, arrays, typed arrays and plain objects')));
      return;
    }
    job.posted = true; // progress 'start' comes from the worker when it begins
    for (const u of msg.uploads) {
      a.resident.add(u.rid);
      uploads += 1;
      uploadedBytes += u.rows * u.cols * 8; // u.data is detached now if it was transferred
      const rec = kept.get(u.rid);
      if (rec && rec.transfer) { rec.data = null; rec.home = a; } // moved: the worker holds the only copy
    }
  }

  /**
   * The token's record, if it can be used in a call of this client; else an
   * EINVAL saying why not. `where` names the argument in the message.
   */
  function recordOf(token, where) {
    const rec = RECORDS.get(token);
    if (!rec || rec.owner !== owner) {
      throw new SketchlabError('EINVAL',
        `${where} is a ResidentMatrix kept by a different worker client; keep() the matrix with the client you call (each client has its own worker)`);
    }
    if (rec.released) {
      throw new SketchlabError('EINVAL',
        `${where} is a ResidentMatrix (${rec.rows}×${rec.cols}) that was released; keep() the matrix again to use it`);
    }
    return rec;
  }

  /** Replace the tokens among a call's arguments by ResidentArgs (checked now, at call time). */
  function bindArgs(name, args) {
    return args.map((x, i) => (x instanceof ResidentMatrix ? new ResidentArg(recordOf(x, `${name}: argument ${i + 1}`)) : x));
  }

  /**
   * The 'call' message of a job for adapter a: a token becomes
   * { $resident: rid }, and its data goes along (in uploads) if this worker
   * instance does not hold it yet.
   */
  function encodeCall(job, a) {
    const ups = [];
    const transfer = [];
    const args = job.args.map((x, i) => {
      if (!(x instanceof ResidentArg)) return x;
      const { rec, data } = x;
      const where = `${job.name}: argument ${i + 1} is a ResidentMatrix (${rec.rows}×${rec.cols}) kept with { transfer: true }`;
      if (rec.released) {
        // released while the call was queued: send the matrix with this call only, keep nothing in the worker
        if (!rec.transfer) return { rows: rec.rows, cols: rec.cols, data };
        throw new SketchlabError('EINVAL', `${where} that was released before this queued call was sent; release it after the calls that use it have settled, or keep() it again`);
      }
      if (a.resident.has(rec.rid) || ups.some((u) => u.rid === rec.rid)) return { $resident: rec.rid };
      if (rec.transfer) {
        if (!rec.data) {
          throw new SketchlabError('EINVAL', `${where} whose only copy was in a worker that has since been stopped (an aborted call or a crash); keep() the matrix again (client.holds(token) tells)`);
        }
        transfer.push(rec.data.buffer);
      }
      ups.push({ rid: rec.rid, rows: rec.rows, cols: rec.cols, data: rec.transfer ? rec.data : data });
      return { $resident: rec.rid };
    });
    return { msg: { type: 'call', id: job.id, name: job.name, args, uploads: ups }, transfer };
  }

  function keep(A, keepOpts) {
    if (terminated) throw new SketchlabError('EWORKER', 'keep: this worker client was terminated; create a new one with createClient()');
    if (keepOpts !== undefined && (keepOpts === null || typeof keepOpts !== 'object')) {
      throw new SketchlabError('EINVAL', `keep: options must be an object like { transfer: true }, got ${describe(keepOpts)}`);
    }
    const transfer = !!keepOpts?.transfer;
    const { rows, cols, data } = snapshot(A, transfer);
    const rec = { owner, rid: nextRid++, rows, cols, data, released: false, transfer, home: null };
    kept.set(rec.rid, rec);
    return new ResidentMatrix(CREATE, rec);
  }

  function release(token) {
    if (!(token instanceof ResidentMatrix)) {
      throw new SketchlabError('EINVAL', `release: expected a ResidentMatrix returned by keep(), got ${token === null ? 'null' : typeof token}`);
    }
    const rec = RECORDS.get(token);
    if (rec && rec.owner === owner && rec.released) return; // releasing twice is harmless
    recordOf(token, 'release: the token'); // throws for another client's token
    drop(rec);
    const a = liveAdapter();
    if (a && a.resident.delete(rec.rid)) a.post({ type: 'release', rid: rec.rid });
  }

  /**
   * Can calls still use this token? False once released, and for a transfer
   * token once the worker holding its only copy was stopped.
   */
  function holds(token) {
    const rec = token instanceof ResidentMatrix ? RECORDS.get(token) : null;
    if (!rec || rec.owner !== owner || rec.released) return false;
    if (rec.data) return true;
    return !!rec.home && !rec.home.dead && liveAdapter() === rec.home && rec.home.resident.has(rec.rid);
  }

  /** A call's last argument, checked: a bad signal failed deep inside (signal.addEventListener), others were ignored. */
  function callOptions(name, o) {
    if (o === undefined || o === null) return {};
    const fn = typeof name === 'string' ? name : 'call';
    if (typeof o !== 'object' || Array.isArray(o)) {
      throw new SketchlabError('EINVAL', `${fn}: call options must be an object like { signal, onProgress }, got ${describe(o)}`, { fn });
    }
    for (const key of Object.keys(o)) {
      if (key !== 'signal' && key !== 'onProgress') {
        throw new SketchlabError('EINVAL', `${fn}: unknown call option '${key}'; allowed: signal, onProgress (the function's own options go in the argument before)`, { fn });
      }
    }
    const { signal, onProgress } = o;
    if (signal !== undefined && signal !== null &&
      (typeof signal !== 'object' || typeof signal.addEventListener !== 'function' || typeof signal.aborted !== 'boolean')) {
      throw new SketchlabError('EINVAL', `${fn}: call option signal must be an AbortSignal (e.g. new AbortController().signal), got ${describe(signal)}`, { fn });
    }
    if (onProgress !== undefined && onProgress !== null && typeof onProgress !== 'function') {
      throw new SketchlabError('EINVAL', `${fn}: call option onProgress must be a function, got ${describe(onProgress)}`, { fn });
    }
    return { signal: signal ?? undefined, onProgress: onProgress ?? undefined };
  }

  /** Forget the client's copy (calls already queued hold their own reference to the data). */
  function drop(rec) {
    rec.released = true;
    rec.data = null;
    kept.delete(rec.rid);
  }

  function call(name, args = [], callOpts = {}) {
    let signal, onProgress;
    try {
      ({ signal, onProgress } = callOptions(name, callOpts));
    } catch (err) {
      return Promise.reject(err);
    }
    if (terminated) return Promise.reject(new SketchlabError('EWORKER', 'this worker client was terminated; create a new one with createClient()'));
    if (HANDLE_MAKERS.includes(name)) {
      return Promise.reject(new SketchlabError('EINVAL', `call: ${name} returns a handle on wasm state, which cannot be sent between threads; ` +
        "create it on this thread (import { init, " + name + " } from 'sketchlab'), or run the whole job in the worker with one of its plain-data " +
        'functions (samplerTrials, samplerQuery, sketchComparison, attentionSettings, attentionLive, decodeRun, indexGame, softmaxRegression)'));
    }
    if (!isName(ARITY, name)) {
      return Promise.reject(new SketchlabError('EINVAL', `call: unknown function ${describe(name)}; available: ${Object.keys(ARITY).join(', ')}`));
    }
    let bound;
    try {
      bound = bindArgs(name, Array.isArray(args) ? args : [args]);
    } catch (err) {
      return Promise.reject(err);
    }
    if (signal && signal.aborted) return Promise.reject(abortError());
    return new Promise((resolve, reject) => {
      const job = { id: nextId++, name, args: bound, resolve, reject, signal, onProgress, done: false };
      if (signal) {
        job.onAbort = () => {
          if (job.done) return;
          const i = queue.indexOf(job);
          if (i >= 0) queue.splice(i, 1);
          else if (running === job && job.posted) killWorker(); // stop the computation; a fresh worker starts lazily
          finish(job, abortError());
        };
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      queue.push(job);
      pump();
    });
  }

  const ready = ensureWorker().then(() => undefined);
  ready.catch(() => {}); // reported to whoever awaits c.ready; no unhandled rejection otherwise

  const client = {
    ready,
    call,
    /**
     * Keep a copy of matrix A ({rows, cols, data} or number[][]) for this
     * client's calls: returns a ResidentMatrix token. A snapshot: later
     * changes to A are not seen. Throws EINVAL for a bad type, ESHAPE for a bad shape.
     * keep(A, { transfer: true }): no copy on this thread; A.data is detached and
     * moves into the worker with the first call (see the top of this file).
     */
    keep,
    /** True while calls can use the token (false once released, or lost with its worker: see keep's transfer). */
    holds,
    /** Free a token's copies (worker and client). Later calls with it reject EINVAL; a second release does nothing. */
    release,
    /** A snapshot of the resident-matrix counters (uploads/uploadedBytes count every upload, all worker instances together). */
    get stats() {
      const a = liveAdapter();
      let keptBytes = 0;
      for (const rec of kept.values()) keptBytes += rec.data ? rec.data.byteLength : 0; // a moved transfer token: no copy here
      return Object.freeze({ kept: kept.size, keptBytes, resident: a ? a.resident.size : 0, uploads, uploadedBytes });
    },
    /** Stop the worker; pending calls reject with EWORKER; every kept matrix is dropped. */
    terminate() {
      if (terminated) return;
      terminated = true;
      killWorker();
      for (const rec of [...kept.values()]) drop(rec);
      const err = new SketchlabError('EWORKER', 'the worker client was terminated');
      const jobs = running ? [running, ...queue] : [...queue];
      queue.length = 0;
      for (const j of jobs) finish(j, err);
    },
  };
  for (const [name, arity] of Object.entries(ARITY)) {
    client[name] = (...a) => call(name, a.slice(0, arity), a[arity]);
  }
  return client;
}
