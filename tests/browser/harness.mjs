// harness.mjs — shared set-up for the browser tests: a static server on
// 127.0.0.1 (scripts/serve.mjs, free port), Debian's Chromium driven by
// playwright-core, error collection, waiting for a page's live figure, and
// screenshots into build/screenshots/.
//
// withPage(fn) owns the whole lifetime: server, browser, context and page are
// always closed in `finally`, so a failing test never leaves anything running.

import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_DIR = `${ROOT}web`;
export const SHOT_DIR = `${ROOT}build/screenshots`;
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

/** Start the static server (for `root`, web/ by default) on a free port; returns { base, close }. */
export async function startServer(root = WEB_DIR) {
  const server = await serve(root, 0);
  const { port } = server.address();
  return {
    base: `http://127.0.0.1:${port}/`,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}

/**
 * Run fn({ page, base, errors, infos, browser, newPage }) with a fresh server
 * and browser, closing both afterwards whatever happens.
 *   errors: uncaught page errors and console errors (tests assert it is empty)
 *   infos:  console.info texts (the state module reports bad hash values there)
 */
export async function withPage(fn, { viewport = DESKTOP, reducedMotion = 'no-preference' } = {}) {
  const srv = await startServer();
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS, timeout: 30_000 });
    const context = await browser.newContext({ viewport, reducedMotion, deviceScaleFactor: 1 });
    context.setDefaultTimeout(20_000);
    const errors = [];
    const infos = [];
    const watch = (page) => {
      page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
        if (msg.type() === 'info') infos.push(msg.text());
      });
      page.on('requestfailed', (req) => {
        // A worker terminated on purpose (cancelled job) aborts its fetches: not an error.
        const why = req.failure()?.errorText ?? '';
        if (!why.includes('ERR_ABORTED')) errors.push(`requestfailed: ${req.url()} ${why}`);
      });
      page.on('response', (res) => { if (res.status() >= 400) errors.push(`HTTP ${res.status()}: ${res.url()}`); });
      return page;
    };
    const page = watch(await context.newPage());
    const newPage = async (opts) => {
      const ctx = opts ? await browser.newContext({ viewport, deviceScaleFactor: 1, ...opts }) : context;
      return watch(await ctx.newPage());
    };
    return await fn({ page, base: srv.base, errors, infos, browser, newPage });
  } finally {
    await browser?.close().catch(() => {});
    await srv.close();
  }
}

/**
 * Wait until the page has drawn the figure for its current URL hash (pages set
 * body[data-rendered] to the hash they drew and body[data-busy] to "0").
 */
export async function waitRendered(page, { timeout = 30_000 } = {}) {
  await page.waitForFunction(() => {
    const b = document.body.dataset;
    return b.busy === '0' && b.rendered !== undefined && b.rendered === location.hash.slice(1);
  }, null, { timeout });
}

/** Wait for at least n renders (body[data-renders]). */
export async function waitRenders(page, n, { timeout = 30_000 } = {}) {
  await page.waitForFunction((k) => Number(document.body.dataset.renders ?? 0) >= k, n, { timeout });
}

/** Datasets of the Chart.js chart drawn on the canvas inside `selector`, as plain arrays. */
export function chartData(page, selector) {
  return page.evaluate((sel) => {
    const canvas = document.querySelector(`${sel} canvas`);
    const chart = canvas && globalThis.Chart?.getChart(canvas);
    if (!chart) return null;
    return {
      label: canvas.getAttribute('aria-label'),
      role: canvas.getAttribute('role'),
      datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data.map((p) => [p.x, p.y]) })),
    };
  }, selector);
}

/** PNG (full page by default) into build/screenshots/<name>.png; returns the path. */
export async function screenshot(page, name, { fullPage = true } = {}) {
  await mkdir(SHOT_DIR, { recursive: true });
  const path = `${SHOT_DIR}/${name}.png`;
  await page.screenshot({ path, fullPage });
  return path;
}

/** Horizontal overflow in CSS pixels (0 when the page fits the viewport width). */
export function overflowX(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

const AXE_PATH = `${ROOT}node_modules/axe-core/axe.min.js`;

/**
 * axe-core's WCAG 2 A and AA rules run on the page as it is now; returns the
 * violations as short strings ("rule: target — help"), empty when it passes.
 */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof globalThis.axe === 'object'))) await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(() => globalThis.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${v.help}`));
}
