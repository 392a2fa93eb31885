// page_load_ab.mjs — page load at CPU throttle 4, two copies of web/ (e.g. before and after a change) alternately,
// so that both see the same machine load; N times each. Not a test: it measures and prints, per load:
// ms to the complete figure (the last chart draw once settled and no draw for 1.5 s), the longest main-thread
// task (PerformanceObserver 'longtask'), the number of long tasks and their total, and the longest task that
// drew a result (a Chart.js chart with data in it; which charts, in brackets) — at load the other long tasks
// are Chart.js's evaluation, the page's modules and the empty charts' creation.
//
//   node bench/page_load_ab.mjs PAGE N BEFORE_WEB_DIR [AFTER_WEB_DIR (default web/)] [--width 360]
// e.g. git worktree add /tmp/old <commit> && (cd /tmp/old && make web); node bench/page_load_ab.mjs sampler 3 /tmp/old/web
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { CHROMIUM, LAUNCH_ARGS, WEB_DIR, startServer } from '../tests/browser/harness.mjs';
const argv = process.argv.slice(2);
const wi = argv.indexOf('--width');
const width = wi >= 0 ? Number(argv.splice(wi, 2)[1]) : 1280;
const viewport = { width, height: width <= 500 ? 740 : 900 };
const [name, N = '3', beforeDir, afterDir = WEB_DIR] = argv;
if (!name || !beforeDir) { console.error('usage: page_load_ab.mjs PAGE N BEFORE_WEB_DIR [AFTER_WEB_DIR] [--width 360]'); process.exit(1); }
const roots = { before: await startServer(beforeDir), after: await startServer(afterDir) };
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
const instrument = () => {
  const L = (globalThis.__live = { longtasks: [], draws: [], drawn: [] });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) L.longtasks.push({ start: e.startTime, ms: e.duration }); }).observe({ type: 'longtask', buffered: true });
  let C; Object.defineProperty(globalThis, 'Chart', { configurable: true, get() { return C; }, set(v) { C = v; const d = v.prototype.draw; v.prototype.draw = function (...a) {
    const t = performance.now();
    L.draws.push(t);
    if (this.data.datasets.some((x) => x.data.length)) L.drawn.push({ t, id: this.canvas.parentElement?.id ?? '?' });
    return d.apply(this, a);
  }; } });
};
const settled = () => { const b = document.body.dataset; if (b.rendered !== undefined || b.busy !== undefined) return b.busy === '0' && b.rendered === location.hash.slice(1); return Number(b.renders ?? 0) >= 1; };
for (let i = 0; i < Number(N); i++) for (const side of ['before', 'after']) {
  const ctx = await browser.newContext({ viewport });
  await ctx.addInitScript(instrument);
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto(`${roots[side].base}${name}.html`);
  await page.waitForFunction(settled, null, { timeout: 120000, polling: 100 });
  for (;;) { const q = await page.evaluate(() => { const d = globalThis.__live.draws; return performance.now() - (d.at(-1) ?? 0); }); if (q > 1500) break; await page.waitForTimeout(200); }
  const r = await page.evaluate(() => {
    const L = globalThis.__live, ms = L.longtasks.map((x) => x.ms);
    let result = { ms: 0, ids: [] };
    for (const x of L.longtasks) {
      const ids = [...new Set(L.drawn.filter((d) => d.t >= x.start && d.t <= x.start + x.ms).map((d) => d.id))];
      if (ids.length && x.ms > result.ms) result = { ms: x.ms, ids };
    }
    return { complete: Math.round(L.draws.at(-1)), longest: Math.round(Math.max(0, ...ms)), n: ms.length, total: Math.round(ms.reduce((a, b) => a + b, 0)),
      result: `${Math.round(result.ms)} ms (${result.ids.join(', ') || 'no long task drew a result'})` };
  });
  console.log(`${name} ${side} @${width}: complete ${r.complete} ms, longest task ${r.longest} ms, ${r.n} long tasks, total ${r.total} ms; ` +
    `longest task drawing a result ${r.result}; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  await ctx.close();
}
await browser.close(); await roots.before.close(); await roots.after.close();
