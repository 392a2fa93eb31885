// sampler.test.mjs — web/sampler.html in headless Chromium: loads without
// errors, Step changes the glass-box figure, the distribution chart fills
// from real trials (with a chi-square verdict), the settings table and the
// disjointness game fill, the hash restores the state, axe-core finds no
// WCAG 2 A/AA violations, and it fits a 390 px phone. Screenshots go to
// build/screenshots/sampler-*.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { withPage, waitRendered, chartData, screenshot, overflowX, axeViolations, DESKTOP, PHONE } from './harness.mjs';

const T = { timeout: 240_000 };
const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await globalThis.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

test('sampler.html: Step changes the glass box, trials fill the distribution, the hash restores, WCAG A/AA', T, async () => {
  await withPage(async ({ page, base, errors, newPage }) => {
    await page.goto(`${base}sampler.html`);
    await waitRendered(page);
    assert.match(await page.evaluate(() => location.hash), /step=0/);
    let glass = await chartData(page, '#chart-glass');
    assert.equal(glass.role, 'img');
    assert.equal(glass.datasets[0].data.length, 200, 'the true |y| is drawn');
    assert.equal(glass.datasets[1].data.length, 0, 'step 1 shows no ẑ yet');
    const label0 = glass.label;
    // Step: ẑ appears, then the candidate
    await page.locator('#stepper [data-action="step"]').click();
    await page.waitForFunction(() => location.hash.includes('step=1'));
    await waitRendered(page);
    glass = await chartData(page, '#chart-glass');
    assert.equal(glass.datasets[1].data.length, 200, 'Step shows the decoded ẑ');
    assert.notEqual(glass.label, label0, 'the figure description changes');
    for (let s = 2; s <= 6; s++) {
      await page.locator('#stepper [data-action="step"]').click();
      await page.waitForFunction((k) => location.hash.includes(`step=${k}`), s);
      await waitRendered(page);
    }
    glass = await chartData(page, '#chart-glass');
    assert.equal(glass.datasets[2].data.length, 1, 'the candidate i* is marked');
    assert.equal(glass.datasets[4].data.length, 2, 'the peak threshold is drawn');
    const rec = await page.evaluate(() => globalThis.__sketchlab.lastQuery.q.record);
    assert.ok(rec.fail === null ? rec.index === rec.istar : rec.index === -1);
    assert.match(await page.locator('#steps li.is-current').innerText(), /Result/);
    // the distribution chart fills from the automatic run
    await page.waitForFunction(() => globalThis.__sketchlab.lastDist !== null, null, { timeout: 120_000 });
    const dist = await chartData(page, '#chart-dist');
    assert.equal(dist.datasets[0].data.length, 21);
    assert.equal(dist.datasets[1].data.length, 21);
    const readout = await page.locator('#dist-readout').innerText();
    assert.match(readout, /Chi-square p = /);
    const d = await page.evaluate(() => ({ a: globalThis.__sketchlab.lastDist.accepted, t: globalThis.__sketchlab.lastDist.trials }));
    assert.equal(d.t, 5000);
    assert.ok(d.a / d.t > 0.15 && d.a / d.t < 0.3, `acceptance ${d.a / d.t}`);
    // the whole-stream settings table is computed when its <details> opens
    assert.equal(await page.evaluate(() => globalThis.__sketchlab.lastSettings), null, 'closed table: not computed');
    await page.locator('details:has(#settings-table) summary').click();
    await page.waitForFunction(() => globalThis.__sketchlab.lastSettings !== null);
    assert.equal(await page.locator('#settings-table tbody tr').count(), 4);
    // Figure 3: updates go to the three settings live, with counters per op (spec §1.4) and state sizes
    await page.waitForFunction(() => globalThis.__sketchlab.lastLive !== null);
    assert.equal(await page.locator('#live-table tbody tr').count(), 3);
    await page.locator('#op-a').click();
    await page.waitForFunction(() => globalThis.__sketchlab.lastLive?.ops === 'a');
    await page.locator('#op-x').click();
    await page.waitForFunction(() => globalThis.__sketchlab.lastLive?.ops === 'ax');
    await page.locator('#live-stepper [data-action="step"]').click();   // schedule a, a, x, b: the third is x
    await page.waitForFunction(() => globalThis.__sketchlab.lastLive?.ops === 'axx');
    assert.match(await page.evaluate(() => location.hash), /ops=axx/);
    const live = await page.evaluate(() => globalThis.__sketchlab.lastLive.settings);
    assert.deepEqual(live.A.perOp, [14, null, null], 'setting 1: 2R counters per A-update (R = 7, 1 repetition), x refused');
    assert.deepEqual(live.x.perOp, [null, 1, 1], 'setting 2: one number per x-update, A refused');
    assert.deepEqual(live.both.perOp, [14, 1, 1]);
    assert.ok(live.both.bytes > live.A.bytes, 'ΦA costs d times the memory of Φy');
    const liveChart = await chartData(page, '#chart-live');
    assert.deepEqual(liveChart.datasets[0].data.map((p) => p[1]), [14, null, null]);
    assert.match(await page.locator('#live-readout').innerText(), /Update 3: x\[\d\] \+= -?\d/);
    // Figure 4/5: CountSketch, Count-Min and AMS at equal counters
    await page.waitForFunction(() => globalThis.__sketchlab.lastCompare?.budgets.length === 5, null, { timeout: 60_000 });
    const cmp = await page.evaluate(() => globalThis.__sketchlab.lastCompare);
    for (const b of cmp.budgets) assert.equal(b.counters, 7 * b.buckets);
    assert.equal((await chartData(page, '#chart-point')).datasets[1].data.length, 5);
    assert.equal((await chartData(page, '#chart-f2')).datasets[2].data.length, 5);
    assert.equal(await page.locator('#compare-table tbody tr').count(), 5);
    await screenshot(page, 'sampler-desktop');
    await screenshot(page, 'sampler-desktop-top', { fullPage: false });
    // the hash restores the state (and the same query) in a fresh page
    const url = page.url();
    const other = await newPage();
    await other.goto(url);
    await waitRendered(other);
    const rec2 = await other.evaluate(() => globalThis.__sketchlab.lastQuery.q.record);
    assert.deepEqual(rec2, rec);
    assert.match(await other.locator('#steps li.is-current').innerText(), /Result/);
    // an oracle toggle changes the hash and the record
    await page.locator('[data-control="oracle"] select').selectOption('race');
    await page.waitForFunction(() => location.hash.includes('oracle=race'));
    await waitRendered(page);
    const race = await page.evaluate(() => globalThis.__sketchlab.lastQuery.q.record);
    assert.equal(race.fail, null, 'the race never fails');
    // the game
    await page.locator('details:has(#disj-table) summary').click();
    await page.locator('#play-disj').click();
    await page.waitForFunction(() => document.querySelectorAll('#disj-table tbody tr').length === 5, null, { timeout: 120_000 });
    const first = await page.locator('#disj-table tbody tr').first().innerText();
    assert.match(first, /1,000/);
    await page.locator('details:has(#play-l62) summary').click();
    await page.locator('#play-l62').click();
    await page.waitForFunction(() => globalThis.__sketchlab.lastL62 !== undefined, null, { timeout: 120_000 });
    const l62 = await page.evaluate(() => globalThis.__sketchlab.lastL62);
    assert.ok(l62.right >= 14, `Bob read ${l62.read} for ${l62.v.join('')}`);
    for (let i = 0; i < 16; i++) if (l62.read[i] !== '?') assert.equal(Number(l62.read[i]), l62.v[i]);
    const violations = await axe(page);
    assert.deepEqual(violations, []);
    assert.deepEqual(errors, []);
  }, { viewport: DESKTOP });
});

