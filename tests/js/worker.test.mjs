// worker.test.mjs — the worker client (worker_threads in Node): calls, queue
// order, transferred results, errors as SketchlabError, progress, abort (the
// next call still succeeds on a fresh worker), terminate; resident matrices
// (keep/release): same results as plain calls, one upload per worker
// instance (again after an abort), snapshot semantics, release and misuse,
// the worker side of the protocol, and that a resident copy is never
// transferred away.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { createClient, ResidentMatrix } from '../../wasm/worker-client.js';
import { SketchlabError } from '../../wasm/index.js';
import { missing, testMatrix, jsMul, diff, fro, bound, within } from './helpers.mjs';

const WORKER_JS = new URL('../../wasm/worker.js', import.meta.url);
const NEED_ID = missing('sk_id_cols', 'sk_rng_init');

/** The upload counters of a client's stats. */
function uploadStats(c) {
  const { kept, resident, uploads, uploadedBytes } = c.stats;
  return { kept, resident, uploads, uploadedBytes };
}

/** A predicate for assert.rejects/throws: a SketchlabError with this code whose message matches re. */
function sketchlabError(code, re = /./) {
  return (e) => e instanceof SketchlabError && e.code === code && re.test(e.message);
}

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
  within(diff(C, ref), bound(0, 0, 45, fro(ref)), 'worker matmul'); // γ_k·‖|A||B|‖, k = 6, ×7
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

