// sampler_distributions_run.mjs — sketchlab side of sampler_distributions.py: reads JSON
// jobs on stdin and prints, per job, the counts of each sampled index (or the error code).
//   {kind: 'softmax', logits, method, draws, seed}
//   {kind: 'l2', y, oracle, trials, eps, buckets, rows, heavy, repetitions, seed}  (samplerTrials)
//   {kind: 'att', setting, A (row lists), x, trials, eps, buckets, rows, heavy, repetitions, seed}
//       one fresh attention sampler per trial (seed + t), built from A and x directly;
//       also its stats() words, for the §1.4 memory table
//   {kind: 'tensor-fft', A2, X, A1 (row lists), buckets, rows, seed}
//       the y-table through the FFT identity vs the streamed y-table (rep 0) and f2
import { readFileSync } from 'node:fs';
import * as sk from '../../wasm/index.js';

await sk.init();
const jobs = JSON.parse(readFileSync(0, 'utf8'));
const err = (e) => ({ error: e.code || 'ERR', message: String(e.message).slice(0, 200) });
const out = jobs.map((j) => {
  try {
    if (j.kind === 'softmax') {
      // JSON has no -Infinity: the driver sends it as a string
      const logits = j.logits.map((v) => (v === '-Infinity' ? -Infinity : v));
      const draws = sk.softmaxSample(logits, { method: j.method, draws: j.draws, seed: BigInt(j.seed) });
      const counts = new Array(j.logits.length).fill(0);
      for (const i of draws) counts[i]++;
      return { counts };
    }
    if (j.kind === 'l2') {
      const { y, kind, ...o } = j;
      const r = sk.samplerTrials(y, { ...o, seed: BigInt(j.seed) });
      return { counts: Array.from(r.counts), accepted: r.accepted, trials: r.trials };
    }
    if (j.kind === 'att') {
      const A = sk.fromRows(j.A), n = j.A.length;
      const counts = new Array(n).fill(0);
      let accepted = 0, stats = null;
      for (let t = 0; t < j.trials; t++) {
        const s = sk.attentionSampler({ setting: j.setting, A, x: j.x, eps: j.eps, buckets: j.buckets, rows: j.rows,
          heavy: j.heavy, repetitions: j.repetitions, seed: BigInt(j.seed + t) });
        try {
          const r = s.sample();
          if (r.index >= 0) { counts[r.index]++; accepted++; }
          if (!stats) stats = s.stats();
        } finally { s.dispose(); }
      }
      return { counts, accepted, trials: j.trials, words: stats.words, bytes: stats.bytes };
    }
    if (j.kind === 'tensor-fft') {
      const s = sk.tensorSampler({ A2: sk.fromRows(j.A2), X: sk.fromRows(j.X), buckets: j.buckets, rows: j.rows, repetitions: 1, seed: BigInt(j.seed) });
      try {
        j.A1.forEach((row, i) => row.forEach((v, c) => { if (v !== 0) s.update(i, c, v); }));
        const f = s.fftSketch(), tab = s.table(0);
        return { fft: Array.from(f.table), f2: f.f2, ytab: Array.from(tab.y) };
      } finally { s.dispose(); }
    }
    return { error: 'bad job' };
  } catch (e) { return err(e); }
});
process.stdout.write(JSON.stringify(out));
