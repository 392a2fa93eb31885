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

import { SketchlabError } from './errors.js';

const isNode = typeof process === 'object' && process !== null && typeof process.versions === 'object' &&
  !!process.versions.node && typeof window === 'undefined';

/** Positional arity of each function (the argument after them is callOpts). */
const ARITY = {
  matmul: 3, qr: 2, cpqr: 2, lu: 2, cholesky: 2, svd: 2, eigh: 2, randn: 4, rand: 4,
  version: 0, memoryStats: 0, supports: 1,
  id: 2, gallery: 2, cur: 2, rpcholesky: 2,
  rsvd: 2, canonicalAngles: 3, exactAngles: 3, angleBounds: 1, planBudget: 1, angleExperiment: 1, budgetExperiment: 1,
};

function abortError() {
  return new DOMException('The operation was aborted', 'AbortError');
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

async function spawn(url) {
  if (isNode) {
    const { Worker } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:worker_threads');
    const w = new Worker(url);
    return {
      post: (m) => w.postMessage(m),
      on: (onMessage, onError) => {
        w.on('message', onMessage);
        w.on('error', onError);
        w.on('exit', (code) => onError(new Error(`worker exited with code ${code}`)));
      },
      terminate: () => { w.terminate(); },
      ref: () => w.ref(),
      unref: () => w.unref(),
    };
  }
  const w = new Worker(url, { type: 'module' });
  return {
    post: (m) => w.postMessage(m),
    on: (onMessage, onError) => {
      w.addEventListener('message', (e) => onMessage(e.data));
      w.addEventListener('error', (e) => { e.preventDefault?.(); onError(new Error(e.message || 'worker script error')); });
      w.addEventListener('messageerror', () => onError(new Error('a message from the worker could not be deserialized')));
    },
    terminate: () => w.terminate(),
    ref: () => {},
    unref: () => {},
  };
}

/**
 * Create a worker client.
 * @param {object} [opts] { wasm?, simd?: 'auto'|boolean, workerURL?: URL|string }
 *   wasm/simd are passed to init() inside the worker; workerURL overrides the
 *   location of worker.js (for bundlers that move files).
 */
export function createClient(opts = {}) {
  const o = opts || {};
  const workerURL = o.workerURL ? new URL(o.workerURL, typeof location !== 'undefined' ? location.href : undefined)
    : new URL('./worker.js', import.meta.url);
  let initOpts;
  let firstError = null;
  try {
    initOpts = initOptions(o);
  } catch (err) {
    firstError = err;
  }

  let worker = null;      // Promise<adapter> of the live worker (null: start lazily)
  let running = null;     // the job being run by the worker
  const queue = [];       // jobs waiting
  let nextId = 1;
  let terminated = false;

  function start() {
    let adapter = null;
    let p = null;
    p = new Promise((resolve, reject) => {
      if (firstError) { reject(firstError); return; }
      spawn(workerURL).then((a) => {
        adapter = a;
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
          const e = new SketchlabError('EWORKER', `the sketchlab worker failed: ${err.message}`);
          if (!ready) reject(e);
          onCrash(a, e);
        });
        a.post({ type: 'init', opts: initOpts });
      }, (err) => reject(new SketchlabError('EWORKER', `could not start the sketchlab worker (${workerURL.href}): ${err.message}`)));
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
        try { job.onProgress(msg.phase === 'done' ? { phase: 'done', seconds: msg.seconds } : { phase: msg.phase }); } catch { /* a listener's error is its own */ }
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
      job.posted = true; // progress 'start' comes from the worker when it begins
      a.post({ type: 'call', id: job.id, name: job.name, args: job.args });
    }, (err) => finish(job, err));
  }

  function call(name, args = [], callOpts = {}) {
    const { signal, onProgress } = callOpts || {};
    if (terminated) return Promise.reject(new SketchlabError('EWORKER', 'this worker client was terminated; create a new one with createClient()'));
    if (typeof name !== 'string' || !(name in ARITY)) {
      return Promise.reject(new SketchlabError('EINVAL', `call: unknown function '${name}'; available: ${Object.keys(ARITY).join(', ')}`));
    }
    if (signal && signal.aborted) return Promise.reject(abortError());
    return new Promise((resolve, reject) => {
      const job = { id: nextId++, name, args: Array.isArray(args) ? args : [args], resolve, reject, signal, onProgress, done: false };
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
    /** Stop the worker; pending calls reject with EWORKER. */
    terminate() {
      if (terminated) return;
      terminated = true;
      killWorker();
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