test('sampler.html: fits a 390 px phone', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}sampler.html#step=6&seed=3&ops=aaxbaaxbaaxb`);
    await waitRendered(page);
    await page.waitForFunction(() => globalThis.__sketchlab.lastDist !== null, null, { timeout: 120_000 });
    await page.waitForFunction(() => globalThis.__sketchlab.lastLive !== null && globalThis.__sketchlab.lastCompare?.budgets.length === 5, null, { timeout: 60_000 });
    await page.locator('details:has(#compare-table) summary').click();
    assert.ok(await overflowX(page) <= 0, 'no horizontal scrolling');
    await screenshot(page, 'sampler-phone');
    await screenshot(page, 'sampler-phone-top', { fullPage: false });
    assert.deepEqual(errors, []);
  }, { viewport: PHONE });
});

test('sampler.html: the glass box names the threshold formula of the chosen rule (paper: √(C ln n/ε)·r, not √(εm)·r)', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}sampler.html#rule=paper&eps=0.01&heavy=50&step=6`);
    await waitRendered(page);
    const rec = await page.evaluate(() => globalThis.__sketchlab.lastQuery.q.record);
    const steps = await page.locator('#steps').innerText();
    const tail = steps.split('\n').find((l) => l.startsWith('Tail test'));
    assert.doesNotMatch(tail, /√\(εm\)/, `paper rule, yet the tail line says √(εm)·r: ${tail}`);
    assert.match(tail, /√\(C ln n\/ε\)·r/);
    assert.ok(rec.tailLimit > Math.sqrt(0.01 * 50) * rec.r * 10, 'the paper limit is far above √(εm)·r here');
    const peak = steps.split('\n').find((l) => l.startsWith('Peak test'));
    assert.match(peak, /√\(C ln n\/ε\)·r/);
    await page.locator('[data-control="rule"] select').selectOption('jst');
    await page.waitForFunction(() => location.hash.includes('rule=jst'));
    await waitRendered(page);
    const jst = await page.locator('#steps').innerText();
    assert.match(jst.split('\n').find((l) => l.startsWith('Tail test')), /√\(εm\)·r/);
    assert.match(jst.split('\n').find((l) => l.startsWith('Peak test')), /r\/√ε/);
    assert.deepEqual(errors, []);
  }, { viewport: DESKTOP });
});

