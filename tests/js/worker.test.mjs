// worker.test.mjs — the worker client (worker_threads in Node): calls, queue
// order, transferred results, errors as SketchlabError, progress, abort (the
// next call still succeeds on a fresh worker), terminate.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '../../wasm/worker-client.js';
import { SketchlabError } from '../../wasm/index.js';
import { missing, testMatrix, jsMul, diff, fro } from './helpers.mjs';

test('call, convenience methods, queue order, progress', { skip: missing('svd', 'randn') }, async (t) => {
  const c = createClient({ simd: false });
  t.after(() => c.terminate());
  await c.ready;
  assert.match(await c.version(), /^\d+\.\d+\.\d+$/);
  const events = [];
  const A = testMatrix(6, 4, 1);
  const r = await c.svd(A, {}, { onProgress: (p) => events.push(p) });
  assert.ok(r.s instanceof Float64Array && r.s.length === 4);
  assert.ok(r.U.data instanceof Float64Array);
  assert.deepEqual(events[0], { phase: 'start' });
  assert.equal(events.at(-1).phase, 'done');
  assert.ok(typeof events.at(-1).seconds === 'number' && events.at(-1).seconds >= 0);
  // generic call() gives the same answer
  const r2 = await c.call('svd', [A]);
  assert.deepEqual(r2.s, r.s);
  // calls queue in order
  const order = [];
  const ps = [1, 2, 3, 4, 5].map((k) => c.randn(k, 1, k).then((M) => { order.push(M.rows); return M; }));
  await Promise.all(ps);
  assert.deepEqual(order, [1, 2, 3, 4, 5]);
  const C = await c.matmul(A, A, { transB: true });
  const ref = jsMul(A, { rows: 4, cols: 6, data: (() => { const T = new Float64Array(24); for (let i = 0; i < 6; i++) for (let j = 0; j < 4; j++) T[j + i * 4] = A.data[i + j * 6]; return T; })() });
  assert.ok(diff(C, ref) <= 1e-14 * fro(ref));
  // the input was cloned, not transferred: still usable here
  assert.equal(A.data.length, 24);
});

test('errors come back as SketchlabError with code; the worker stays usable', async (t) => {
  const c = createClient();
  t.after(() => c.terminate());
  await assert.rejects(c.qr([[1, NaN]]), (e) => e instanceof SketchlabError && e.code === 'ENONFINITE' && /A\[0\]\[1\]/.test(e.message));
  await assert.rejects(c.matmul([[1, 2]], [[1, 2]]), (e) => e instanceof SketchlabError && e.code === 'ESHAPE');
  await assert.rejects(c.call('nope', []), (e) => e instanceof SketchlabError && e.code === 'EINVAL');
  assert.deepEqual([...(await c.matmul([[2]], [[5]])).data], [10]);
});

test('abort: a running call rejects with AbortError, the next call succeeds', { skip: missing('svd') }, async (t) => {
  const c = createClient();
  t.after(() => c.terminate());
  await c.ready;
  const ac = new AbortController();
  const big = testMatrix(500, 500, 3);
  const started = [];
  const p = c.svd(big, {}, { signal: ac.signal, onProgress: (e) => started.push(e.phase) });
  const queued = c.matmul([[1, 2]], [[3], [4]]);
  while (!started.includes('start')) await new Promise((r) => setTimeout(r, 2));
  ac.abort();
  await assert.rejects(p, (e) => e instanceof DOMException && e.name === 'AbortError');
  assert.deepEqual([...(await queued).data], [11], 'the queued call runs on a fresh worker');
  const { s } = await c.svd([[3, 0], [0, 4]]);
  assert.deepEqual([...s], [4, 3]);
});

test('abort: a queued call is dropped without touching the running one; pre-aborted signals reject at once', async (t) => {
  const c = createClient();
  t.after(() => c.terminate());
  const ac = new AbortController();
  const first = c.randn(200, 200, 1);
  const second = c.randn(3, 3, 2, {}, { signal: ac.signal });
  ac.abort();
  await assert.rejects(second, { name: 'AbortError' });
  assert.equal((await first).rows, 200);
  await assert.rejects(c.qr([[1]], {}, { signal: AbortSignal.abort() }), { name: 'AbortError' });
});

test('terminate rejects pending calls with EWORKER; a bad wasm makes ready reject', async () => {
  const c = createClient();
  const pending = c.randn(300, 300, 1);
  c.terminate();
  await assert.rejects(pending, (e) => e.code === 'EWORKER');
  await assert.rejects(c.qr([[1]]), (e) => e.code === 'EWORKER' && /createClient/.test(e.message));
  const bad = createClient({ wasm: new Uint8Array([0, 1, 2]) });
  await assert.rejects(bad.ready, (e) => e instanceof SketchlabError && e.code === 'ELOAD');
  bad.terminate();
});

test('abort before the worker is ready does not break the client', async (t) => {
  const c = createClient();
  t.after(() => c.terminate());
  const ac = new AbortController();
  const p = c.matmul([[1]], [[2]], {}, { signal: ac.signal });
  ac.abort();
  await assert.rejects(p, { name: 'AbortError' });
  await c.ready;
  assert.deepEqual([...(await c.matmul([[3]], [[4]])).data], [12]);
});
