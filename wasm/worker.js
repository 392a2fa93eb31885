// worker.js — the Worker host: loads sketchlab inside a module Worker (browsers)
// or a worker_threads Worker (Node) and runs the calls that worker-client.js
// sends. Results are transferred (their ArrayBuffers move, no copy); errors
// travel as plain objects and become SketchlabError again on the main thread.
//
// Protocol (all messages are plain objects):
//   → { type: 'init', opts }                 ← { type: 'ready', info } | { type: 'init-error', error }
//   → { type: 'call', id, name, args }       ← { type: 'progress', id, phase: 'start' }
//                                            ← { type: 'progress', id, phase: 'done', seconds }
//                                            ← { type: 'result', id, value, seconds } | { type: 'error', id, error }

import * as api from './index.js';
import { SketchlabError } from './errors.js';

/** Functions a client may call. */
export const CALLABLE = ['matmul', 'qr', 'cpqr', 'lu', 'cholesky', 'svd', 'eigh', 'randn', 'rand',
  'version', 'memoryStats', 'supports', 'id', 'gallery', 'cur', 'rpcholesky',
  'rsvd', 'canonicalAngles', 'exactAngles', 'angleBounds', 'planBudget', 'angleExperiment', 'budgetExperiment'];

function serializeError(err) {
  if (err instanceof SketchlabError) return err.toJSON();
  return { name: 'SketchlabError', code: 'EWORKER', message: `worker: ${err && err.message ? err.message : String(err)}` };
}

/** ArrayBuffers inside a result, to transfer instead of copying. */
function transferables(value, out = new Set()) {
  if (value && typeof value === 'object') {
    if (ArrayBuffer.isView(value)) out.add(value.buffer);
    else if (value instanceof ArrayBuffer) out.add(value);
    else for (const v of Object.values(value)) transferables(v, out);
  }
  return out;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

let port;
if (typeof WorkerGlobalScope !== 'undefined' && typeof self !== 'undefined' && self instanceof WorkerGlobalScope) {
  port = { post: (m, t) => self.postMessage(m, t), listen: (h) => self.addEventListener('message', (e) => h(e.data)) };
} else {
  const { parentPort } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:worker_threads');
  if (!parentPort) throw new Error('sketchlab/worker.js must run inside a Worker; use createClient() from sketchlab/worker');
  port = { post: (m, t) => parentPort.postMessage(m, t), listen: (h) => parentPort.on('message', h) };
}

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
  if (msg.type === 'call') {
    const { id, name, args } = msg;
    port.post({ type: 'progress', id, phase: 'start' });
    const t0 = now();
    try {
      if (!CALLABLE.includes(name)) {
        throw new SketchlabError('EINVAL', `worker: unknown function '${name}'; available: ${CALLABLE.join(', ')}`);
      }
      const value = api[name](...(Array.isArray(args) ? args : []));
      const seconds = (now() - t0) / 1000;
      port.post({ type: 'progress', id, phase: 'done', seconds });
      port.post({ type: 'result', id, value, seconds }, [...transferables(value)]);
    } catch (err) {
      port.post({ type: 'error', id, error: serializeError(err) });
    }
  }
}

port.listen((msg) => { handle(msg); });