test('sampler.html: a hand-edited or stale link says on the page which values it could not use', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}sampler.html#head=-5&eps=NaN&buckets=1e9&seed=abc&step=99&trials=1e12&ops=zzz&foo=bar`);
    await waitRendered(page);
    // the figure is the defaults' (the address bar says so) ...
    assert.match(await page.evaluate(() => location.hash), /^#head=20&noise=0\.3&eps=0\.25&buckets=64&/);
    // ... and the student is told, next to the figure, not only in the console
    const note = page.locator('#link-notice');
    assert.equal(await note.isVisible(), true, 'a visible notice');
    const text = await note.innerText();
    for (const key of ['head=-5', 'eps=NaN', 'buckets=1e9', 'seed=abc', 'step=99', 'trials=1e12', 'ops=zzz', 'foo']) assert.ok(text.includes(key), `the notice names ${key}: ${text}`);
    assert.match(text, /integer in \[4, 4096\]/, 'and says what range is allowed');
    assert.deepEqual(await axeViolations(page), [], 'the notice passes WCAG A/AA');
    await screenshot(page, 'sampler-link-notice', { fullPage: false });
    // a link pasted into the address bar later is checked too; a good one clears the notice
    await page.evaluate(() => { location.hash = 'head=20&rows=99'; });
    await page.waitForFunction(() => /rows=99/.test(document.getElementById('link-notice')?.innerText ?? ''));
    await page.evaluate(() => { location.hash = 'head=30&rows=5'; });
    await page.waitForFunction(() => document.getElementById('link-notice')?.hidden === true);
    await waitRendered(page);
    // the notice can be dismissed with the keyboard
    await page.evaluate(() => { location.hash = 'rows=0'; });
    await page.waitForFunction(() => document.getElementById('link-notice')?.hidden === false);
    await page.locator('#link-notice button').focus();
    await page.keyboard.press('Enter');
    assert.equal(await note.isHidden(), true);
    // ... and stays dismissed when a hash event brings no new problem
    await page.evaluate(() => window.dispatchEvent(new HashChangeEvent('hashchange')));
    await page.waitForTimeout(200);
    assert.equal(await note.isHidden(), true, 'a dismissed notice came back');
    assert.deepEqual(errors, []);
  }, { viewport: DESKTOP });
});

