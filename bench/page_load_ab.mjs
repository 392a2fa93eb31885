// page_load_ab.mjs — page load at CPU throttle 4, two copies of web/ (e.g. before and after a change) alternately,
// so that both see the same machine load; N times each. Not a test: it measures and prints, per load:
// ms to the complete figure (the last chart draw once settled and no draw for 1.5 s), the longest main-thread
// task (PerformanceObserver 'longtask'), the number of long tasks and their total.
//
//   node bench/page_load_ab.mjs PAGE N BEFORE_WEB_DIR [AFTER_WEB_DIR (default web/)]
// e.g. git worktree add /tmp/old <commit> && (cd /tmp/old && make web); node bench/page_load_ab.mjs sampler 3 /tmp/old/web
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { CHROMIUM, LAUNCH_ARGS, WEB_DIR, startServer } from '../tests/browser/harness.mjs';
const [name, N = '3', beforeDir, afterDir = WEB_DIR] = process.argv.slice(2);
if (!name || !beforeDir) { console.error('usage: page_load_ab.mjs PAGE N BEFORE_WEB_DIR [AFTER_WEB_DIR]'); process.exit(1); }
const roots = { before: await startServer(beforeDir), after: await startServer(afterDir) };
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
const instrument = () => {
  const L = (globalThis.__live = { longtasks: [], draws: [] });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) L.longtasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
  let C; Object.defineProperty(globalThis, 'Chart', { configurable: true, get() { return C; }, set(v) { C = v; const d = v.prototype.draw; v.prototype.draw = function (...a) { L.draws.push(performance.now()); return d.apply(this, a); }; } });
};
const settled = () => { const b = document.body.dataset; if (b.rendered !== undefined || b.busy !== undefined) return b.busy === '0' && b.rendered === location.hash.slice(1); return Number(b.renders ?? 0) >= 1; };
for (let i = 0; i < Number(N); i++) for (const side of ['before', 'after']) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await ctx.addInitScript(instrument);
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto(`${roots[side].base}${name}.html`);
  await page.waitForFunction(settled, null, { timeout: 120000, polling: 100 });
  for (;;) { const q = await page.evaluate(() => { const d = globalThis.__live.draws; return performance.now() - (d.at(-1) ?? 0); }); if (q > 1500) break; await page.waitForTimeout(200); }
  const r = await page.evaluate(() => { const L = globalThis.__live; return { complete: Math.round(L.draws.at(-1)), longest: Math.round(Math.max(0, ...L.longtasks)), n: L.longtasks.length, total: Math.round(L.longtasks.reduce((a, b) => a + b, 0)) }; });
  console.log(`${name} ${side}: complete ${r.complete} ms, longest task ${r.longest} ms, ${r.n} long tasks, total ${r.total} ms; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  await ctx.close();
}
await browser.close(); await roots.before.close(); await roots.after.close();
