#!/usr/bin/env node
// page_liveness.mjs — do the demo pages stay live on a slow school laptop?
//
// For every web/*.html page, at a desktop and a phone width, in headless
// Chromium (tests/browser/harness.mjs) with the CPU slowed by CDP
// (Emulation.setCPUThrottlingRate, default rate 4, a slow-laptop proxy):
//   - load: ms from navigation to the first complete figure (the page's
//     body[data-rendered] equals its hash and body[data-busy] is "0"; the index
//     page's preview: body[data-renders] >= 1), and the time of the first and
//     last Chart.js draw on the way;
//   - every control, operated by keyboard as a student would (slider: focus +
//     ArrowRight; select: next option; checkbox / button: focus + Space/Enter;
//     number box: +1 and Enter), and every slider once more as a "drag" (12
//     input events 40 ms apart, then change): ms from the action to the first
//     and the last chart draw, the number of draws, and the main thread's long
//     tasks (PerformanceObserver 'longtask': count, longest, total) and the
//     longest event-handling entry (PerformanceObserver 'event') in that window.
// A toggle button (Play) is measured for 3 s and toggled back.
// Not a test: it measures and prints; nothing asserts on time.
//
//   node bench/page_liveness.mjs [--rate 4] [--pages pivoting,sampler] [--widths desktop,phone]
//                                [--no-drag] [--out build/liveness/<label>.json] [--root DIR]
//                                [--quiet 700] [--settle-limit 90000] [--only-drags]
// --root serves another copy of web/ (e.g. a checkout of an older commit, to measure before/after).
// Needs `make web`. Prints one markdown table per run (for docs/PERFORMANCE.md).

import { readdirSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM, LAUNCH_ARGS, WEB_DIR, startServer } from '../tests/browser/harness.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : dflt; };
const RATE = Number(opt('rate', '4'));
const ROOT = opt('root', WEB_DIR);
const PAGES = (opt('pages', '') || readdirSync(ROOT).filter((f) => f.endsWith('.html')).map((f) => f.replace(/\.html$/, '')).sort().join(',')).split(',');
const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 360, height: 740 } };
const USE_WIDTHS = opt('widths', 'desktop,phone').split(',');
const DRAG = !args.includes('--no-drag');
const ONLY_DRAGS = args.includes('--only-drags'); // sliders' drags only (no key presses, selects, buttons)
const OUT = opt('out', `build/liveness/rate${RATE}.json`);
const QUIET_MS = Number(opt('quiet', '700'));           // no chart draw and not busy for this long = the page has settled
const SETTLE_LIMIT = Number(opt('settle-limit', '90000')); // give up waiting (reported as timed out)

// Runs in the page before its scripts: long tasks, event timings, and every Chart.js draw.
function instrument() {
  const L = (globalThis.__live = { longtasks: [], events: [], draws: [], workers: [] });
  // Worker starts: a cancelled computation terminates its worker and a new one is started
  // (a wasm compile on a slow laptop), so this counts restarts whatever the machine's load.
  const W = globalThis.Worker;
  if (W) globalThis.Worker = class extends W { constructor(...a) { super(...a); L.workers.push(performance.now()); } };
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) L.longtasks.push({ start: e.startTime, ms: e.duration }); })
      .observe({ type: 'longtask', buffered: true });
  } catch { /* not supported */ }
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) L.events.push({ start: e.startTime, ms: e.duration, name: e.name }); })
      .observe({ type: 'event', durationThreshold: 16, buffered: true });
  } catch { /* not supported */ }
  let C;
  Object.defineProperty(globalThis, 'Chart', {
    configurable: true,
    get() { return C; },
    set(v) {
      C = v;
      const draw = v?.prototype?.draw;
      if (draw && !draw.__live) {
        v.prototype.draw = function (...a) { const r = draw.apply(this, a); L.draws.push(performance.now()); return r; };
        v.prototype.draw.__live = true;
      }
    },
  });
}

// In the page: has the figure for the current state been drawn, with nothing running?
const settledFn = () => {
  const b = document.body.dataset;
  if (b.rendered !== undefined || b.busy !== undefined) return b.busy === '0' && b.rendered === location.hash.slice(1);
  return Number(b.renders ?? 0) >= 1;
};