test('sampler.html: a clean link shows no link notice', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}sampler.html#head=30&rows=5&seed=9`);
    await waitRendered(page);
    assert.equal(await page.locator('#link-notice').isVisible(), false);
    assert.deepEqual(errors, []);
  }, { viewport: PHONE });
});

test('sampler.html: a teacher link hides controls (hide=), and the teacher panel builds such links', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}sampler.html#rows=5&hide=buckets,rows,seed,trials,cmp`);
    await waitRendered(page);
    for (const name of ['buckets', 'rows', 'seed', 'trials', 'cmp']) assert.equal(await page.locator(`[data-control="${name}"]`).isHidden(), true, `${name} hidden`);
    for (const name of ['eps', 'head', 'oracle']) assert.equal(await page.locator(`[data-control="${name}"]`).isVisible(), true, `${name} shown`);
    assert.equal(await page.locator('#stepper [data-action="step"]').isVisible(), true, 'Step query stays: it is the point of the page');
    assert.equal(await page.locator('#run-trials').isVisible(), true, 'Run trials stays when only the trials count is hidden');
    assert.equal(await page.locator('fieldset:has([data-control="cmp"])').isHidden(), true, 'a fieldset left empty goes too');
    assert.equal(await page.locator('#hidden-note').isVisible(), true);
    assert.match(await page.evaluate(() => location.hash), /&hide=buckets,rows,seed,trials,cmp$/);
    assert.equal((await page.evaluate(() => globalThis.__sketchlab.lastQuery.v.rows)), 5, 'the hidden value still applies');
    // the panel: tick one more, the link follows; Show all brings everything back
    await page.locator('#teacher summary').click();
    await page.locator('[data-control="hide-eps"] input').check();
    assert.match(await page.locator('#teacher-url').inputValue(), /hide=eps,buckets,rows,seed,trials,cmp$/);
    await page.locator('#show-all').click();
    for (const name of ['buckets', 'rows', 'seed', 'trials', 'cmp']) assert.equal(await page.locator(`[data-control="${name}"]`).isVisible(), true, `${name} back`);
    assert.equal(await page.locator('#hidden-note').isHidden(), true);
    assert.doesNotMatch(await page.evaluate(() => location.hash), /hide=/);
    // hide=step hides the query's Step/Play
    await page.goto(`${base}sampler.html#hide=step`);
    await page.reload();
    await waitRendered(page);
    assert.equal(await page.locator('#stepper').isHidden(), true);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
  }, { viewport: DESKTOP });
});

test('sampler.html: on a phone, Step query sits right under Figure 1 (not below every other figure)', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}sampler.html`);
    await waitRendered(page);
    const y = await page.evaluate(() => {
      const top = (sel) => document.querySelector(sel).getBoundingClientRect().top + scrollY;
      return { glass: top('#chart-glass'), step: top('#stepper [data-action="step"]'), dist: top('#chart-dist') };
    });
    assert.ok(y.step > y.glass && y.step < y.dist, `Step query at ${Math.round(y.step)} px, Figure 1 at ${Math.round(y.glass)}, Figure 2 at ${Math.round(y.dist)}`);
    // and it still steps, by keyboard
    await page.locator('#stepper [data-action="step"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash.includes('step=1'));
    await waitRendered(page);
    assert.match(await page.locator('#steps li.is-current').innerText(), /^Each index got/);
    assert.deepEqual(errors, []);
  }, { viewport: { width: 360, height: 740 } });
});

test('sampler.html: a full update log (200 operations) says why Step update and Play stop', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}sampler.html#ops=${'axb'.repeat(66)}ab`);
    await waitRendered(page);
    await page.waitForFunction(() => globalThis.__sketchlab.lastLive?.ops.length === 200, null, { timeout: 60_000 });
    assert.equal(await page.locator('#op-a').isDisabled(), true, 'the update buttons are off');
    await page.locator('#live-stepper [data-action="play"]').click();
    await page.waitForFunction(() => document.querySelector('#live-stepper [data-action="play"]').getAttribute('aria-pressed') === 'false');
    assert.match(await page.locator('#live-readout').innerText(), /At most 200 updates/, 'Play stopped and the reader is told why');
    await page.locator('#live-stepper [data-action="reset"]').click();
    await page.waitForFunction(() => globalThis.__sketchlab.lastLive?.ops === '');
    await page.locator('#live-stepper [data-action="step"]').click();
    await page.waitForFunction(() => globalThis.__sketchlab.lastLive?.ops === 'a');
    assert.doesNotMatch(await page.locator('#live-readout').innerText(), /At most/);
    assert.deepEqual(errors, []);
  }, { viewport: DESKTOP });
});

