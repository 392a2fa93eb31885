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

  return s[0] + (u ? u.rows : 0) + full.rows + full2.cols + (none === null ? 1 : 0) + (ev ? 1 : 0) + L.rows +
    (singular ? 1 : 0) + sines.length + both.theta.length + n + cs.s.length;
}