async function waitSettled(page, t0) {
  return page.evaluate(async ({ quiet, limit, t0: start, settled }) => {
    const isSettled = new Function(`return (${settled})()`);
    const L = globalThis.__live;
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      const now = performance.now();
      const lastDraw = L.draws.length ? L.draws[L.draws.length - 1] : -Infinity;
      if (isSettled() && now - Math.max(lastDraw, start) >= quiet) return { timedOut: false };
      if (now - start > limit) return { timedOut: true };
    }
  }, { quiet: QUIET_MS, limit: SETTLE_LIMIT, t0, settled: settledFn.toString() });
}

/** What happened in the page between t0 and now. */
function windowStats(page, t0) {
  return page.evaluate((start) => {
    const L = globalThis.__live;
    const draws = L.draws.filter((t) => t >= start);
    const lts = L.longtasks.filter((e) => e.start + e.ms >= start);
    const evs = L.events.filter((e) => e.start >= start - 5);
    return {
      firstDraw: draws.length ? draws[0] - start : null,
      lastDraw: draws.length ? draws[draws.length - 1] - start : null,
      draws: draws.length,
      longtasks: lts.length,
      longestTask: lts.length ? Math.max(...lts.map((e) => e.ms)) : 0,
      totalLong: lts.reduce((s, e) => s + e.ms, 0),
      longestEvent: evs.length ? Math.max(...evs.map((e) => e.ms)) : 0,
      workerStarts: L.workers.filter((t) => t >= start).length,
    };
  }, t0);
}

const now = (page) => page.evaluate(() => performance.now());

/** Visible, enabled controls in document order, tagged data-live-id; sliders' number boxes are skipped (same value). */
function listControls(page) {
  return page.evaluate(() => {
    const out = [];
    let k = 0;
    for (const el of document.querySelectorAll('input, select, button, textarea')) {
      if (el.disabled || el.closest('[hidden]') || !el.getClientRects().length) continue;
      if (el.type === 'number' && el.closest('.ctl-slider')) continue;
      if (el.type === 'hidden') continue;
      el.dataset.liveId = String(++k);
      const label = el.labels?.[0]?.textContent?.trim() || el.getAttribute('aria-label') || el.textContent.trim() || el.name || el.id;
      out.push({ id: k, tag: el.tagName.toLowerCase(), type: el.type, name: el.name || el.id || '', label: label.replace(/\s+/g, ' ').slice(0, 40) });
    }
    return out;
  });
}

async function act(page, c) {
  const sel = `[data-live-id="${c.id}"]`;
  const loc = page.locator(sel);
  if (c.tag === 'select') {
    const next = await loc.evaluate((s) => s.options[(s.selectedIndex + 1) % s.options.length].value);
    const t0 = await now(page);
    await loc.selectOption(next);
    return { t0, what: `select → ${next}` };
  }
  await loc.focus();
  if (c.type === 'range') {
    const atMax = await loc.evaluate((r) => Number(r.value) >= Number(r.max));
    const t0 = await now(page);
    await page.keyboard.press(atMax ? 'ArrowLeft' : 'ArrowRight');
    return { t0, what: atMax ? 'ArrowLeft' : 'ArrowRight' };
  }
  if (c.type === 'checkbox' || c.type === 'radio') { const t0 = await now(page); await page.keyboard.press('Space'); return { t0, what: 'Space' }; }
  if (c.type === 'number') {
    const v = await loc.inputValue();
    const x = Number(v) + 1;
    const t0 = await now(page);
    await loc.fill(String(x));
    await page.keyboard.press('Enter');
    return { t0, what: `${v} → ${x}` };
  }
  const t0 = await now(page);
  await page.keyboard.press('Enter');
  return { t0, what: 'Enter' };
}

async function drag(page, c) {
  const t0 = await now(page);
  await page.locator(`[data-live-id="${c.id}"]`).evaluate(async (r) => {
    const lo = Number(r.min), hi = Number(r.max), st = r.step === 'any' ? 0 : Number(r.step) || 1;
    const start = Number(r.value);
    const span = hi - lo;
    const dir = start + span * 0.3 <= hi ? 1 : -1;
    for (let i = 1; i <= 12; i++) {
      let v = start + dir * span * 0.3 * i / 12;
      if (st) v = lo + Math.round((v - lo) / st) * st;
      r.value = String(v);
      r.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((res) => setTimeout(res, 40));
    }
    r.dispatchEvent(new Event('change', { bubbles: true }));
  });
  return { t0, what: 'drag 12 steps / 40 ms' };
}

