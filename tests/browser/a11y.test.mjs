// a11y.test.mjs — every demo page passes axe-core's WCAG 2 A/AA rules (2.0 and
// 2.1) once its figure is drawn, at desktop and phone width: the students who
// use these pages include keyboard and screen-reader users.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { withPage, waitRendered, waitRenders, axeViolations, WEB_DIR, DESKTOP, PHONE } from './harness.mjs';

const PAGES = readdirSync(WEB_DIR).filter((f) => f.endsWith('.html')).sort();

for (const name of PAGES) {
  test(`${name}: no WCAG 2 A/AA violations (axe-core), desktop and phone`, { timeout: 120_000 }, async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      await withPage(async ({ page, base, errors }) => {
        await page.goto(`${base}${name}`);
        // The landing page has no URL state; the demos mark the hash they drew.
        if (name === 'index.html') await waitRenders(page, 1); else await waitRendered(page);
        assert.deepEqual(await axeViolations(page), [], `${name} at ${viewport.width}px`);
        // Collapsed panels (tables behind "show the numbers") are checked opened too.
        if (await page.evaluate(() => { const closed = [...document.querySelectorAll('details:not([open])')]; closed.forEach((d) => { d.open = true; }); return closed.length; })) {
          assert.deepEqual(await axeViolations(page), [], `${name} at ${viewport.width}px, every <details> open`);
        }
        assert.deepEqual(errors, []);
      }, { viewport });
    }
  });
}
