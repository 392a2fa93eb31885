#!/usr/bin/env node
// page_liveness_report.mjs — summarize bench/page_liveness.mjs results (one
// JSON file, or two to compare before / after) as a markdown table per page
// and width:
//   load      ms to the first complete figure, longest main-thread task on the way
//   controls  one keyboard action per control: median / max ms to the last redraw,
//             longest task, tasks over 200 ms
//   drags     12-step slider drags: the same, and how many workers were started
//             (a cancelled job restarts its worker)
// Not a test: it only reads and prints.
//
//   node bench/page_liveness_report.mjs build/liveness/before.json [build/liveness/after.json]

import { readFileSync } from 'node:fs';

const files = process.argv.slice(2);
if (!files.length) { console.error('usage: page_liveness_report.mjs results.json [results2.json]'); process.exit(1); }
const runs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')));
const median = (a) => { if (!a.length) return NaN; const b = [...a].sort((x, y) => x - y); const k = b.length >> 1; return b.length % 2 ? b[k] : (b[k - 1] + b[k]) / 2; };
const r = (x) => (Number.isFinite(x) ? String(Math.round(x)) : '—');

function summarize(res) {
  const load = res.rows.find((x) => x.control === 'page load');
  const acts = res.rows.filter((x) => x.control !== 'page load' && !x.what.startsWith('drag') && !x.what.startsWith('Play'));
  const drags = res.rows.filter((x) => x.what.startsWith('drag'));
  const redrawn = (rows) => rows.filter((x) => x.lastDraw != null).map((x) => x.lastDraw);
  const group = (rows) => ({
    n: rows.length,
    med: median(redrawn(rows)), max: Math.max(-Infinity, ...redrawn(rows)),
    longest: Math.max(0, ...rows.map((x) => x.longestTask)),
    over200: rows.reduce((s, x) => s + (x.longestTask > 200 ? 1 : 0), 0),
    timedOut: rows.filter((x) => x.timedOut).length,
    workers: rows.some((x) => x.workerStarts !== undefined) ? rows.reduce((s, x) => s + (x.workerStarts ?? 0), 0) : NaN,
  });
  return { load: load?.complete ?? NaN, loadLongest: load?.longestTask ?? NaN, acts: group(acts), drags: group(drags) };
}

for (const [i, run] of runs.entries()) console.log(`${files[i]}: started ${run.when}, CPU throttling rate ${run.rate}, load average at the end ${run.loadavg}`);
const cols = ['load: complete', 'load: longest task', 'controls: median / max redraw', 'controls: longest task', 'controls with a task > 200 ms', 'drags: median / max redraw', 'drags: longest task', 'drags with a task > 200 ms', 'worker starts (all drags)'];
console.log(`\n| page | width | ${runs.length > 1 ? 'run | ' : ''}${cols.join(' | ')} |`);
console.log(`|---|---|${runs.length > 1 ? '---|' : ''}${cols.map(() => '---:').join('|')}|`);
for (const res of runs[0].results) {
  for (const [i, run] of runs.entries()) {
    const m = run.results.find((x) => x.page === res.page && x.width === res.width);
    if (!m) continue;
    const s = summarize(m);
    const cells = [r(s.load), r(s.loadLongest), `${r(s.acts.med)} / ${r(s.acts.max)}`, r(s.acts.longest), `${s.acts.over200} of ${s.acts.n}`,
      s.drags.n ? `${r(s.drags.med)} / ${r(s.drags.max)}` : '—', s.drags.n ? r(s.drags.longest) : '—', s.drags.n ? `${s.drags.over200} of ${s.drags.n}` : '—', r(s.drags.workers)];
    const to = s.acts.timedOut + s.drags.timedOut;
    console.log(`| ${res.page} | ${res.width} | ${runs.length > 1 ? `${i ? 'after' : 'before'} | ` : ''}${cells.join(' | ')}${to ? ` (${to} timed out)` : ''} |`);
  }
}
