// worker.js — the Worker host: loads sketchlab inside a module Worker (browsers)
// or a worker_threads Worker (Node) and runs the calls that worker-client.js
// sends. Results are transferred (their ArrayBuffers move, no copy); errors
// travel as plain objects and become SketchlabError again on the main thread.
//
// Protocol (all messages are plain objects):
//   → { type: 'init', opts }                 ← { type: 'ready', info } | { type: 'init-error', error }
//   → { type: 'call', id, name, args, uploads }
//                                            ← { type: 'progress', id, phase: 'start' }
//                                            ← { type: 'progress', id, phase: 'step', step } (decodeRun, every step)
//                                            ← { type: 'progress', id, phase: 'done', seconds }
//                                            ← { type: 'result', id, value, seconds } | { type: 'error', id, error }
//   → { type: 'release', rid }               (no reply)
//
// Resident matrices (client.keep): `uploads` is an array (possibly empty) of
// { rid, rows, cols, data: Float64Array } that this worker stores by rid until
// a 'release' names it; they are stored before the call runs, even if it then
// fails. A top-level argument { $resident: rid } stands for the stored matrix
// and is replaced by { rows, cols, data } (sharing the stored data, never
// copied) before the API function is called. The client uploads a matrix once
// per worker instance; a new worker starts empty, and the client knows it.
// The stored data is never transferred back: a result that shares one of its
// ArrayBuffers gets a copy, so a resident matrix is never detached.

import * as api from './index.js';
import { SketchlabError } from './errors.js';
import { nodePlatform } from './platform.js';

/** Functions a client may call. */
export const CALLABLE = ['matmul', 'qr', 'cpqr', 'lu', 'cholesky', 'svd', 'eigh', 'randn', 'rand',
  'version', 'memoryStats', 'supports', 'id', 'gallery', 'cur', 'rpcholesky',
  'rsvd', 'canonicalAngles', 'exactAngles', 'angleBounds', 'planBudget', 'angleExperiment', 'budgetExperiment',
  'softmaxRegression', 'softmaxProblem', 'softmaxEval', 'softmaxFiniteDifferences', 'softmaxLeverage', 'softmaxRegime',
  'tensorAttention', 'attention', 'indexGame', 'decodeRun',
  'samplerTrials', 'samplerQuery', 'attentionSettings', 'sketchComparison', 'attentionLive', 'softmaxSample', 'disjointnessGame', 'lemma62Game'];

function serializeError(err) {
  if (err instanceof SketchlabError) return err.toJSON();
  return { name: 'SketchlabError', code: 'EWORKER', message: `worker: ${err && err.message ? err.message : String(err)}` };
}

/**
 * ArrayBuffers inside a result, to transfer instead of copying. Buffers for
 * which pinned(buffer) is true (resident matrices) are left out: transferring
 * them would detach the stored copy.
 */
export function transferables(value, pinned = () => false, out = new Set()) {
  if (value && typeof value === 'object') {
    const buf = ArrayBuffer.isView(value) ? value.buffer : value instanceof ArrayBuffer ? value : null;
    if (buf) { if (!pinned(buf)) out.add(buf); }
    else for (const v of Object.values(value)) transferables(v, pinned, out);
  }
  return out;
}

/** A copy of a typed array or DataView, on a buffer of its own. */
function copyView(v) {
  return v instanceof DataView ? new DataView(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)) : v.slice();
}

/**
 * The result with every view on a pinned ArrayBuffer (a resident matrix)
 * replaced by a copy, so the result can be transferred safely. Objects are
 * rebuilt only along a path to such a view; nothing is modified in place
 * (a result could contain an argument object, whose data is the stored array).
 */
export function unshare(value, pinned) {
  if (!value || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) return pinned(value.buffer) ? copyView(value) : value;
  if (value instanceof ArrayBuffer) return pinned(value) ? value.slice(0) : value;
  if (Array.isArray(value)) {
    const out = value.map((v) => unshare(v, pinned));
    return out.some((v, i) => v !== value[i]) ? out : value;
  }
  let changed = false;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = unshare(v, pinned);
    if (out[k] !== v) changed = true;
  }
  return changed ? out : value;
}

