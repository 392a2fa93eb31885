// pages.test.mjs — the demo pages in headless Chromium: they load without
// errors, draw their charts from a real computation, react to controls, keep
// their state in the URL hash (and restore it), survive a bad hash, work at
// phone width, and leave screenshots in build/screenshots/ for review.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  withPage, waitRendered, waitRenders, chartData, screenshot, overflowX, DESKTOP, PHONE,
} from './harness.mjs';
import { EPS, bound, within } from '../js/tolerance.mjs';

const T = { timeout: 120_000 };

test('index.html: loads cleanly, preview chart computed, desktop + phone screenshots', T, async () => {
  for (const [viewport, tag] of [[DESKTOP, 'desktop'], [PHONE, 'phone']]) {
    await withPage(async ({ page, base, errors }) => {
      await page.goto(`${base}index.html`);
      await waitRenders(page, 1);
      const d = await chartData(page, '#preview-chart');
      assert.ok(d, 'the preview chart exists');
      assert.equal(d.role, 'img');
      assert.match(d.label, /singular values/i);
      const [pres, comp] = d.datasets;
      assert.equal(pres.data.length, 100);
      assert.equal(comp.data.length, 100);
      // Every singular value is recovered to about n·ε absolutely (σ₁ = 1), and
      // the ones far below ε are not recovered (they level off near ε).
      // Backward-stable SVD of A built as UΣVᵀ: c·n·eps·σ₁ on every σ (Weyl), c = 10 margin.
      for (let i = 0; i < 100; i++) within(Math.abs(comp.data[i][1] - pres.data[i][1]), bound(0, 0, 10 * 100, 1), `σ_${i + 1}`);
      assert.ok(pres.data[99][1] < 1e-20 && comp.data[99][1] > 1e-19, 'rounding floor shows');
      // One card per capability plus the widget; "coming soon" cards have no
      // links, live ones link to their page, and no link is dead.
      const cards = await page.locator('.card').count();
      const soon = await page.locator('.card.is-soon').count();
      assert.equal(cards, 6, 'six cards');
      assert.equal(await page.locator('.card:not(.is-soon) a').count(), cards - soon, 'each live card links to its page');
      assert.equal(await page.locator('.card.is-soon a').count(), 0, '"coming soon" cards have no links');
      const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
      for (const h of hrefs.filter((x) => !x.startsWith('#'))) {
        const res = await page.request.get(new URL(h, `${base}index.html`).href);
        assert.equal(res.status(), 200, `link ${h}`);
      }
      assert.ok(await overflowX(page) <= 0, 'no horizontal scrolling');
      await screenshot(page, `index-${tag}`);
      await screenshot(page, `index-${tag}-top`, { fullPage: false });
      assert.deepEqual(errors, []);
    }, { viewport });
  }
});

test('index.html: "Explore why →" opens the spectrum page on the preview\'s own matrix', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}index.html`);
    await waitRenders(page, 1);
    const [pres0, comp0] = (await chartData(page, '#preview-chart')).datasets.map((d) => d.data.map((p) => p[1]));
    await page.locator('a', { hasText: 'Explore why' }).click();
    await page.waitForURL(/spectrum\.html/);
    await waitRendered(page);
    assert.match(await page.evaluate(() => location.hash), /^#m=100&n=100&shape=exp&rate=0\.5&.*seed=1(&|$)/);
    const [pres, comp] = (await chartData(page, '#chart-sigma')).datasets.map((d) => d.data.map((p) => p[1]));
    assert.equal(comp.length, 100, 'the 100×100 matrix of the preview');
    assert.deepEqual(pres, pres0, 'the same prescribed σᵢ = e^(−(i−1)/2)');
    // the same matrix (same Philox streams); the two pages' SVDs (with and without vectors) may differ in the last bits:
    // backward-stable SVD, c·n·eps·σ₁ on every σ (Weyl), c = 10 margin, as the preview's own test
    for (let i = 0; i < 100; i++) within(Math.abs(comp[i] - Math.max(comp0[i], 0)), bound(0, 0, 10 * 100, 1), `σ̂_${i + 1}`);
    assert.deepEqual(errors, []);
  });
});

test('spectrum.html: default state computes, charts agree with theory', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}spectrum.html`);
    await waitRendered(page);
    // The hash is filled in with every property, the seed included.
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, /^#m=200&n=120&shape=exp&rate=0\.4&.*seed=1&/);
    const sigma = await chartData(page, '#chart-sigma');
    const err = await chartData(page, '#chart-error');
    assert.equal(sigma.role, 'img');
    const [pres, comp] = sigma.datasets;
    assert.equal(pres.data.length, 120);
    assert.equal(comp.data.length, 120);
    // exp(−rate·i) in the page vs here: the product's rounding is amplified by |rate·i| (<= 3.6)
    // plus exp's own ulp, <= ~5 eps relative; 32 eps (observed 1 eps).
    within(Math.abs(pres.data[0][1] - 1), bound(4, 1), 'σ₁ = 1');
    within(Math.abs(pres.data[9][1] - Math.exp(-3.6)), bound(32, Math.exp(-3.6)), 'σ₁₀ = e^−3.6');
    // Computed values are descending (sorted, up to rounding: n·eps·σ₁) and accurate to a small multiple of n·ε (σ₁ = 1).
    for (let i = 1; i < 120; i++) within(comp.data[i][1] - comp.data[i - 1][1], bound(0, 0, 10 * 120, 1), `descending at ${i}`);
    const errs = err.datasets[0].data.map((p) => p[1]);
    assert.equal(errs.length, 120);
    within(Math.max(...errs), bound(0, 0, 10 * 120, 1), 'max error vs n·ε'); // Weyl, c = 10 margin
    // The n·ε reference line is drawn at n·ε (one product: 1 ulp).
    within(Math.abs(err.datasets[1].data[0][1] - 120 * EPS), bound(1, 120 * EPS), 'the n·ε line');
    assert.match(await page.locator('#readout').textContent(), /below ε·σ₁/);
    assert.deepEqual(errors, []);
  });
});