test('call options: a bad signal, onProgress or key rejects EINVAL saying what to pass (npm audit)', async (t) => {
  const c = createClient();
  t.after(() => c.terminate());
  // { signal: 3 } threw 'TypeError: signal.addEventListener is not a function'; the others were ignored silently
  await assert.rejects(c.softmaxSample([1, 2], {}, { signal: 3 }), sketchlabError('EINVAL', /^softmaxSample: call option signal must be an AbortSignal \(e\.g\. new AbortController\(\)\.signal\), got 3/));
  await assert.rejects(c.softmaxSample([1, 2], {}, { onProgress: 'log' }), sketchlabError('EINVAL', /^softmaxSample: call option onProgress must be a function, got "log"/));
  await assert.rejects(c.softmaxSample([1, 2], undefined, { draws: 3 }), sketchlabError('EINVAL', /^softmaxSample: unknown call option 'draws'; allowed: signal, onProgress \(the function's own options go in the argument before\)/));
  await assert.rejects(c.call('softmaxSample', [[1, 2]], 'fast'), sketchlabError('EINVAL', /^softmaxSample: call options must be an object like \{ signal, onProgress \}, got "fast"/));
  const ac = new AbortController(), seen = [];
  const r = await c.softmaxSample([0, 1000], { draws: 2, seed: 1 }, { signal: ac.signal, onProgress: (e) => seen.push(e.phase) });
  assert.deepEqual([...r], [1, 1]);
  assert.ok(seen.includes('done'));
  assert.deepEqual([...(await c.softmaxSample([0, 1000], { seed: 1 }, null))], [1], 'null call options are none');
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

// ---- resident matrices (keep / release) ----

test('keep: calls on a resident matrix give the same results as on the plain one, and upload it once', { skip: missing('svd', 'matmul') || NEED_ID }, async (t) => {
  const c = createClient();
  t.after(() => c.terminate());
  const A = testMatrix(60, 40, 7);
  const T = c.keep(A);
  assert.ok(T instanceof ResidentMatrix);
  assert.equal(T.rows, 60);
  assert.equal(T.cols, 40);
  assert.deepEqual(c.stats, { kept: 1, keptBytes: 60 * 40 * 8, resident: 0, uploads: 0, uploadedBytes: 0 }, 'keep() does not talk to the worker');
  const opts = { method: 'rbrp', rank: 10, seed: 3 };
  assert.deepEqual(await c.id(T, opts), await c.id(A, opts));
  assert.deepEqual(await c.svd(T), await c.svd(A));
  assert.deepEqual(await c.call('matmul', [T, T, { transA: true }]), await c.matmul(A, A, { transA: true }));
  assert.deepEqual(await c.call('svd', T), await c.svd(A), 'call() with a bare token as its args');
  assert.deepEqual(uploadStats(c), { kept: 1, resident: 1, uploads: 1, uploadedBytes: 60 * 40 * 8 }, 'four calls, one upload');
  // number[][] input works the same way, and counts as a second matrix
  const rows = [[1, 2], [3, 4], [5, 6]];
  const R = c.keep(rows);
  assert.deepEqual([R.rows, R.cols], [3, 2]);
  assert.deepEqual(await c.matmul(R, [[1], [1]]), await c.matmul(rows, [[1], [1]]));
  assert.deepEqual(uploadStats(c), { kept: 2, resident: 2, uploads: 2, uploadedBytes: 60 * 40 * 8 + 6 * 8 });
});

test('keep takes a snapshot: changing the caller\'s matrix afterwards changes no result', { skip: missing('svd', 'matmul') }, async (t) => {
  const c = createClient();
  t.after(() => c.terminate());
  const A = testMatrix(8, 5, 2);
  const original = { rows: 8, cols: 5, data: A.data.slice() };
  const T = c.keep(A);
  A.data.fill(0); // before the first call: the upload is lazy, so a kept reference would see this
  assert.deepEqual(await c.svd(T), await c.svd(original));
  A.data.fill(1); // after the upload
  assert.deepEqual(await c.svd(T), await c.svd(original));
  const rows = [[1, 2], [3, 4]];
  const R = c.keep(rows);
  rows[0][0] = 100;
  rows[1] = [0, 0];
  assert.deepEqual([...(await c.matmul(R, [[1], [1]])).data], [3, 7]);
  // a view keeps only its own entries (the rest of its buffer is neither copied nor sent)
  const big = new Float64Array(1000).fill(5);
  big.set([2, 3], 10);
  const V = c.keep({ rows: 2, cols: 1, data: big.subarray(10, 12) });
  const before = c.stats.keptBytes;
  assert.deepEqual([...(await c.matmul(V, [[2]])).data], [4, 6]);
  assert.equal(c.stats.uploadedBytes, 8 * 40 + 4 * 8 + 2 * 8, 'A, rows and the 2-entry view; nothing more');
  assert.equal(before, 8 * 40 + 4 * 8 + 2 * 8);
});

test('release: later calls reject EINVAL, releasing twice is a no-op, another client\'s token is refused', { skip: missing('matmul') }, async (t) => {
  const c = createClient();
  const d = createClient();
  t.after(() => { c.terminate(); d.terminate(); });
  const T = c.keep([[1, 2], [3, 4]]);
  assert.deepEqual([...(await c.matmul(T, [[1], [1]])).data], [3, 7]);
  assert.equal(c.stats.resident, 1);
  c.release(T);
  assert.deepEqual(uploadStats(c), { kept: 0, resident: 0, uploads: 1, uploadedBytes: 32 });
  const released = sketchlabError('EINVAL', /argument 1 is a ResidentMatrix \(2×2\) that was released; keep\(\) the matrix again/);
  await assert.rejects(c.matmul(T, [[1], [1]]), released);
  await assert.rejects(c.call('matmul', [T, [[1], [1]]]), released);
  assert.doesNotThrow(() => c.release(T), 'releasing twice is harmless');
  await assert.rejects(c.matmul([[1, 0], [0, 1]], T), sketchlabError('EINVAL', /matmul: argument 2 .* released/));
  // keep() again: a new token that works
  const T2 = c.keep([[1, 2], [3, 4]]);
  assert.deepEqual([...(await c.matmul(T2, [[1], [0]])).data], [1, 3]);
  assert.equal(c.stats.uploads, 2);
  // another client's token
  const U = d.keep([[2]]);
  await assert.rejects(c.matmul(U, [[3]]), sketchlabError('EINVAL', /different worker client/));
  assert.throws(() => c.release(U), sketchlabError('EINVAL', /different worker client/));
  assert.deepEqual([...(await d.matmul(U, [[3]])).data], [6], 'still usable by its own client');
  assert.throws(() => c.release({ rows: 1, cols: 1 }), sketchlabError('EINVAL', /ResidentMatrix returned by keep/));
  // terminate drops everything: release is then a no-op, calls reject EWORKER
  c.terminate();
  assert.equal(c.stats.kept, 0);
  assert.doesNotThrow(() => c.release(T2));
  await assert.rejects(c.matmul(T2, [[1], [1]]), sketchlabError('EWORKER'));
  assert.throws(() => c.keep([[1]]), sketchlabError('EWORKER', /createClient/));
});

test('release while a call with the token is still queued: that call still succeeds, nothing stays in the worker', { skip: missing('svd') }, async (t) => {
  const c = createClient();
  t.after(() => c.terminate());
  await c.ready;
  const A = testMatrix(20, 10, 4);
  const T = c.keep(A);
  const p = c.svd(T); // posted asynchronously (after the worker promise settles), so the release below comes first
  c.release(T);
  assert.deepEqual(await p, await c.svd(A));
  assert.deepEqual(uploadStats(c), { kept: 0, resident: 0, uploads: 0, uploadedBytes: 0 }, 'sent with that call only, not kept resident');
  await assert.rejects(c.svd(T), sketchlabError('EINVAL', /released/));
});

test('abort of a running call that used a token: the next call uploads it again to the fresh worker', { skip: missing('svd', 'matmul') }, async (t) => {
  const c = createClient();
  t.after(() => c.terminate());
  await c.ready;
  const A = testMatrix(500, 500, 3);
  const x = testMatrix(500, 1, 9);
  const T = c.keep(A);
  const ac = new AbortController();
  const started = [];
  const p = c.svd(T, {}, { signal: ac.signal, onProgress: (e) => started.push(e.phase) });
  while (!started.includes('start')) await new Promise((r) => setTimeout(r, 2));
  assert.deepEqual(uploadStats(c), { kept: 1, resident: 1, uploads: 1, uploadedBytes: 500 * 500 * 8 });
  ac.abort();
  await assert.rejects(p, { name: 'AbortError' });
  assert.equal(c.stats.resident, 0, 'the killed worker took its copy with it');
  // without the reset the client would send only { $resident } and the new worker would not know it
  assert.deepEqual(await c.matmul(T, x), await c.matmul(A, x));
  assert.deepEqual(uploadStats(c), { kept: 1, resident: 1, uploads: 2, uploadedBytes: 2 * 500 * 500 * 8 });
  await c.matmul(T, x);
  assert.equal(c.stats.uploads, 2, 'and only once on the new worker');
});

// keep(A, { transfer: true }): nothing copied on the calling thread (the pages'
// big matrices: a copy or a clone of 6.5 MB took 150-400 ms of a throttled main thread).
test('keep with transfer: A is taken without a copy, moved into the worker once, same results; a view is copied', { skip: missing('svd', 'matmul') }, async (t) => {
  const c = createClient();
  t.after(() => c.terminate());
  await c.ready;
  const A = testMatrix(60, 40, 7);
  const copy = { rows: A.rows, cols: A.cols, data: A.data.slice() };
  const buf = A.data.buffer;
  const T = c.keep(A, { transfer: true });
  assert.equal(buf.byteLength, 0, "the caller's buffer is detached at keep(), so later writes cannot reach the snapshot");
  assert.equal(A.data.length, 0);
  assert.deepEqual(uploadStats(c), { kept: 1, resident: 0, uploads: 0, uploadedBytes: 0 });
  assert.equal(c.stats.keptBytes, 60 * 40 * 8, 'held by the client until the first call');
  assert.equal(c.holds(T), true);
  const x = testMatrix(40, 3, 8);
  assert.deepEqual(await c.matmul(T, x), await c.matmul(copy, x));
  assert.deepEqual(await c.svd(T), await c.svd(copy));
  assert.deepEqual(uploadStats(c), { kept: 1, resident: 1, uploads: 1, uploadedBytes: 60 * 40 * 8 }, 'moved once');
  assert.equal(c.stats.keptBytes, 0, 'the worker holds the only copy');
  assert.equal(c.holds(T), true);
  c.release(T);
  assert.equal(c.holds(T), false);
  assert.deepEqual(uploadStats(c), { kept: 0, resident: 0, uploads: 1, uploadedBytes: 60 * 40 * 8 });
  // a view on part of a buffer (and number[][]) is copied as usual: the caller's array stays intact
  const big = new Float64Array(20).map((_, i) => i);
  const V = c.keep({ rows: 2, cols: 1, data: big.subarray(10, 12) }, { transfer: true });
  assert.equal(big.length, 20);
  assert.deepEqual(await c.matmul(V, [[1]]), await c.matmul({ rows: 2, cols: 1, data: Float64Array.of(10, 11) }, [[1]]));
  const R = c.keep([[1, 2]], { transfer: true });
  assert.deepEqual(await c.matmul(R, [[1], [1]]), await c.matmul([[1, 2]], [[1], [1]]));
  assert.throws(() => c.keep([[1]], 5), sketchlabError('EINVAL', /keep: options must be an object like \{ transfer: true \}, got/));
  assert.throws(() => c.keep([[1]], null), sketchlabError('EINVAL', /options must be an object/));
});

test('keep with transfer: a worker stopped by an abort takes the only copy: holds() turns false, calls reject EINVAL saying to keep() again', { skip: missing('svd', 'matmul') }, async (t) => {
  const c = createClient();
  t.after(() => c.terminate());
  await c.ready;
  const A = testMatrix(500, 500, 3);
  const copy = { rows: 500, cols: 500, data: A.data.slice() };
  const T = c.keep(A, { transfer: true });
  const ac = new AbortController();
  const started = [];
  const p = c.svd(T, {}, { signal: ac.signal, onProgress: (e) => started.push(e.phase) });
  while (!started.includes('start')) await new Promise((r) => setTimeout(r, 2));
  ac.abort();
  await assert.rejects(p, { name: 'AbortError' });
  assert.equal(c.holds(T), false, 'lost with the killed worker');
  const x = testMatrix(500, 1, 9);
  await assert.rejects(c.matmul(T, x), sketchlabError('EINVAL', /matmul: argument 1 is a ResidentMatrix \(500×500\) kept with \{ transfer: true \} whose only copy was in a worker that has since been stopped.*keep\(\) the matrix again/));
  const T2 = c.keep(copy, { transfer: true });
  assert.deepEqual(await c.matmul(T2, x), await c.matmul(testMatrix(500, 500, 3), x), 'kept again, on the fresh worker');
  // released while a call with it is still queued: that call rejects (the data was never kept on this thread)
  const T3 = c.keep(testMatrix(5, 5, 1), { transfer: true });
  const q = c.matmul(T3, testMatrix(5, 1, 2));
  c.release(T3);
  await assert.rejects(q, sketchlabError('EINVAL', /released before this queued call was sent/));
  assert.equal((await c.matmul([[2]], [[3]])).data[0], 6, 'the client still works');
});

test('keep: a bad type is EINVAL, a bad shape ESHAPE, with what to change; NaN is kept and reported by the function called', { skip: missing('qr') }, async (t) => {
  const c = createClient();
  t.after(() => c.terminate());
  assert.throws(() => c.keep(null), sketchlabError('EINVAL', /keep: A must be a matrix \{rows, cols, data: Float64Array\}/));
  assert.throws(() => c.keep('A'), sketchlabError('EINVAL', /keep: A must be a matrix/));
  assert.throws(() => c.keep({ rows: 2, cols: 2, data: new Float64Array(3) }), sketchlabError('ESHAPE', /3 entries but A is 2×2.*fix rows\/cols or the data length/));
  assert.throws(() => c.keep([[1, 2], [3]]), sketchlabError('ESHAPE', /ragged.*every row must have the same length/));
  assert.throws(() => c.keep({ rows: 2, cols: 1, data: new Float32Array(2) }), sketchlabError('EINVAL', /Float64Array.*Float64Array\.from/));
  assert.throws(() => c.keep({ rows: -1, cols: 1, data: new Float64Array(0) }), sketchlabError('EINVAL', /A\.rows must be a non-negative integer/));
  assert.throws(() => c.keep([[1, 'x']]), sketchlabError('EINVAL', /A\[0\]\[1\] must be a number/));
  const T = c.keep([[1]]);
  assert.throws(() => c.keep(T), sketchlabError('EINVAL', /already a ResidentMatrix/));
  assert.throws(() => new ResidentMatrix(), sketchlabError('EINVAL', /client\.keep/));
  assert.equal(c.stats.kept, 1, 'failed keeps keep nothing');
  // NaN: kept (only type and shape are checked), then reported with its position by the call
  const N = c.keep([[1, NaN]]);
  await assert.rejects(c.qr(N), sketchlabError('ENONFINITE', /A\[0\]\[1\]/));
  // an empty matrix is a valid shape; the function decides
  const E = c.keep({ rows: 0, cols: 3, data: new Float64Array(0) });
  assert.deepEqual([E.rows, E.cols], [0, 3]);
  await assert.rejects(c.qr(E), sketchlabError('ESHAPE', /empty/));
});

test('a call whose arguments cannot be cloned rejects EINVAL and does not count its upload as done', { skip: missing('svd') }, async (t) => {
  const c = createClient();
  t.after(() => c.terminate());
  const A = testMatrix(6, 4, 5);
  const T = c.keep(A);
  await assert.rejects(c.call('svd', [T, { vectors: () => true }]), sketchlabError('EINVAL', /could not be sent to the worker.*plain data/));
  assert.deepEqual(uploadStats(c), { kept: 1, resident: 0, uploads: 0, uploadedBytes: 0 });
  assert.deepEqual(await c.svd(T), await c.svd(A), 'uploaded with the next call (else the worker would not know the token)');
  assert.equal(c.stats.uploads, 1);
});

/** Run worker.js in a worker_threads Worker and talk the protocol to it directly. */
function rawWorker(t) {
  const w = new Worker(WORKER_JS);
  t.after(() => w.terminate());
  const waiting = [];
  w.on('message', (m) => {
    const i = waiting.findIndex((x) => x.match(m));
    if (i >= 0) waiting.splice(i, 1)[0].resolve(m);
  });
  const reply = (match) => new Promise((resolve) => waiting.push({ match, resolve }));
  return {
    post: (m) => w.postMessage(m),
    reply,
    answer: (id) => reply((m) => m.id === id && (m.type === 'result' || m.type === 'error')),
  };
}

test('worker.js: uploads are stored, { $resident } placeholders resolved, release drops the copy', { skip: missing('matmul') }, async (t) => {
  const w = rawWorker(t);
  const ready = w.reply((m) => m.type === 'ready' || m.type === 'init-error');
  w.post({ type: 'init', opts: {} });
  assert.equal((await ready).type, 'ready');
  const data = new Float64Array([1, 3, 2, 4]); // [[1, 2], [3, 4]]
  w.post({ type: 'call', id: 1, name: 'matmul', args: [{ $resident: 7 }, { $resident: 7 }], uploads: [{ rid: 7, rows: 2, cols: 2, data }] });
  assert.deepEqual([...(await w.answer(1)).value.data], [7, 15, 10, 22]);
  assert.equal(data.length, 4, 'the upload was cloned, not transferred');
  w.post({ type: 'call', id: 2, name: 'matmul', args: [{ $resident: 7 }, [[1], [1]]], uploads: [] });
  assert.deepEqual([...(await w.answer(2)).value.data], [3, 7], 'stored across calls');
  // an object with more keys than $resident is an ordinary argument
  w.post({ type: 'call', id: 3, name: 'matmul', args: [{ $resident: 7, rows: 1, cols: 1, data: new Float64Array([5]) }, [[2]]], uploads: [] });
  assert.deepEqual([...(await w.answer(3)).value.data], [10]);
  w.post({ type: 'release', rid: 7 });
  w.post({ type: 'call', id: 4, name: 'matmul', args: [{ $resident: 7 }, [[1], [1]]], uploads: [] });
  const err = (await w.answer(4)).error;
  assert.equal(err.code, 'EWORKER');
  assert.match(err.message, /resident matrix #7 is not loaded in this worker/);
  // uploads are stored before the call runs, even if the call fails
  w.post({ type: 'call', id: 5, name: 'matmul', args: [{ $resident: 8 }, [[1], [2]]], uploads: [{ rid: 8, rows: 1, cols: 1, data: new Float64Array([2]) }] });
  assert.equal((await w.answer(5)).error.code, 'ESHAPE');
  w.post({ type: 'call', id: 6, name: 'matmul', args: [{ $resident: 8 }, [[4]]], uploads: [] });
  assert.deepEqual([...(await w.answer(6)).value.data], [8]);
});

test('worker.js: a result sharing a resident buffer is copied, never transferred (the resident copy stays attached)', async () => {
  // unshare/transferables run inside a Worker (worker.js only loads there); the check posts with the real transfer list
  const code = `
    import { parentPort } from 'node:worker_threads';
    const { unshare, transferables } = await import(${JSON.stringify(WORKER_JS.href)});
    const stored = { rows: 3, cols: 1, data: new Float64Array([1, 2, 3]) };
    const pinned = (b) => b === stored.data.buffer;
    const own = new Float64Array([9]);
    const result = { A: stored, s: own, parts: [stored.data.subarray(1), stored.data.buffer], n: 2 };
    const rawTransfer = transferables(result, pinned);
    const safe = unshare(result, pinned);
    const transfer = [...transferables(safe, pinned)];
    parentPort.postMessage({ safe }, transfer);
    parentPort.postMessage({
      rawSkipsPinned: !rawTransfer.has(stored.data.buffer) && rawTransfer.has(own.buffer),
      safeSharesNothing: safe.A.data.buffer !== stored.data.buffer && safe.parts[0].buffer !== stored.data.buffer && safe.parts[1] !== stored.data.buffer,
      resultUntouched: result.A === stored && result.A.data === stored.data && result.parts[0].buffer === stored.data.buffer,
      storedAfter: [...stored.data],
      ownTransferred: own.byteLength === 0,
      safeKeepsOwn: safe.s === own,
    });`;
  const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`));
  const msgs = [];
  await new Promise((resolve, reject) => {
    w.on('message', (m) => { msgs.push(m); if (msgs.length === 2) resolve(); });
    w.on('error', reject);
  });
  await w.terminate();
  const [{ safe }, checks] = msgs;
  assert.deepEqual(checks, { rawSkipsPinned: true, safeSharesNothing: true, resultUntouched: true, storedAfter: [1, 2, 3], ownTransferred: true, safeKeepsOwn: true });
  assert.deepEqual([...safe.A.data], [1, 2, 3]);
  assert.deepEqual([...safe.parts[0]], [2, 3]);
  assert.deepEqual([...safe.s], [9]);
  assert.equal(safe.n, 2);
});

test('createClient: a bad workerURL or workerType is EINVAL; a missing worker host is EWORKER naming its URL; workerURL reaches the host', { skip: missing('matmul') }, async () => {
  await assert.rejects(createClient({ workerURL: 42 }).ready, sketchlabError('EINVAL', /workerURL must be a URL or a string/));
  await assert.rejects(createClient({ workerType: 'shared' }).ready, sketchlabError('EINVAL', /workerType must be 'module' or 'classic'/));
  const gone = new URL('../../wasm/no-such-worker.js', import.meta.url);
  const bad = createClient({ workerURL: gone });
  await assert.rejects(bad.ready, sketchlabError('EWORKER', /no-such-worker\.js/));
  bad.terminate();
  // the exported worker host, given explicitly (as a bundler user does), works like the default
  const c = createClient({ workerURL: WORKER_JS });
  try {
    await c.ready;
    assert.equal((await c.matmul([[5]], [[6]])).data[0], 30);
  } finally {
    c.terminate();
  }
});

test('the default worker host, when missing, is named by its file: URL in EWORKER (in Node, from platform-node.js)', { skip: missing('matmul') }, async (t) => {
  // A copy of wasm/*.js without worker.js: the client's default worker then cannot load.
  const { mkdtempSync, readdirSync, copyFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { pathToFileURL, fileURLToPath } = await import('node:url');
  const dir = mkdtempSync(join(tmpdir(), 'sketchlab-noworker-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const src = fileURLToPath(new URL('../../wasm/', import.meta.url));
  for (const f of readdirSync(src)) if (f.endsWith('.js') && f !== 'worker.js') copyFileSync(join(src, f), join(dir, f));
  const { createClient: create } = await import(pathToFileURL(join(dir, 'worker-client.js')).href);
  const c = create();
  t.after(() => c.terminate());
  const expected = pathToFileURL(join(dir, 'worker.js')).href.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await assert.rejects(c.ready, (e) => e.code === 'EWORKER' && new RegExp(`\\(${expected}\\)`).test(e.message));
});

test('decodeRun through the worker: one progress event per step, cancellable mid-decode', { skip: missing('sk_kvcache_create') }, async () => {
  const c = createClient({ simd: false });
  try {
    await c.ready;
    const steps = [];
    const caches = [{ kind: 'two', evaluation: 'two-cache' }, { kind: 'four', evaluation: 'naive' }, { kind: 'four', evaluation: 'factored' }];
    const r = await c.decodeRun({ d: 8, T: 12, seed: 3, caches }, { onProgress: (p) => { if (p.phase === 'step') steps.push(p.step); } });
    assert.deepEqual(steps.map((s) => s.t), Array.from({ length: 12 }, (_, i) => i + 1));
    assert.equal(r.runs.length, 3);
    for (const s of steps) {
      assert.equal(s.T, 12);
      assert.equal(s.steps.length, 3);
      assert.equal(s.steps[0].words, 2 * s.t * s.t * 8); // two-cache
      assert.equal(s.steps[1].words, 4 * s.t * 8);       // four-cache
      assert.equal(s.steps[2].queryOps, 2 * s.t * s.t * 8 + 2 * s.t * 8);
      for (let i = 0; i < 3; i++) assert.equal(s.steps[i].ms, r.runs[i].ms[s.t - 1]);
    }
    // Cancel after the 3rd step of a long decode: rejects with AbortError, the next call works.
    const ac = new AbortController();
    let seen = 0;
    await assert.rejects(c.decodeRun({ d: 32, T: 4000, seed: 1, kind: 'four', evaluation: 'streaming' }, {
      signal: ac.signal, onProgress: (p) => { if (p.phase === 'step' && ++seen === 3) ac.abort(); },
    }), (e) => e.name === 'AbortError');
    assert.ok(seen >= 3 && seen < 4000, `stopped mid-decode after ${seen} steps`);
    const again = await c.decodeRun({ d: 4, T: 3, seed: 1 });
    assert.equal(again.words.length, 3);
    // onStep (the direct API's callback) cannot cross to the worker: the error names it and points to onProgress
    await assert.rejects(c.decodeRun({ d: 4, T: 3, seed: 1, onStep: () => {} }),
      sketchlabError('EINVAL', /options\.onStep is a function.*pass \{ onProgress \} as the call options/));
    await assert.rejects(c.call('svd', [[[1]], { vectors: () => true }]), sketchlabError('EINVAL', /options\.vectors is a function.*plain data/));
    // a handle cannot come back from a worker: the error says so and names the alternatives
    await assert.rejects(c.call('kvCache', [{ d: 2 }]), sketchlabError('EINVAL', /^call: kvCache returns a handle on wasm state.*create it on this thread.*decodeRun/));
    await assert.rejects(c.call('countSketch', []), sketchlabError('EINVAL', /countSketch returns a handle.*samplerTrials/));
    await assert.rejects(c.call('nope', []), sketchlabError('EINVAL', /unknown function "nope"; available: matmul/));
    // a standard cache cannot run a tensor decode: said in decodeRun's terms, not kvCache.append's
    await assert.rejects(c.decodeRun({ d: 4, T: 3, kind: 'standard' }), sketchlabError('EINVAL', /^decodeRun: kind must be 'four' or 'two'/));
  } finally {
    c.terminate();
  }
});