test('sampler.html: the glass box tells the oracles apart (no CountSketch claimed for the exact z; no huge index is not a pass)', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}sampler.html#oracle=exact&noise=0&seed=1&step=6`);
    await waitRendered(page);
    const rec = await page.evaluate(() => globalThis.__sketchlab.lastQuery.q.record);
    assert.equal(rec.fail, 'threshold', 'this seed finds no huge index');
    const lines = (await page.locator('#steps').innerText()).split('\n');
    assert.doesNotMatch(lines[0], /CountSketch/, `the exact oracle keeps y, not sketches: ${lines[0]}`);
    assert.doesNotMatch(lines[1], /decod/, `nothing is decoded: ${lines[1]}`);
    assert.doesNotMatch(lines[4], /pass/, `0 huge indices cannot pass "exactly one": ${lines[4]}`);
    assert.match(lines[4], /none/);
    assert.doesNotMatch(lines[6], /tail/, `the exact oracle runs no tail test: ${lines[6]}`);
    assert.match(lines[6], /more than one huge index and \d+ with no huge index/);
    const legend = async () => page.evaluate(() => globalThis.__sketchlab.charts.glass.data.datasets[1].label);
    assert.doesNotMatch(await legend(), /decoded/, 'nothing is decoded: Figure 1\'s legend');
    await page.locator('[data-control="oracle"] select').selectOption('race');
    await page.waitForFunction(() => location.hash.includes('oracle=race'));
    await waitRendered(page);
    const race = (await page.locator('#steps').innerText()).split('\n');
    assert.doesNotMatch(race[0], /CountSketch/);
    await page.locator('[data-control="oracle"] select').selectOption('sketch');
    await page.waitForFunction(() => location.hash.includes('oracle=sketch'));
    await waitRendered(page);
    assert.match((await page.locator('#steps').innerText()).split('\n')[0], /two CountSketches/);
    assert.match(await legend(), /decoded/);
    assert.deepEqual(errors, []);
  }, { viewport: DESKTOP });
});

test('sampler.html: Figure 2 follows the seed in the link (a reload redraws the same counts), and says when Trials asks for a new run', T, async () => {
  await withPage(async ({ page, base, errors, newPage }) => {
    await page.goto(`${base}sampler.html#trials=1000`);
    await waitRendered(page);
    await page.waitForFunction(() => globalThis.__sketchlab.lastDist?.trials === 1000, null, { timeout: 60_000 });
    const box = page.locator('[data-control="seed"] input');
    await box.fill('5');
    await box.press('Enter');
    await page.waitForFunction(() => globalThis.__sketchlab.lastDist?.v.seed === 5, null, { timeout: 60_000 });
    const counts = await page.evaluate(() => [...globalThis.__sketchlab.lastDist.counts]);
    const other = await newPage();
    await other.goto(page.url());
    await waitRendered(other);
    await other.waitForFunction(() => globalThis.__sketchlab.lastDist?.trials === 1000, null, { timeout: 60_000 });
    assert.deepEqual(await other.evaluate(() => [...globalThis.__sketchlab.lastDist.counts]), counts, 'the same link, the same Figure 2');
    // the Trials slider sets the size of the next run: the figure says it is not that run yet
    await page.locator('[data-control="trials"] input[type=number]').fill('2000');
    await page.locator('[data-control="trials"] input[type=number]').press('Enter');
    await page.waitForFunction(() => location.hash.includes('trials=2000'));
    assert.match(await page.locator('#dist-caption').innerText(), /1,000 trials.*Run trials.*2,000/s);
    await page.locator('#run-trials').click();
    await page.waitForFunction(() => globalThis.__sketchlab.lastDist?.trials === 2000, null, { timeout: 60_000 });
    assert.doesNotMatch(await page.locator('#dist-caption').innerText(), /Run trials/);
    assert.deepEqual(errors, []);
  }, { viewport: DESKTOP });
});