test('spectrum.html: moving the decay slider changes the chart and the hash; the hash restores it', T, async () => {
  await withPage(async ({ page, base, errors, newPage }) => {
    await page.goto(`${base}spectrum.html`);
    await waitRendered(page);
    const before = await chartData(page, '#chart-sigma');
    const renders = await page.evaluate(() => Number(document.body.dataset.renders));

    // Keyboard: focus the decay slider and press ArrowLeft 25 times (rate 0.40 → 0.15).
    const rate = page.locator('[data-control="rate"] input[type="range"]');
    await rate.focus();
    for (let i = 0; i < 25; i++) await page.keyboard.press('ArrowLeft');
    await waitRendered(page);
    assert.equal(await page.locator('[data-control="rate"] input[type="number"]').inputValue(), '0.15');
    assert.equal(await rate.getAttribute('aria-valuetext'), '0.15 per index');
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, /[#&]rate=0\.15(&|$)/);
    const after = await chartData(page, '#chart-sigma');
    assert.notDeepEqual(after.datasets[0].data, before.datasets[0].data, 'prescribed σ changed');
    assert.notDeepEqual(after.datasets[1].data, before.datasets[1].data, 'computed σ̂ changed');
    within(Math.abs(after.datasets[0].data[9][1] - Math.exp(-1.35)), bound(32, Math.exp(-1.35)), 'σ₁₀ = e^−1.35'); // as above
    assert.ok(await page.evaluate(() => Number(document.body.dataset.renders)) > renders);
    // Intermediate requests were coalesced: far fewer jobs than key presses.
    const stats = await page.evaluate(() => ({ ...globalThis.__sketchlab.runner.stats }));
    assert.ok(stats.started <= 26, JSON.stringify(stats));

    // The number box drives the slider and the chart too (n = 50).
    const nBox = page.locator('[data-control="n"] input[type="number"]');
    await nBox.fill('50');
    await nBox.press('Enter');
    await waitRendered(page);
    assert.equal(await page.locator('[data-control="n"] input[type="range"]').inputValue(), '50');
    const small = await chartData(page, '#chart-sigma');
    assert.equal(small.datasets[1].data.length, 50);
    const hash2 = await page.evaluate(() => location.hash);
    assert.match(hash2, /[#&]n=50&/);

    // A second page opened on that link shows the same state and the same numbers.
    const page2 = await newPage();
    await page2.goto(`${base}spectrum.html${hash2}`);
    await waitRendered(page2);
    assert.equal(await page2.evaluate(() => location.hash), hash2);
    assert.equal(await page2.locator('[data-control="rate"] input[type="number"]').inputValue(), '0.15');
    assert.equal(await page2.locator('[data-control="n"] input[type="range"]').inputValue(), '50');
    const restored = await chartData(page2, '#chart-sigma');
    assert.deepEqual(restored.datasets, small.datasets, 'same seed, same figure');

    // Step draws a new matrix: seed + 1 in the hash, new computed values.
    await page.locator('[data-action="step"]').click();
    await page.waitForFunction(() => /[#&]seed=2(&|$)/.test(location.hash));
    await waitRendered(page);
    const stepped = await chartData(page, '#chart-sigma');
    assert.deepEqual(stepped.datasets[0].data, small.datasets[0].data, 'prescribed σ unchanged');
    assert.notDeepEqual(stepped.datasets[1].data, small.datasets[1].data, 'computed σ̂ from a new matrix');

    // Back/forward-style hash edits are followed too.
    await page.evaluate(() => { location.hash = 'm=30&n=20&shape=poly&power=1&seed=7'; });
    await waitRendered(page);
    assert.equal((await chartData(page, '#chart-sigma')).datasets[0].data.length, 20);
    assert.equal(await page.locator('[data-control="shape"] select').inputValue(), 'poly');
    assert.equal(await page.locator('[data-control="rate"]').isHidden(), true, 'only the chosen shape\'s parameter shows');

    assert.deepEqual(errors, []);
  });
});

test('spectrum.html: an invalid hash falls back to defaults (console.info, no error)', T, async () => {
  await withPage(async ({ page, base, errors, infos }) => {
    await page.goto(`${base}spectrum.html#m=abc&n=-5&shape=zigzag&rate=1e999&seed=1.5&bogus=1&hide=nope`);
    await waitRendered(page);
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, /^#m=200&n=120&shape=exp&rate=0\.4&/);
    assert.match(hash, /[#&]seed=1(&|$)/);
    assert.doesNotMatch(hash, /bogus|hide/);
    assert.equal((await chartData(page, '#chart-sigma')).datasets[1].data.length, 120);
    for (const key of ['m=abc', 'n=-5', 'shape=zigzag', 'rate=1e999', 'seed=1.5', 'bogus', 'nope']) {
      assert.ok(infos.some((t) => t.includes(key)), `console.info mentions ${key}`);
    }
    // ... and on the page, above the figure, for the student who opened the link
    const note = await page.locator('#link-notice').innerText();
    for (const key of ['m=abc', 'n=-5', 'shape=zigzag', 'rate=1e999', 'seed=1.5', 'bogus', 'nope']) assert.ok(note.includes(key), `the link notice names ${key}`);
    assert.deepEqual(errors, []);
  });
});

test('spectrum.html: teacher link hides controls', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}spectrum.html#m=100&n=100&hide=m,n,seed`);
    await waitRendered(page);
    assert.equal(await page.locator('[data-control="m"]').isHidden(), true);
    assert.equal(await page.locator('[data-control="n"]').isHidden(), true);
    assert.equal(await page.locator('[data-control="rate"]').isVisible(), true);
    assert.equal(await page.locator('#stepper').isHidden(), true, 'Step/Play go with the seed');
    assert.equal(await page.locator('#hidden-note').isVisible(), true);
    assert.match(await page.evaluate(() => location.hash), /&hide=m,n,seed$/);
    // The teacher panel builds links; "Show all controls" brings them back.
    await page.locator('#teacher summary').click();
    await page.locator('[data-control="hide-rate"] input').check();
    assert.match(await page.locator('#teacher-url').inputValue(), /hide=m,n,rate,seed$/);
    await page.locator('#show-all').click();
    assert.equal(await page.locator('[data-control="m"]').isVisible(), true);
    assert.doesNotMatch(await page.evaluate(() => location.hash), /hide=/);
    assert.deepEqual(errors, []);
  });
});

test('spectrum.html: phone width — no sideways scrolling, controls usable, screenshots', T, async () => {
  for (const [viewport, tag] of [[DESKTOP, 'desktop'], [PHONE, 'phone']]) {
    await withPage(async ({ page, base, errors }) => {
      await page.goto(`${base}spectrum.html`);
      await waitRendered(page);
      assert.ok(await overflowX(page) <= 0, `no horizontal scrolling at ${viewport.width}px`);
      const box = await page.locator('#chart-sigma canvas').boundingBox();
      assert.ok(box.width > viewport.width * 0.6 - 40 && box.height >= 200, `chart is readable: ${JSON.stringify(box)}`);
      // Touch-sized number boxes and buttons (WCAG 2.5.8: at least 24px; we aim for 40).
      const h = await page.locator('[data-action="step"]').boundingBox();
      assert.ok(h.height >= 40);
      // Drag-free change on a phone: fill the slider like a tap would.
      await page.locator('[data-control="gapAt"] input[type="range"]').fill('20');
      await waitRendered(page);
      assert.match(await page.evaluate(() => location.hash), /[#&]gapAt=20&/);
      await screenshot(page, `spectrum-${tag}`);
      // The first screen as a visitor sees it, and the controls scrolled into view.
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, `spectrum-${tag}-top`, { fullPage: false });
      await page.locator('#controls').scrollIntoViewIfNeeded();
      await screenshot(page, `spectrum-${tag}-controls`, { fullPage: false });
      assert.deepEqual(errors, []);
    }, { viewport });
  }
});

test('spectrum.html: reduced motion — Play still steps on request, one step at a time', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}spectrum.html#m=40&n=30&seed=5`);
    await waitRendered(page);
    assert.equal(await page.locator('.stepper-speed select').inputValue(), '0.5', 'slowest speed by default');
    await page.locator('.stepper-speed select').selectOption('4');
    await page.locator('[data-action="play"]').click();
    assert.equal(await page.locator('[data-action="play"]').getAttribute('aria-pressed'), 'true');
    await page.waitForFunction(() => /[#&]seed=(7|8|9|\d\d)(&|$)/.test(location.hash));
    await page.locator('[data-action="play"]').click();
    assert.equal(await page.locator('[data-action="play"]').getAttribute('aria-pressed'), 'false');
    await waitRendered(page);
    await page.locator('[data-action="reset"]').click();
    await waitRendered(page);
    assert.match(await page.evaluate(() => location.hash), /^#m=200&n=120&.*seed=1&/);
    assert.deepEqual(errors, []);
  }, { reducedMotion: 'reduce' });
});
