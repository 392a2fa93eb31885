// sampler-redraw.test.mjs — drives every control of web/sampler.html (with the
// keyboard where the control is a slider) and collects the page's own redraw
// measurements (globalThis.__redrawTimes: control change → figure drawn, after
// the next animation frame; web/lib/redraw.js). It asserts only that every
// figure a control should redraw was redrawn; it never asserts on timing (the
// machine is shared): the times are printed and written to
// build/redraw-times/sampler.json for docs/PERFORMANCE.md.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { withPage, waitRendered, SHOT_DIR, DESKTOP } from './harness.mjs';

const T = { timeout: 600_000 };

/** Wait for a new mark after `before`, then for every figure it expects; returns its records. */
async function settle(page, before) {
  await page.waitForFunction((b) => Number(document.body.dataset.redrawMark) > b, before, { timeout: 20_000 });
  return page.evaluate(async () => {
    const marks = globalThis.__redrawMarks, m = marks[marks.length - 1];
    const t0 = performance.now();
    for (;;) {
      const got = globalThis.__redrawTimes.filter((r) => r.id === m.id);
      if (m.figures.every((f) => got.some((r) => r.figure === f))) return { mark: m, records: got };
      if (performance.now() - t0 > 120_000) return { mark: m, records: got, timedOut: true };
      await new Promise((r) => setTimeout(r, 20));
    }
  });
}

const mark = (page) => page.evaluate(() => Number(document.body.dataset.redrawMark ?? 0));

test('sampler.html: every control redraws its figures; the page-measured times are reported', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}sampler.html`);
    await waitRendered(page);
    const rows = [];
    const load = await settle(page, 0);
    assert.ok(!load.timedOut, 'the first load draws every figure');
    rows.push({ control: 'page load (worker start + wasm compile)', ...load });
    // a second load-free pass so that worker start-up is excluded from the controls
    const slider = (name, key = 'ArrowRight') => async () => page.locator(`[data-control="${name}"] input[type="range"]`).press(key);
    const choose = (name, value) => async () => page.locator(`[data-control="${name}"] select`).selectOption(value);
    const click = (sel) => async () => page.locator(sel).click();
    const actions = [
      ['head (slider, →)', slider('head')],
      ['noise (slider, →)', slider('noise')],
      ['ε (slider, ←)', slider('eps', 'ArrowLeft')],
      ['buckets b (slider, →)', slider('buckets')],
      ['rows R (slider, ←)', slider('rows', 'ArrowLeft')],
      ['heavy m (slider, →)', slider('heavy')],
      ['repetitions (slider, →)', slider('reps')],
      ['thresholds (select)', choose('rule', 'paper')],
      ['oracle (select)', choose('oracle', 'exact')],
      ['seed (number box)', async () => { const box = page.locator('[data-control="seed"] input'); await box.fill('5'); await box.press('Enter'); }],
      ['Step query', click('#stepper [data-action="step"]')],
      ['Update A', click('#op-a')],
      ['Update x', click('#op-x')],
      ['Update A and x', click('#op-b')],
      ['Step update', click('#live-stepper [data-action="step"]')],
      ['Reset updates', click('#live-stepper [data-action="reset"]')],
      ['stream compared (select)', choose('cmp', 'counts')],
      ['Run trials (5,000)', click('#run-trials')],
      ['Reset all (back to defaults)', click('#stepper [data-action="reset"]')],
    ];
    for (const [control, act] of actions) {
      const before = await mark(page);
      await act();
      const r = await settle(page, before);
      assert.ok(!r.timedOut, `${control}: figures ${r.mark.figures.join(', ')} drawn (got ${r.records.map((x) => x.figure).join(', ')})`);
      assert.ok(r.mark.figures.length > 0, `${control} redraws something`);
      rows.push({ control, ...r });
    }
    // the trials slider alone redraws nothing (it sets the size of the next run)
    const before = await mark(page);
    await slider('trials')();
    const tr = await settle(page, before);
    assert.deepEqual(tr.mark.figures, []);

    const table = rows.map(({ control, mark: m, records }) => ({
      control, changed: m.controls.join(','),
      ...Object.fromEntries(records.map((r) => [r.figure, Math.round(r.ms)])),
      slowest: Math.round(Math.max(...records.map((r) => r.ms))),
    }));
    console.table(table);
    const dir = SHOT_DIR.replace(/screenshots$/, 'redraw-times');
    await mkdir(dir, { recursive: true });
    await writeFile(`${dir}/sampler.json`, JSON.stringify({ when: new Date().toISOString(), viewport: DESKTOP, table }, null, 2));
    assert.deepEqual(errors, []);
  }, { viewport: DESKTOP });
});