/** Resident matrices by rid: { rows, cols, data }, as uploaded by the client. */
const resident = new Map();
/** Their ArrayBuffers (see transferables/unshare). */
const pinnedBuffers = new WeakSet();
const isPinned = (buf) => pinnedBuffers.has(buf);

function storeUploads(uploads) {
  if (!Array.isArray(uploads)) return;
  for (const { rid, rows, cols, data } of uploads) {
    releaseResident(rid); // never happens with a correct client; keeps pinnedBuffers exact if it did
    resident.set(rid, { rows, cols, data });
    pinnedBuffers.add(data.buffer);
  }
}

function releaseResident(rid) {
  const m = resident.get(rid);
  if (!m) return;
  resident.delete(rid);
  pinnedBuffers.delete(m.data.buffer);
}

/** Is x the placeholder { $resident: rid } the client puts in place of a kept matrix? */
function isPlaceholder(x) {
  return x !== null && typeof x === 'object' && Object.hasOwn(x, '$resident') && Object.keys(x).length === 1;
}

/** The call's arguments with each placeholder replaced by its stored matrix. */
function resolveArgs(args) {
  return args.map((x) => {
    if (!isPlaceholder(x)) return x;
    const m = resident.get(x.$resident);
    if (!m) {
      throw new SketchlabError('EWORKER',
        `worker: resident matrix #${x.$resident} is not loaded in this worker; this is a bug in sketchlab's worker client, please report it`);
    }
    return { rows: m.rows, cols: m.cols, data: m.data }; // a fresh object: the function cannot reassign the stored fields
  });
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

// No top-level await: bundlers build worker entries as classic (IIFE) scripts
// too, where it is a syntax error. In Node, messages that arrive before the
// listener is attached wait in the port's queue.
const inWorkerScope = typeof WorkerGlobalScope !== 'undefined' && typeof self !== 'undefined' && self instanceof WorkerGlobalScope;
let port;
const portReady = inWorkerScope
  ? Promise.resolve({ post: (m, t) => self.postMessage(m, t), listen: (h) => self.addEventListener('message', (e) => h(e.data)) })
  : nodePlatform().then((p) => {
    const a = p.parentPortAdapter();
    if (!a) throw new Error("sketchlab's worker host must run inside a Worker; use createClient() from sketchlab/worker");
    return a;
  });

async function handle(msg) {
  if (!msg || typeof msg !== 'object') return;
  if (msg.type === 'init') {
    try {
      const info = await api.init(msg.opts || {});
      port.post({ type: 'ready', info });
    } catch (err) {
      port.post({ type: 'init-error', error: serializeError(err) });
    }
    return;
  }
  if (msg.type === 'release') {
    releaseResident(msg.rid);
    return;
  }
  if (msg.type === 'call') {
    const { id, name, args, uploads } = msg;
    port.post({ type: 'progress', id, phase: 'start' });
    const t0 = now();
    try {
      storeUploads(uploads); // first: the client counts them as stored whatever happens to the call
      if (!CALLABLE.includes(name)) {
        throw new SketchlabError('EINVAL', `worker: unknown function '${name}'; available: ${CALLABLE.join(', ')}`);
      }
      const argv = resolveArgs(Array.isArray(args) ? args : []);
      // Per-step progress: a function cannot cross postMessage, so the host
      // gives decodeRun an onStep that posts each step as a progress event.
      if (name === 'decodeRun' && argv[0] && typeof argv[0] === 'object') {
        argv[0] = { ...argv[0], onStep: (step) => port.post({ type: 'progress', id, phase: 'step', step }) };
      }
      const value = unshare(api[name](...argv), isPinned);
      const seconds = (now() - t0) / 1000;
      port.post({ type: 'progress', id, phase: 'done', seconds });
      port.post({ type: 'result', id, value, seconds }, [...transferables(value, isPinned)]);
    } catch (err) {
      port.post({ type: 'error', id, error: serializeError(err) });
    }
  }
}

portReady.then((p) => {
  port = p;
  port.listen((msg) => { handle(msg); });
}, (err) => { setTimeout(() => { throw err; }); });
