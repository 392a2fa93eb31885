// keyboard-phone.test.mjs — every demo page (web/*.html) at a 360 px phone
// width with the keyboard only: nothing sticks out to the right (outside a
// scrolling table), Tab reaches every visible control in turn, each focused
// control shows a focus ring (its own outline, or its card's :focus-within
// ring on the index page), and a slider moved with the arrow keys changes the
// page's state. Full-page screenshots: build/screenshots/<page>-360-keyboard.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { withPage, screenshot, WEB_DIR } from './harness.mjs';

const PAGES = readdirSync(WEB_DIR).filter((f) => f.endsWith('.html')).map((f) => f.replace(/\.html$/, '')).sort();
const PHONE_360 = { width: 360, height: 740 };

const loaded = (page) => page.waitForFunction(() => {
  const b = document.body.dataset;
  if (b.rendered !== undefined || b.busy !== undefined) return b.busy === '0' && b.rendered === location.hash.slice(1);
  return Number(b.renders ?? 0) >= 1;
}, null, { timeout: 120_000 });

for (const name of PAGES) {
  test(`${name}.html at 360 px with the keyboard: nothing cut off, every control reachable with a focus ring`, { timeout: 180_000 }, async () => {
    await withPage(async ({ page, base, errors }) => {
      await page.goto(`${base}${name}.html`);
      await loaded(page);
      const layout = await page.evaluate(() => {
        const W = document.documentElement.clientWidth;
        const out = [];
        for (const el of document.body.querySelectorAll('*')) {
          const r = el.getBoundingClientRect();
          if (!r.width || (r.right <= W + 0.5 && r.left >= -0.5)) continue;
          if (el.closest('.skip-link')) continue; // off screen until focused, by design
          // Inside a container that scrolls (a wide table) is not cut off: it scrolls.
          let p = el.parentElement, scrolls = false;
          for (; p && p !== document.body; p = p.parentElement) if (/(auto|scroll)/.test(getComputedStyle(p).overflowX)) { scrolls = true; break; }
          if (!scrolls) out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} spans ${Math.round(r.left)}..${Math.round(r.right)} px`);
        }
        return { scrollW: document.documentElement.scrollWidth, W, out };
      });
      assert.equal(layout.scrollW, layout.W, 'no horizontal scrolling at 360 px');
      assert.deepEqual(layout.out, [], 'no element reaches past the right edge');
      await screenshot(page, `${name}-360-keyboard`);

      // The controls a student can use: visible, enabled, not inside a closed <details>.
      const total = await page.evaluate(() => {
        const list = [...document.querySelectorAll('a[href], input, select, button, summary, textarea')].filter((e) => {
          if (e.disabled || !e.getClientRects().length || e.tabIndex < 0) return false;
          const closed = e.closest('details:not([open])');
          return !closed || closed.querySelector(':scope > summary') === e;
        });
        list.forEach((e, i) => { e.dataset.kb = String(i); });
        return list.length;
      });
      assert.ok(total > 0);
      const reached = new Set();
      const noRing = [];
      await page.evaluate(() => document.activeElement?.blur());
      for (let i = 0; i < total + 5; i++) {
        await page.keyboard.press('Tab');
        const f = await page.evaluate(() => {
          const e = document.activeElement;
          if (!e || e === document.body || e.dataset.kb === undefined) return null;
          const visible = (x) => { const s = getComputedStyle(x); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; };
          const card = e.closest('.card');
          return { kb: e.dataset.kb, what: `${e.tagName} ${(e.labels?.[0]?.textContent || e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 40)}`, ring: visible(e) || (card ? visible(card) : false) };
        });
        if (!f) continue;
        reached.add(f.kb);
        if (!f.ring) noRing.push(f.what);
      }
      const missed = await page.evaluate((got) => [...document.querySelectorAll('[data-kb]')]
        .filter((e) => !got.includes(e.dataset.kb) && !e.disabled && e.getClientRects().length)
        .map((e) => `${e.tagName} ${(e.textContent || e.name || '').trim().slice(0, 40)}`), [...reached]);
      assert.deepEqual(missed, [], 'Tab reaches every control');
      assert.deepEqual([...new Set(noRing)], [], 'every focused control shows a focus ring');

      // A slider works from the keyboard: an arrow key changes its value and the page's state (hash).
      const range = page.locator('input[type=range]').first();
      if (await range.count()) {
        const before = { v: await range.inputValue(), hash: await page.evaluate(() => location.hash) };
        await range.focus();
        const atMax = await range.evaluate((r) => Number(r.value) >= Number(r.max));
        await page.keyboard.press(atMax ? 'ArrowLeft' : 'ArrowRight');
        assert.notEqual(await range.inputValue(), before.v, 'the arrow key moved the slider');
        await page.waitForFunction((h) => location.hash !== h, before.hash);
        await loaded(page);
      }
      assert.deepEqual(errors, []);
    }, { viewport: PHONE_360 });
  });
}

// A page with Step / Play for its Figure 1 keeps them right under that figure:
// on a phone the controls column comes after every figure, so a stepper there
// sent a student thousands of pixels down, past the other figures.
// (sampler.test.mjs checks its own, with the keyboard.)
for (const name of ['kv-cache', 'pivoting', 'softmax']) {
  test(`${name}.html at 360 px: Step / Play sit right under Figure 1, not below every other figure`, { timeout: 120_000 }, async () => {
    await withPage(async ({ page, base, errors }) => {
      await page.goto(`${base}${name}.html`);
      await loaded(page);
      const y = await page.evaluate(() => {
        const top = (el) => el.getBoundingClientRect().top + scrollY;
        const figs = [...document.querySelectorAll('.widget-figures figure')];
        const fig1 = figs.filter((f) => /^Figure 1/.test(f.querySelector('figcaption').textContent.trim())).pop();
        const next = figs[figs.indexOf(fig1) + 1];
        return { fig1: top(fig1), step: top(document.querySelector('#stepper [data-action="step"]')), next: top(next) };
      });
      assert.ok(y.step > y.fig1 && y.step < y.next, `Step at ${Math.round(y.step)} px, Figure 1 at ${Math.round(y.fig1)}, the next figure at ${Math.round(y.next)}`);
      assert.deepEqual(errors, []);
    }, { viewport: PHONE_360 });
  });
}
