// sampler-redraw.test.mjs — drives every control of web/sampler.html (with the
// keyboard where the control is a slider) and collects the page's own redraw
// measurements (globalThis.__redrawTimes: control change → figure drawn, after
// the next animation frame; web/lib/redraw.js). It asserts only that every
// figure a control should redraw was redrawn; it never asserts on timing (the
// machine is shared): the times are printed and written to
// build/redraw-times/sampler.json for docs/PERFORMANCE.md (redraw-report.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, waitRendered, DESKTOP } from './harness.mjs';
import { drive, settle, settleLoad, redrawMark, report } from './redraw-report.mjs';

const T = { timeout: 600_000 };

test('sampler.html: every control redraws its figures; the page-measured times are reported', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}sampler.html`);
    await waitRendered(page);
    const rows = [await settleLoad(page)];
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
      const r = await drive(page, control, act);
      assert.ok(r.mark.figures.length > 0, `${control} redraws something`);
      rows.push(r);
    }
    // the trials slider alone redraws nothing (it sets the size of the next run)
    const before = await redrawMark(page);
    await slider('trials')();
    const tr = await settle(page, before);
    assert.deepEqual(tr.mark.figures, []);

    report('sampler', rows, { viewport: DESKTOP });
    assert.deepEqual(errors, []);
  }, { viewport: DESKTOP });
});
