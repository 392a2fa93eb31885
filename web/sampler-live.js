// sampler-live.js — Figure 3 of sampler.html: the three settings of y = A·x
// (spec §1.4) driven live by one log of updates. Each button (or Step/Play)
// appends one operation to `ops` in the URL hash: 'a' (A_ij += Δ), 'x'
// (x_j += Δ) or 'b' (one of each); the worker replays the log in all three
// settings (attentionLive) and returns, per setting, the counters each
// operation touched and the state size, shown beside the §1.4 theory.

import { liveChart, linearAxis, logAxis, setData, PALETTE, fillTable } from './lib/charts.js';
import { createRunner } from './lib/compute.js';
import { createStepper } from './lib/stepper.js';

export const MAX_OPS = 200;
const SCHEDULE = 'aaxb';        // Step/Play: A, A, x, both, A, A, x, both, ...
const SHOWN = 40;               // the chart shows the last SHOWN operations
const SHORT = { A: '(1) A-updates', x: '(2) x-updates', both: '(3) both' };
const NAMES = { A: '(1) A updates, x fixed', x: '(2) x updates, A fixed', both: '(3) both update' };

/**
 * @param {object} o { state, hook, clock, n, d, $, opButtons: { a, x, b }, stepperEl }
 * @returns {{ runner, request(v, stamp) }}
 */
export function setupLive({ state, hook, clock, n, d, $ }) {
  const chart = liveChart($('chart-live'), {
    label: 'Counter updates per operation in the three settings: apply an update to fill it.',
    type: 'bar',
    datasets: [
      { label: NAMES.A, backgroundColor: PALETTE.blue, borderColor: PALETTE.blue },
      { label: NAMES.x, backgroundColor: PALETTE.orange, borderColor: PALETTE.orange },
      { label: NAMES.both, backgroundColor: PALETTE.green, borderColor: PALETTE.green },
    ],
    // log y: an x-update's single counter stays visible next to an A-update's 2R
    scales: { x: linearAxis({ title: 'operation number', integer: true }), y: { ...logAxis({ title: 'counters (log)' }), min: 0.5 } },
  });
  hook.charts.live = chart;

  /** Append one operation; false (and the reason shown) when the log is full. */
  const append = (c) => {
    const ops = state.values.ops;
    if (ops.length >= MAX_OPS) { $('live-readout').textContent = `At most ${MAX_OPS} updates are kept in the link: press Reset updates to start again.`; return false; }
    state.set({ ops: ops + c });
    return true;
  };
  $('op-a').addEventListener('click', () => append('a'));
  $('op-x').addEventListener('click', () => append('x'));
  $('op-b').addEventListener('click', () => append('b'));

  const runner = createRunner({
    lane: 'aux', statusEl: $('live-status'),
    job: (v, { call }) => call('attentionLive', [{ ops: v.ops, n, d, eps: v.eps, buckets: v.buckets, rows: v.rows, heavy: v.heavy, repetitions: v.reps, thresholds: v.rule, seed: v.seed }]),
    onResult: (r, params, info) => {
      render(r, params);
      hook.lastLive = r;
      if (!info.stale) clock.drawn('live', params._stamp);
    },
  });

  createStepper($('live-stepper'), {
    titles: { step: 'Apply the next update (A, A, x, both, …) to all three settings', play: 'Keep applying updates', reset: 'Forget every update' },
    labels: { step: 'Step update', reset: 'Reset updates' },
    speeds: [1, 2, 4, 8],
    onStep: async () => {
      // A full log stops Play (the stepper pauses on a throw) with the reason in the readout.
      if (!append(SCHEDULE[state.values.ops.length % SCHEDULE.length])) throw new Error('update log full');
      await runner.idle();
    },
    onReset: () => state.set({ ops: '' }),
  });

  function render(r, v) {
    const k = r.ops.length, from = Math.max(0, k - SHOWN);
    const series = ['A', 'x', 'both'].map((s) => r.settings[s].perOp.slice(from).map((c, t) => ({ x: from + t + 1, y: c })));
    chart.options.scales.x.min = from; chart.options.scales.x.max = from + SHOWN;
    chart.options.scales.y.max = 4 * v.rows * v.reps;
    setData(chart, series, k === 0
      ? 'No updates yet: apply one to see how many counters each setting touches.'
      : `Counters updated by each of the last ${k - from} operations: setting 1 touches 2R per repetition for an A-update and refuses x-updates; ` +
        'setting 2 touches 1 (x_j) and refuses A-updates; setting 3 touches 2R per repetition for A and 1 for x.');
    const R = v.rows, b = v.buckets, reps = v.reps;
    const perA = 2 * R * reps, sk = 2 * R * b * reps;
    const theory = {
      A: { a: `2R·reps = ${perA}`, x: 'refused (x fixed)', words: 'd + 2Rb·reps', w: d + sk },
      x: { a: 'refused (A fixed)', x: '1', words: '2Rbd·reps + d', w: sk * d + d },
      both: { a: `2R·reps = ${perA}`, x: '1', words: '2Rbd·reps + d', w: sk * d + d },
    };
    const kept = { A: 'x, Φy, Ψy', x: 'ΦA, ΨA, x', both: 'ΦA, ΨA, x' };
    const last = (s) => { const c = r.settings[s].perOp[k - 1]; return k === 0 ? '—' : c === null ? 'refused' : String(c); };
    fillTable($('live-table'), ['setting: kept', 'words (§1.4)', 'bytes / bits', 'counters last / all', '§1.4 per A / x', 'sampled'],
      ['A', 'x', 'both'].map((s) => {
        const st = r.settings[s];
        return [`${SHORT[s]}: ${kept[s]}`, `${st.words.toLocaleString('en')} ${st.words === theory[s].w ? '=' : '≠'} ${theory[s].words}`, `${st.bytes.toLocaleString('en')} / ${st.bits.toLocaleString('en')}`,
          `${last(s)} / ${st.totalCounterUpdates.toLocaleString('en')}`, `${theory[s].a} / ${theory[s].x}`, st.index < 0 ? `FAIL (${st.fail})` : String(st.index)];
      }));
    const u = r.last;
    const what = !u ? 'No updates yet.' : `Update ${k}: ${[u.a && `A[${u.a.i}][${u.a.j}] += ${u.a.delta}`, u.x && `x[${u.x.j}] += ${u.x.delta}`].filter(Boolean).join(' and ')}. ` +
      `Counters touched: setting 1 ${last('A')}, setting 2 ${last('x')}, setting 3 ${last('both')}.`;
    $('live-readout').textContent = `${what} State: ${r.settings.A.bytes.toLocaleString('en')} bytes in setting 1 against ${r.settings.both.bytes.toLocaleString('en')} in settings 2 and 3 ` +
      `(n = ${n}, d = ${d}, R = ${R}, b = ${b}, ${reps} repetition${reps > 1 ? 's' : ''}; the formulas of spec §1.4 give the same words).`;
  }

  return { runner, request: (v) => runner.request(v) };
}
