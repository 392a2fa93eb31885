#!/usr/bin/env node
// redraw-times.mjs — one table of the pages' redraw times (control → median /
// max ms per page) from build/redraw-times/<page>.jsonl, which the browser
// tests write through redraw-report.mjs (one line per run). `make redraw-times`
// runs those tests (RUNS times) and then this script; run it alone to
// re-print the last measurements. Not a test: it only reports.
//
//   "first" = the first figure the change redraws on screen (the 200 ms target
//   of issues 10–12 is about this); "all" = the last of the figures it redraws
//   (for pages that fill a figure in steps, e.g. a whole live decode or all
//   5,000 trials, this is the complete figure). Controls driven more than once
//   per run (changed and changed back) are pooled; "n" counts the samples.

import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../../build/redraw-times/', import.meta.url));
const median = (a) => { const b = [...a].sort((x, y) => x - y); const k = b.length >> 1; return b.length % 2 ? b[k] : (b[k - 1] + b[k]) / 2; };

if (!existsSync(DIR)) { console.error(`no ${DIR}: run \`make redraw-times\` first`); process.exit(1); }
const files = readdirSync(DIR).filter((f) => f.endsWith('.jsonl')).sort();
if (!files.length) { console.error(`no *.jsonl in ${DIR}: run \`make redraw-times\` first`); process.exit(1); }

const lines = ['| page | control | n | first: median | first: max | all: median | all: max | load average |', '|---|---|---:|---:|---:|---:|---:|---|'];
for (const f of files) {
  const runs = readFileSync(DIR + f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const groups = new Map(); // control (without its value) → { first: [], all: [] }
  for (const run of runs) {
    for (const row of run.rows) {
      if (!row.records.length) continue; // a control that redraws nothing (e.g. the sampler's trials slider)
      const key = row.control.replace(/ = .*$/, '');
      if (!groups.has(key)) groups.set(key, { first: [], all: [] });
      const ms = row.records.map((r) => r.ms);
      groups.get(key).first.push(Math.min(...ms));
      groups.get(key).all.push(Math.max(...ms));
    }
  }
  const load = [...new Set(runs.map((r) => r.loadavg?.split(' ')[0]))].join(', ');
  for (const [control, g] of groups) {
    const r = (x) => Math.round(x);
    lines.push(`| ${runs[0].page} | ${control} | ${g.first.length} | ${r(median(g.first))} | ${r(Math.max(...g.first))} | ${r(median(g.all))} | ${r(Math.max(...g.all))} | ${load} |`);
  }
}
console.log(lines.join('\n'));
console.log('\nms from the control change to the figure drawn (after the next animation frame), measured by the page (web/lib/redraw.js).');