const isToggle = (page, c) => page.locator(`[data-live-id="${c.id}"]`).evaluate((b) => b.getAttribute('aria-pressed') === 'true' || /pause|stop/i.test(b.textContent));

async function measurePage(browser, base, name, widthName) {
  const context = await browser.newContext({ viewport: WIDTHS[widthName], deviceScaleFactor: 1 });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: RATE });
  const rows = [];
  try {
    await page.goto(`${base}${name}.html`);
    const s = await waitSettled(page, 0);
    const load = await windowStats(page, 0);
    const ready = await page.evaluate(() => {
      const L = globalThis.__live; return L.draws.length ? L.draws[L.draws.length - 1] : null;
    });
    rows.push({ control: 'page load', what: 'navigation', ...load, complete: ready, timedOut: s.timedOut });
    for (const c of await listControls(page)) {
      if (c.tag === 'button' && /^(reset|reset all|copy link)/i.test(c.label) === false && /link|share|copy/i.test(c.label)) continue;
      if (ONLY_DRAGS) {
        if (c.type !== 'range') continue;
        const d = await drag(page, c);
        const s3 = await waitSettled(page, d.t0);
        rows.push({ control: c.label, what: d.what, ...(await windowStats(page, d.t0)), timedOut: s3.timedOut });
        continue;
      }
      const a = await act(page, c);
      if (c.tag === 'button' && await isToggle(page, c).catch(() => false)) {
        await page.waitForTimeout(3000);
        const st = await windowStats(page, a.t0);
        await page.locator(`[data-live-id="${c.id}"]`).focus();
        await page.keyboard.press('Enter');
        const s2 = await waitSettled(page, await now(page));
        rows.push({ control: c.label, what: 'Play (3 s, then Pause)', ...st, timedOut: s2.timedOut });
        continue;
      }
      const s1 = await waitSettled(page, a.t0);
      rows.push({ control: c.label, what: a.what, ...(await windowStats(page, a.t0)), timedOut: s1.timedOut });
      if (DRAG && c.type === 'range') {
        const d = await drag(page, c);
        const s3 = await waitSettled(page, d.t0);
        rows.push({ control: c.label, what: d.what, ...(await windowStats(page, d.t0)), timedOut: s3.timedOut });
      }
    }
  } finally {
    await context.close();
  }
  return { page: name, width: widthName, rows, errors };
}

const r1 = (x) => (x == null ? '—' : String(Math.round(x)));

const startedAt = new Date().toISOString();
function writeOut() {
  mkdirSync(OUT.replace(/[^/]*$/, ''), { recursive: true });
  writeFileSync(OUT, JSON.stringify({ when: startedAt, rate: RATE, root: ROOT, loadavg: readFileSync('/proc/loadavg', 'utf8').trim(), results }, null, 2));
}

const srv = await startServer(ROOT);
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
const results = [];
try {
  for (const name of PAGES) {
    for (const w of USE_WIDTHS) {
      process.stderr.write(`${name} @ ${w} ...\n`);
      results.push(await measurePage(browser, srv.base, name, w));
      writeOut(); // after every page, so a long run interrupted still leaves its numbers
    }
  }
} finally {
  await browser.close();
  await srv.close();
}

writeOut();
const out = { when: startedAt, loadavg: readFileSync('/proc/loadavg', 'utf8').trim() };

console.log(`CPU throttling rate ${RATE}; ${out.when}; load average ${out.loadavg}`);
console.log('| page | width | control | action | first draw | last draw | draws | long tasks | longest task | long-task total | longest event | worker starts |');
console.log('|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  for (const row of r.rows) {
    const first = row.control === 'page load' ? `${r1(row.firstDraw)} (complete ${r1(row.complete)})` : r1(row.firstDraw);
    console.log(`| ${r.page} | ${r.width} | ${row.control} | ${row.what} | ${first} | ${r1(row.lastDraw)}${row.timedOut ? ' (timed out)' : ''} | ${row.draws} | ${row.longtasks} | ${r1(row.longestTask)} | ${r1(row.totalLong)} | ${r1(row.longestEvent)} | ${row.workerStarts ?? '—'} |`);
  }
  if (r.errors.length) console.log(`| ${r.page} | ${r.width} | page errors: ${r.errors.join('; ').slice(0, 200)} |||||||||`);
}