test('sampler.html: Figures 1 and 2 have their numbers in data tables', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}sampler.html#step=0&trials=1000`);
    await waitRendered(page);
    await page.locator('details:has(#glass-table) summary').click();
    assert.equal(await page.locator('#glass-table tbody tr').count(), 200);
    assert.match(await page.locator('#glass-table tbody tr').first().innerText(), /—/, 'step 1 reveals no ẑ yet, in the table as in the figure');
    await page.locator('#stepper [data-action="step"]').click();
    await page.waitForFunction(() => location.hash.includes('step=1'));
    await waitRendered(page);
    const q = await page.evaluate(() => { const r = globalThis.__sketchlab.lastQuery; return { z0: Math.abs(r.q.zhat[0]), y0: r.y[0] }; });
    const cells = (await page.locator('#glass-table tbody tr').first().innerText()).split('\t');
    assert.equal(cells[0], '0');
    assert.ok(Math.abs(Number(cells[1]) - q.y0) <= 1e-3 * Math.abs(q.y0), `y₀ ${cells[1]} vs ${q.y0}`);
    assert.ok(Math.abs(Number(cells[2]) - q.z0) <= 1e-3 * q.z0, `|ẑ₀| ${cells[2]} vs ${q.z0}`);
    await page.waitForFunction(() => globalThis.__sketchlab.lastDist?.trials === 1000, null, { timeout: 60_000 });
    await page.locator('details:has(#dist-table) summary').click();
    assert.equal(await page.locator('#dist-table tbody tr').count(), 21);
    const rows = await page.$$eval('#dist-table tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    const target = rows.reduce((s, r) => s + Number(r[2]), 0);
    assert.ok(Math.abs(target - 1) < 1e-3, `the target column sums to 1 (${target})`);
    const accepted = await page.evaluate(() => globalThis.__sketchlab.lastDist.accepted);
    assert.equal(rows.reduce((s, r) => s + Number(r[4].replace(/,/g, '')), 0), accepted, 'the counts add up to the accepted queries');
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
  }, { viewport: DESKTOP });
});

test('sampler.html: the lower-bound games say which seed they played, and a new seed clears the old results', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}sampler.html#seed=3`);
    await waitRendered(page);
    await page.locator('details:has(#play-l62) summary').click();
    await page.locator('#play-l62').click();
    await page.waitForFunction(() => globalThis.__sketchlab.lastL62 !== undefined, null, { timeout: 120_000 });
    assert.match(await page.locator('#l62-readout').innerText(), /seed 3/);
    await page.locator('details:has(#disj-table) summary').click();
    await page.locator('#play-disj').click();
    // change the seed while the game plays: every row is still seed 3's
    await page.waitForFunction(() => document.querySelectorAll('#disj-table tbody tr').length >= 1, null, { timeout: 120_000 });
    const box = page.locator('[data-control="seed"] input');
    await box.fill('4');
    await box.press('Enter');
    await page.waitForFunction(() => !document.getElementById('play-disj').disabled, null, { timeout: 120_000 });
    assert.equal(await page.locator('#l62-readout').innerText(), '', 'the old seed\'s bits are gone');
    assert.equal(await page.locator('#disj-table tbody tr').count(), 0, 'the old seed\'s rows are gone, and the stopped game added none');
    assert.doesNotMatch(await page.locator('#disj-status').innerText(), /seed 3/);
    await page.locator('#play-disj').click();
    await page.waitForFunction(() => document.querySelectorAll('#disj-table tbody tr').length === 5 && !document.getElementById('play-disj').disabled, null, { timeout: 120_000 });
    assert.match(await page.locator('#disj-status').innerText(), /seed 4/);
    assert.deepEqual(errors, []);
  }, { viewport: DESKTOP });
});

