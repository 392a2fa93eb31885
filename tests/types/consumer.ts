// consumer.ts — a TypeScript user of the package, compiled with tsc --strict by
// tests/js/types.test.mjs under moduleResolution "bundler" and "node16", with
// and without the DOM lib. Each call here is accepted by the runtime; the lines
// marked as expected errors are rejected by the runtime and must stay type errors.
import { init, svd, qr, lu, eigh, canonicalAngles, matmul, fromRows, SketchlabError } from 'sketchlab';
import type { Matrix, InitOptions } from 'sketchlab';
import * as inline from 'sketchlab/inline';
import { createClient } from 'sketchlab/worker';

export async function main(b: boolean, bytes: Uint8Array): Promise<number> {
  const opts: InitOptions = { wasm: bytes, simd: 'auto' };
  await init(opts);
  await inline.init();
  const A: Matrix = fromRows([[1, 2], [3, 4], [5, 6]]);

  // svd with a boolean known only at run time: U and V may be null.
  const r = svd(A, { vectors: b });
  const u: Matrix | null = r.U;
  const s: Float64Array = r.s;
  // the literal forms keep their precise types
  const full: Matrix = svd(A).U;
  const full2: Matrix = svd(A, {}).V;
  const none: null = svd(A, { vectors: false }).U;
  const e = eigh([[2, 1], [1, 2]], { vectors: b });
  const ev: Matrix | null = e.vectors;

  // options objects that take no options
  const { Q } = qr(A, {});
  const { L, singular } = lu(A, {});

  // canonicalAngles: { angles: false } gives the sines, { angles: true } sines and angles
  const sines: Float64Array = canonicalAngles(Q, Q, { angles: false });
  const both: { sines: Float64Array; theta: Float64Array } = canonicalAngles(Q, Q, { angles: true });
  const either = canonicalAngles(Q, Q, { angles: b });
  const n = either instanceof Float64Array ? either.length : either.theta.length;

  const c = createClient({ workerURL: 'worker.js', workerType: 'classic' });
  await c.ready;
  const cs = await c.svd(A, { vectors: b });
  const T = c.keep(A, { transfer: true }); // moved into the worker, no copy on this thread
  const held: boolean = c.holds(T);
  c.release(T);
  c.terminate();

  try {
    matmul(A, A);
  } catch (err) {
    if (err instanceof SketchlabError && err.code === 'ESHAPE') return -1;
  }

  // @ts-expect-error qr takes no options
  qr(A, { pivot: true });
  // @ts-expect-error vectors is a boolean
  svd(A, { vectors: 'yes' });
  // @ts-expect-error a worker type is 'module' or 'classic'
  createClient({ workerType: 'shared' });
  // @ts-expect-error keep's transfer is a boolean
  c.keep(A, { transfer: 'yes' });

  return s[0] + (u ? u.rows : 0) + full.rows + full2.cols + (none === null ? 1 : 0) + (ev ? 1 : 0) + L.rows +
    (singular ? 1 : 0) + sines.length + both.theta.length + n + cs.s.length + (held ? 1 : 0);
}

// ---------------------------------------------------------------------------
// The stream, attention and softmax-regression APIs as the README and the
// modules' header comments show them. tests/js/types.test.mjs also compiles
// this file to JS and RUNS streamAttentionRegression() against the package:
// each value it returns is checked there (known answers), and each call under
// an expected-error directive must be refused by the runtime too (the codes in `refused`).
import {
  randn, countSketch, deserializeSketch, amsSketch, countMin, l2Sampler, attentionSampler, deserializeAttention,
  tensorSampler, softmaxSample, samplerTrials, kvCache, subgen, decodeRun, indexGame, tensorAttention, attention,
  softmaxProblem, softmaxRegression, softmaxSolver, softmaxEval, softmaxLeverage,
} from 'sketchlab';
import type { CountSketch, KVCache, SampleRecord, SoftmaxResult, DecodeRunResult, DecodeStep, SubGen2 } from 'sketchlab';

function refuses(f: () => unknown): string {
  try { f(); } catch (err) { return err instanceof SketchlabError ? err.code : `not a SketchlabError: ${String(err)}`; }
  return 'accepted';
}

