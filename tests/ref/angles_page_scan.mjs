// Run after `make wasm`:  node tests/ref/angles_page_scan.mjs [defaults]   (about 35 s for the grid)
// How often can the svd-bounds page's settings hit SK_ESINGULAR in the Monte-Carlo estimate
// (angleBounds, trials 4, as Figure 1) and the planner (planBudget, qmax 8, trials 3)?
import { init, planBudget, angleBounds } from '../../wasm/index.js';
import { spectrumOf } from '../../web/svd-bounds-spectrum.js';
await init();
const def = { shape: 'poly', power: 1, rate: 0.05, gap: 1, tail: 1e-5, k: 50, l: 80, q: 0, side: 'left', seed: 1, budget: 400 };
const grid = process.argv[2] === 'defaults' ? [def] : [];
if (!grid.length) {
  for (const shape of ['poly', 'exp']) for (const p of shape === 'poly' ? [0.1, 1, 4] : [0.001, 0.05, 1])
    for (const gap of [1, 100]) for (const tail of [1e-12, 1e-5, 0.5]) for (const k of [1, 10, 50])
      for (const q of [0, 2, 10]) for (const side of ['left', 'right'])
        grid.push({ ...def, shape, power: p, rate: p, gap, tail, k, l: Math.min(500, k + 30), q, side });
}
let mcErr = 0, planErr = 0, n = 0, msgs = new Set();
for (const v of grid) {
  const r = 500, k = Math.min(v.k, r - 1), l = Math.min(Math.max(v.l, k), r), spectrum = spectrumOf(v, r, k);
  n++;
  try { angleBounds({ spectrum, k, l, q: v.q, side: v.side, trials: 4, seed: v.seed }); }
  catch (e) { mcErr++; msgs.add(e.message); if (mcErr <= 3) console.log('MC', JSON.stringify(v)); }
  if (v.side === 'left' && v.q === 0) {
    try { planBudget({ spectrum, k, budget: v.budget, qmax: 8, trials: 3, seed: v.seed }); }
    catch (e) { planErr++; msgs.add(e.message); if (planErr <= 3) console.log('plan', JSON.stringify(v)); }
  }
}
console.log(`settings ${n}: MC errors ${mcErr}, planner errors ${planErr}`);
for (const m of msgs) console.log('message:', m);