test('sampler.html: Cancel leaves Figure 2 saying it was cancelled (not "so far…")', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}sampler.html#trials=200000&reps=16&buckets=1024`);
    await waitRendered(page);
    await page.waitForFunction(() => /so far/.test(document.getElementById('dist-caption').textContent), null, { timeout: 60_000 });
    await page.locator('#cancel-trials').click();
    await page.waitForFunction(() => !document.getElementById('run-trials').disabled);
    await page.waitForTimeout(500);
    const cap = await page.locator('#dist-caption').innerText();
    assert.doesNotMatch(cap, /so far/, cap);
    assert.match(cap, /Cancelled after [\d,]+ of 200,000 trials/);
    assert.deepEqual(errors, []);
  }, { viewport: DESKTOP });
});

test('sampler.html: with several repetitions, Figure 2 counts the failures per repetition, not per query', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}sampler.html#reps=8&trials=1000`);
    await waitRendered(page);
    await page.waitForFunction(() => globalThis.__sketchlab.lastDist?.trials === 1000, null, { timeout: 60_000 });
    const d = await page.evaluate(() => { const r = globalThis.__sketchlab.lastDist; return { a: r.accepted, t: r.failTail, h: r.failThreshold }; });
    assert.ok(d.a + d.t + d.h > 1000, 'more repetitions failed than there were queries: the failures are per repetition');
    const text = await page.locator('#dist-readout').innerText();
    const tried = (d.a + d.t + d.h).toLocaleString('en');
    assert.ok(text.includes(`${tried} repetitions`), `the readout says how many repetitions ran (${tried}): ${text}`);
    assert.deepEqual(errors, []);
  }, { viewport: DESKTOP });
});

test('sampler.html: the live table of the three settings fits the figure column on a desktop (no hidden columns)', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}sampler.html#ops=aaxb`);
    await waitRendered(page);
    await page.waitForFunction(() => globalThis.__sketchlab.lastLive?.ops === 'aaxb');
    const r = await page.evaluate(() => { const t = document.querySelector('#live-table').parentElement; return { sw: t.scrollWidth, cw: t.clientWidth }; });
    assert.ok(r.sw <= r.cw, `the table is ${r.sw} px wide in a ${r.cw} px box: its last columns (the §1.4 counts, the sampled index) scroll out of sight`);
    assert.deepEqual(errors, []);
  }, { viewport: DESKTOP });
});

test('sampler.html: with the exact oracle and the race, Figure 2 names their failures as theirs (none huge / more than one; y = 0), not the sketch\'s tail test', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}sampler.html#oracle=exact&trials=1000`);
    await waitRendered(page);
    await page.waitForFunction(() => globalThis.__sketchlab.lastDist?.trials === 1000 && globalThis.__sketchlab.lastDist.v.oracle === 'exact', null, { timeout: 60_000 });
    const text = await page.locator('#dist-readout').innerText();
    assert.doesNotMatch(text, /tail test/, text);
    assert.match(text, /more than one huge index/);
    assert.match(text, /no huge index/);
    // the race runs neither test: it fails only when y = 0
    await page.locator('[data-control="oracle"] select').selectOption('race');
    await page.waitForFunction(() => globalThis.__sketchlab.lastDist?.trials === 1000 && globalThis.__sketchlab.lastDist.v.oracle === 'race', null, { timeout: 60_000 });
    const race = await page.locator('#dist-readout').innerText();
    assert.doesNotMatch(race, /tail test|peak test|huge/, race);
    assert.match(race, /none failed \(the race fails only when y = 0\)/);
    assert.deepEqual(errors, []);
  }, { viewport: DESKTOP });
});
