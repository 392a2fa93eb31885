// redraw-report.mjs — the browser tests' one way to drive a page's controls and
// report its redraw times. Pages time themselves with web/lib/redraw.js (a mark
// per control change naming the figures it redraws; a record per figure drawn,
// in globalThis.__redrawTimes). Here:
//   redrawMark(page)            the latest mark's id (before acting)
//   settle(page, before)        wait for a newer mark and every figure it expects
//   drive(page, control, act)   do it, settle, check the figures were drawn; one row
//   report(page-name, rows)     print a table, write build/redraw-times/<page>.json (+ .jsonl)
// Behaviour is asserted (each control redraws the figures it should); time never
// is (the machine is shared): `make redraw-times` summarizes the JSON files.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, readFileSync, appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REDRAW_DIR = fileURLToPath(new URL('../../build/redraw-times/', import.meta.url));

export const redrawMark = (page) => page.evaluate(() => Number(document.body.dataset.redrawMark ?? 0));

/** Wait for a mark newer than `before`, then for every figure it expects; returns { mark, records, timedOut }. */
export async function settle(page, before, { timeout = 120_000 } = {}) {
  await page.waitForFunction((b) => Number(document.body.dataset.redrawMark ?? 0) > b, before, { timeout: 20_000 });
  return page.evaluate(async (limit) => {
    const marks = globalThis.__redrawMarks, m = marks[marks.length - 1];
    const t0 = performance.now();
    for (;;) {
      const got = globalThis.__redrawTimes.filter((r) => r.id === m.id);
      if (m.figures.every((f) => got.some((r) => r.figure === f))) return { mark: m, records: got };
      if (performance.now() - t0 > limit) return { mark: m, records: got, timedOut: true };
      await new Promise((r) => setTimeout(r, 20));
    }
  }, timeout);
}

/**
 * Perform `act` (an async function acting on the page) as control `control`,
 * wait until the page has drawn every figure the change should redraw and
 * assert that it did; `expect` (optional) lists figures the mark must name.
 * Returns the row for report().
 */
export async function drive(page, control, act, { expect, timeout } = {}) {
  const before = await redrawMark(page);
  await act();
  const r = await settle(page, before, { timeout });
  assert.ok(!r.timedOut, `${control}: figures ${r.mark.figures.join(', ')} drawn (got ${r.records.map((x) => x.figure).join(', ')})`);
  for (const f of expect ?? []) assert.ok(r.mark.figures.includes(f), `${control} redraws ${f} (marked: ${r.mark.figures.join(', ')})`);
  return { control, ...r };
}

/** The load's mark (id 1 on a fresh page) once all its figures are drawn. */
export async function settleLoad(page, opts) {
  const r = await settle(page, 0, opts);
  assert.ok(!r.timedOut, `the first load draws every figure (${r.mark.figures.join(', ')})`);
  return { control: 'page load (worker start + wasm compile)', ...r };
}

const round = (x) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : x);

/**
 * Print the rows as a table and write build/redraw-times/<name>.json ({ page, when, loadavg, rows });
 * the same object is appended as one line to <name>.jsonl, so repeated runs (make redraw-times
 * RUNS=3) can be summarized together by redraw-times.mjs.
 */
export function report(name, rows, extra = {}) {
  const table = rows.map(({ control, mark: m, records }) => ({
    control, changed: m.controls.join(','),
    ...Object.fromEntries(records.map((r) => [r.figure, Math.round(r.ms)])),
    slowest: records.length ? Math.round(Math.max(...records.map((r) => r.ms))) : null,
  }));
  console.table(table);
  const out = {
    page: name, when: new Date().toISOString(), loadavg: readFileSync('/proc/loadavg', 'utf8').trim(), ...extra,
    rows: rows.map(({ control, mark: m, records }) => ({
      control, changed: m.controls, figures: m.figures,
      records: records.map((r) => ({ figure: r.figure, ms: round(r.ms), ...(r.segments ? { segments: Object.fromEntries(Object.entries(r.segments).map(([k, v]) => [k, round(v)])) } : {}) })),
    })),
  };
  mkdirSync(REDRAW_DIR, { recursive: true });
  writeFileSync(`${REDRAW_DIR}${name}.json`, JSON.stringify(out, null, 2));
  appendFileSync(`${REDRAW_DIR}${name}.jsonl`, `${JSON.stringify(out)}\n`);
  return out;
}
