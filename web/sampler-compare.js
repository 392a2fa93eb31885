// sampler-compare.js — Figure 4 of sampler.html: CountSketch, Count-Min and
// AMS at equal numbers of counters on the page's y (sketchComparison in the
// worker): point-query error of CountSketch against Count-Min, and F2 error of
// all three, the median over seeds at each budget, with the bytes each holds.

import { liveChart, logAxis, setData, PALETTE, fillTable, formatSci } from './lib/charts.js';
import { createRunner } from './lib/compute.js';

export const BUCKETS = [4, 8, 16, 32, 64];   // per row; budgets are R·b counters
export const SEEDS = 7;

/** A log axis labelled at the budgets actually computed (they span less than two decades). */
function budgetAxis() {
  const axis = logAxis({ title: 'counters (R·b, equal for all)' });
  return {
    ...axis,
    afterBuildTicks: (scale) => { const c = scale.chart.data.datasets[0].data.map((p) => p.x); if (c.length) scale.ticks = c.map((value) => ({ value })); },
    ticks: { autoSkip: false, callback: (value) => String(value) },
  };
}

export function setupCompare({ hook, clock, $, vectorY }) {
  const point = liveChart($('chart-point'), {
    label: 'Point-query error against memory: waiting for the comparison.',
    datasets: [
      { label: 'CountSketch', borderColor: PALETTE.blue, backgroundColor: PALETTE.blue, pointStyle: 'circle', pointRadius: 3 },
      { label: 'Count-Min', borderColor: PALETTE.vermillion, backgroundColor: PALETTE.vermillion, pointStyle: 'rect', pointRadius: 3 },
    ],
    scales: { x: budgetAxis(), y: logAxis({ title: 'RMS error of x̂ᵢ' }) },
  });
  const f2 = liveChart($('chart-f2'), {
    label: 'F2 relative error against memory: waiting for the comparison.',
    datasets: [
      { label: 'CountSketch', borderColor: PALETTE.blue, backgroundColor: PALETTE.blue, pointStyle: 'circle', pointRadius: 3 },
      { label: 'Count-Min', borderColor: PALETTE.vermillion, backgroundColor: PALETTE.vermillion, pointStyle: 'rect', pointRadius: 3 },
      { label: 'AMS', borderColor: PALETTE.green, backgroundColor: PALETTE.green, pointStyle: 'triangle', pointRadius: 4 },
    ],
    scales: { x: budgetAxis(), y: logAxis({ title: '|F̂₂/F₂ − 1|' }) },
  });
  hook.charts.point = point; hook.charts.f2 = f2;

  const runner = createRunner({
    lane: 'compare', statusEl: $('compare-status'),
    // One worker call per budget, smallest first, drawing after each: the
    // figure starts to redraw after the cheapest budget instead of after all.
    job: async (v, { call, signal }) => {
      const y = vectorY(v);
      const x = v.cmp === 'counts' ? y.map(Math.abs) : y;
      let r = null;
      for (const b of BUCKETS) {
        const part = await call('sketchComparison', [x, { budgets: [b * v.rows], rows: v.rows, seeds: SEEDS, seed: v.seed }]);
        if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
        r = r ? { ...r, budgets: [...r.budgets, ...part.budgets] } : part;
        render(r, v);
        if (b === BUCKETS[0]) clock.drawn('compare-first', v._stamp);
      }
      return { r, v: { ...v } };
    },
    onResult: ({ r, v }, params, info) => {
      render(r, v);
      hook.lastCompare = r;
      if (!info.stale) clock.drawn('compare', params._stamp);
    },
  });

  function render(r, v) {
    const pos = (e) => Math.max(e, 1e-6);
    const B = r.budgets;
    setData(point, [B.map((b) => ({ x: b.counters, y: pos(b.countSketch.rms) })), B.map((b) => ({ x: b.counters, y: pos(b.countMin.rms) }))],
      `Point-query RMS error at ${B.map((b) => b.counters).join(', ')} counters: CountSketch ${B.map((b) => formatSci(b.countSketch.rms)).join(', ')}; ` +
      `Count-Min (${r.countMinRule}) ${B.map((b) => formatSci(b.countMin.rms)).join(', ')}.`);
    setData(f2, [B.map((b) => ({ x: b.counters, y: pos(b.countSketch.f2RelErr) })), B.map((b) => ({ x: b.counters, y: pos(b.countMin.f2RelErr) })),
      B.map((b) => ({ x: b.counters, y: pos(b.ams.f2RelErr) }))],
    `F2 relative error: CountSketch ${B.map((b) => formatSci(b.countSketch.f2RelErr)).join(', ')}; Count-Min ${B.map((b) => formatSci(b.countMin.f2RelErr)).join(', ')}; ` +
      `AMS ${B.map((b) => formatSci(b.ams.f2RelErr)).join(', ')}.`);
    const two = (a, b) => `${formatSci(a)} / ${formatSci(b)}`;
    fillTable($('compare-table'), ['counters (R × b)', 'bytes: CS / CM / AMS', 'point RMS: CS / CM', 'point max: CS / CM', 'F2 error: CS / CM / AMS'],
      B.map((b) => [`${b.counters} (${b.rows} × ${b.buckets})`, `${b.bytes.cs.toLocaleString('en')} / ${b.bytes.cm.toLocaleString('en')} / ${b.bytes.ams.toLocaleString('en')}`,
        two(b.countSketch.rms, b.countMin.rms), two(b.countSketch.max, b.countMin.max),
        `${two(b.countSketch.f2RelErr, b.countMin.f2RelErr)} / ${formatSci(b.ams.f2RelErr)}`]));
    const top = B[B.length - 1];
    $('compare-readout').textContent = `On ${v.cmp === 'counts' ? '|y| (counts)' : 'y (signed)'}, n = ${r.n}, ‖y‖₁ = ${formatSci(r.l1)}, ‖y‖₂ = ${formatSci(r.norm)}; ` +
      `median of ${r.seeds} seeds. At ${top.counters} counters CountSketch's point error is ${formatSci(top.countSketch.rms)} against Count-Min's ${formatSci(top.countMin.rms)} ` +
      `(${r.countMinRule} rule): CountSketch's error scales with ‖y‖₂/√b, Count-Min's with ‖y‖₁/b. AMS spends ${top.buckets * top.rows} counter updates per item for F2 alone; ` +
      'CountSketch spends R and also answers point queries.';
  }
  return { runner, request: (v) => runner.request(v) };
}