export async function streamAttentionRegression(): Promise<{ values: Record<string, unknown>; refused: Record<string, string> }> {
  await init();
  const values: Record<string, unknown> = {};

  // wasm/stream.js
  const cs = countSketch({ buckets: 256, rows: 7, seed: 1 });
  cs.update(Int32Array.of(3), Float64Array.of(-2));   // one wasm call per batch
  cs.estimate(3); cs.f2(); const bytes = cs.serialize(); cs.dispose();
  const back: CountSketch = deserializeSketch(bytes);
  values.countSketch = [back.estimate(3), back.f2(), back.buckets, back.rows, back.hash, cs.disposed];
  back.dispose();
  {
    using c2 = countSketch({ seed: 2n, hash: 'fast' });
    c2.update(1, 2).update(1, 3);
    values.using = c2.estimate(1);
  }
  const ams = amsSketch({ s1: 8, s2: 3 }); ams.update(0, 3); values.ams = ams.f2(); ams.dispose();
  const cm = countMin({ buckets: 16 }); cm.update(2, 5); values.countMin = [cm.estimate(2), cm.estimate(2, 'median')]; cm.dispose();
  const s = l2Sampler({ n: 200, eps: 0.25, buckets: 64, rows: 7, heavy: 8, seed: 3 });
  s.update(Int32Array.of(5), Float64Array.of(4)); // a 1-sparse y: only index 5 can be sampled
  const rec: SampleRecord = s.sample();
  values.l2Sampler = [rec.index === -1 || rec.index === 5, rec.fail === null || rec.fail === 'tail' || rec.fail === 'threshold'];
  s.dispose();
  const att = attentionSampler({ setting: 'both', n: 20, d: 4, seed: 1 });
  att.updateA(1, 2, 3).updateX(2, 1);
  const att2 = deserializeAttention(att.serialize());
  values.attentionSampler = [att2.setting, att2.n, att2.d];
  att.dispose(); att2.dispose();
  const ts = tensorSampler({ A2: randn(6, 3, 1), X: randn(3, 3, 2), seed: 1 });
  ts.update(0, 0, 1);
  const pair: [number, number] | null = ts.sample().pair;
  values.tensorSampler = pair === null || (pair[0] === 0 && pair[1] >= 0 && pair[1] < 6);
  ts.dispose();
  values.softmaxSample = Array.from(softmaxSample([0, -1e3, -1e3], { method: 'gumbel', draws: 3, seed: 1 }));
  const tr = samplerTrials([0, 2, 0], { trials: 10, oracle: 'exact' });
  values.samplerTrials = [tr.counts[0], tr.counts[2], tr.counts[1] === tr.accepted];

  // wasm/attention.js
  const d = 4;
  const [q, k1, k2, v1, v2] = [1, 2, 3, 4, 5].map((sd) => randn(1, d, sd).data);
  const K = randn(3, d, 6), V = randn(3, d, 7);
  values.tensorAttention = tensorAttention(q, K, K, V, V, { evaluation: 'factored', scale: 'alman-song' }).length;
  values.attention = attention(q, K, V, { scale: 'simplicial' }).length;
  {
    using cache = kvCache({ kind: 'four', d });
    cache.append(k1, k2, v1, v2);                 // one token: softmax over one pair is 1, so out = v1∘v2
    const y = cache.query(q, { evaluation: 'streaming' });
    values.kvCache = [Array.from(y).every((t, j) => t === v1[j] * v2[j]), cache.stats().tokens, cache.stats().words];
  }
  // readonly (as const) and typed-array vectors and rows, as the runtime accepts them: one key, so out = v
  const qc = [1, 2] as const, Vc = [[3, 4]] as const;
  values.readonlyTyped = Array.from(attention(qc, [Float32Array.of(0.5, 1)], Vc));
  const std: KVCache = kvCache({ kind: 'standard', d: 2, window: null });
  std.append([1, 2], [3, 4]); values.standard = Array.from(std.query([0, 0])); std.dispose();
  const std2: KVCache = kvCache({ kind: 'standard', d: 2 });
  std2.append(Float32Array.of(0, 1), Vc); // a typed-array vector and a readonly one-row batch
  values.standardTyped = Array.from(std2.query(qc)); std2.dispose();
  const pairs: SubGen2 = subgen({ d: 2, delta: 1, t: 2, s: 3, tensor: 'pairs' });
  pairs.append([1, 0], [0, 1], [1, 1], [1, 1]); values.subgen2 = pairs.stats().pairs; pairs.dispose();
  const g = indexGame({ n: 16, d: 4, cache: { kind: 'evict', budget: 8 }, seed: 1 });
  values.indexGame = g.N;
  const seen: number[] = [];
  const run: DecodeRunResult = decodeRun({ kind: 'four', d: 8, T: 4, seed: 1, window: null, onStep: (st) => { seen.push(st.t); } });
  const first: DecodeStep = { ms: run.ms[0], words: run.words[0], queryOps: run.queryOps[0], appendOps: run.appendOps[0], workWords: run.workWords[0] };
  values.decodeRun = [seen, first.words];
  values.decodeRuns = decodeRun({ d: 8, T: 2, caches: [{ kind: 'four', evaluation: 'naive' }, { kind: 'two' }] }).runs.length;

  // wasm/regression.js
  const P = softmaxProblem('T2', { n: 400, d: 5, seed: 2 });
  const r: SoftmaxResult = softmaxRegression(P.A, P.b, P.w, { method: 'sampled', seed: 1, x0: P.x0 });
  values.softmaxRegression = [r.x.length, r.reason, r.history.length === r.iterations + 1];
  {
    using sv = softmaxSolver(P.A, P.b, P.w, { method: 'newton', safeguard: true });
    sv.step(); sv.state(); sv.sample();
    values.softmaxSolver = sv.state().iteration;
  }
  values.softmaxEval = softmaxEval(P.A, P.b, P.w, P.x0, { hessian: true }).hessian?.rows ?? null;
  values.softmaxLeverage = softmaxLeverage(P.A, { kind: 'sketch', seed: 1 }).length;

  const refused: Record<string, string> = {
    // @ts-expect-error a decode appends tensor tokens: kind is 'four' or 'two'
    decodeStandard: refuses(() => decodeRun({ d: 2, T: 1, kind: 'standard' })),
    // @ts-expect-error the tensor sampler has no hash option
    tensorHash: refuses(() => tensorSampler({ A2: randn(2, 1), X: randn(1, 1), hash: 'fast' })),
    // @ts-expect-error l2Sampler needs the universe size n
    l2NoN: refuses(() => l2Sampler({ eps: 0.5 })),
    // @ts-expect-error a batch update is (Int32Array, Float64Array)
    csArrays: refuses(() => countSketch().update([1, 2], [3, 4])),
    // @ts-expect-error kvCache needs d
    kvNoD: refuses(() => kvCache({ kind: 'four' })),
    // @ts-expect-error no such softmax method
    method: refuses(() => softmaxRegression(P.A, P.b, P.w, { method: 'lbfgs' })),
  };
  return { values, refused };
}
