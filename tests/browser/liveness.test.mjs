// liveness.test.mjs — the pages stay live on a slow laptop: behaviour of
// web/lib/compute.js's runner (latest request wins, a superseded computation
// is cancelled, a slider drag does not cancel the running job over and over)
// and a page that handles a click while its computation runs. Behaviour only:
// nothing here asserts on a time (bench/page_liveness.mjs measures those).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withPage, waitRendered } from './harness.mjs';

const T = { timeout: 180_000 };

// In the page: a runner whose jobs are promises the test settles by hand
// (globalThis.__jobs[id].resolve), so the order of events is under control.
async function setUpManualRunner(page, opts) {
  await page.evaluate(async (o) => {
    const { createRunner } = await import('./lib/compute.js');
    const log = (globalThis.__log = []);
    const jobs = (globalThis.__jobs = {});
    globalThis.__runner = createRunner({
      ...o,
      job: (p, { signal }) => new Promise((resolve, reject) => {
        log.push(`start ${p.id}`);
        jobs[p.id] = { resolve, aborted: signal.aborted };
        if (signal.aborted) { log.push(`abort ${p.id}`); reject(new DOMException('cancelled', 'AbortError')); return; }
        signal.addEventListener('abort', () => { jobs[p.id].aborted = true; log.push(`abort ${p.id}`); reject(new DOMException('cancelled', 'AbortError')); });
      }),
      onResult: (r, p, info) => log.push(`draw ${p.id}${info.stale ? ' (stale)' : ''} = ${r}`),
    });
  }, opts);
}

const log = (page) => page.evaluate(() => globalThis.__log.slice());

test('runner: a superseded computation is cancelled and only the newest request is drawn', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}index.html`);
    // burstMs 0: every request is a separate change (a key press), staleAfterMs 0: cancel at once.
    await setUpManualRunner(page, { staleAfterMs: 0, burstMs: 0 });
    await page.evaluate(() => { globalThis.__runner.request({ id: 1 }); });
    await page.waitForFunction(() => globalThis.__jobs[1]);
    await page.evaluate(() => { globalThis.__runner.request({ id: 2 }); globalThis.__runner.request({ id: 3 }); });
    await page.waitForFunction(() => globalThis.__jobs[3]);
    await page.evaluate(() => globalThis.__jobs[3].resolve('three'));
    await page.evaluate(() => globalThis.__runner.idle());
    assert.deepEqual(await log(page), ['start 1', 'abort 1', 'start 3', 'draw 3 = three'],
      'job 1 is cancelled, request 2 (superseded while waiting) never starts, 3 is drawn');
    const stats = await page.evaluate(() => ({ ...globalThis.__runner.stats }));
    assert.equal(stats.aborted, 1);
    assert.equal(stats.dropped, 1);
    assert.equal(stats.finished, 1);
    assert.deepEqual(errors, []);
  });
});

test('runner: a slider drag does not cancel the running job; its newest value runs next and is drawn', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}index.html`);
    // burstMs is long here so that the test's requests are one drag whatever the machine's load.
    await setUpManualRunner(page, { staleAfterMs: 0, burstMs: 60_000 });
    await page.evaluate(() => { for (let id = 1; id <= 10; id++) globalThis.__runner.request({ id }); });
    await page.waitForFunction(() => globalThis.__jobs[1]);
    assert.equal(await page.evaluate(() => globalThis.__jobs[1].aborted), false, 'the drag did not cancel job 1');
    // Job 1 finishes while the drag's newest value waits: drawn as intermediate feedback, then 10 runs.
    await page.evaluate(() => globalThis.__jobs[1].resolve('one'));
    await page.waitForFunction(() => globalThis.__jobs[10]);
    await page.evaluate(() => globalThis.__jobs[10].resolve('ten'));
    await page.evaluate(() => globalThis.__runner.idle());
    assert.deepEqual(await log(page), ['start 1', 'draw 1 (stale) = one', 'start 10', 'draw 10 = ten'],
      'requests 2–9 are never computed');
    assert.equal(await page.evaluate(() => globalThis.__runner.stats.deferred), 9);
    assert.deepEqual(errors, []);
  });
});

test('runner: once a drag pauses, a job running for the old value is cancelled for the newest', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}index.html`);
    await setUpManualRunner(page, { staleAfterMs: 0, burstMs: 200 });
    await page.evaluate(async () => { const { getClient } = await import('./lib/compute.js'); await getClient(); });
    await page.evaluate(() => { for (let id = 1; id <= 5; id++) globalThis.__runner.request({ id }); });
    // Nothing more is requested: after the pause, job 1 (stale) is cancelled and 5 starts.
    await page.waitForFunction(() => globalThis.__jobs[5]);
    await page.evaluate(() => globalThis.__jobs[5].resolve('five'));
    await page.evaluate(() => globalThis.__runner.idle());
    assert.deepEqual(await log(page), ['start 1', 'abort 1', 'start 5', 'draw 5 = five']);
    assert.deepEqual(errors, []);
  });
});

test('runner: a cancelled worker computation gives way to the newer one, whose numbers are drawn', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.goto(`${base}index.html`);
    const out = await page.evaluate(async () => {
      const { createRunner, getClient } = await import('./lib/compute.js');
      const drawn = [];
      let started = null;
      const firstStarted = new Promise((r) => { started = r; });
      const runner = createRunner({
        staleAfterMs: 0, burstMs: 0, lane: 'liveness',
        job: async ({ n, seed }, { call }) => {
          if (seed === 1) started();
          const A = await call('randn', [n, n, seed]);
          return (await call('svd', [A, { vectors: false }])).s[0];
        },
        onResult: (s1, p) => drawn.push([p.seed, s1]),
      });
      runner.request({ n: 600, seed: 1 });   // a big SVD…
      await firstStarted;
      runner.request({ n: 40, seed: 2 });    // …superseded by a small one
      await runner.idle();
      // The same small problem on a fresh worker lane, for the expected number.
      const c = await getClient('liveness-check');
      const ref = (await c.call('svd', [await c.call('randn', [40, 40, 2]), { vectors: false }])).s[0];
      return { drawn, stats: { ...runner.stats }, ref };
    });
    // The big job had not got past its first call when it was superseded.
    assert.equal(out.stats.aborted, 1, 'the superseded job was cancelled');
    assert.equal(out.stats.finished, 1);
    assert.deepEqual(out.drawn.map((d) => d[0]), [2], 'only the newest request is drawn');
    assert.equal(out.drawn[0][1], out.ref, 'with the numbers of its own computation, bit for bit');
    assert.deepEqual(errors, []);
  });
});

test('pivoting page: a click is handled while a big computation runs (the main thread stays free)', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.goto(`${base}pivoting.html`);
    await waitRendered(page);
    // A big problem: the kernel data set at n = 2000 (a 2000×2000 matrix, several methods).
    const details = page.locator('details.how');
    await page.evaluate(() => { location.hash = 'data=smile&n=2000'; });
    await page.waitForFunction(() => document.body.dataset.busy === '1');
    const wasOpen = await details.evaluate((d) => d.open);
    await details.locator('summary').click();
    const whileBusy = await page.evaluate(() => document.body.dataset.busy === '1');
    assert.notEqual(await details.evaluate((d) => d.open), wasOpen, 'the click toggled the panel');
    assert.ok(whileBusy, 'the click was handled while the computation was still running');
    await waitRendered(page, { timeout: 170_000 });
    assert.deepEqual(errors, []);
  });
});

// A new data set's matrix reaches the two workers that use it (the figure's and
// the background lane's) without being copied or structured-cloned on the main
// thread: on a slow laptop each clone of a 900×900 kernel was a 150–400 ms task.
// Counted in the page: the bytes of every typed array posted to a Worker, cloned
// (not in the transfer list) or transferred.
test('pivoting page: a data set\'s matrix is moved into the workers, never cloned on the main thread', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.context().addInitScript(() => {
      const posted = (globalThis.__posted = []);
      const post = Worker.prototype.postMessage;
      Worker.prototype.postMessage = function (msg, transfer) {
        const moved = new Set((Array.isArray(transfer) ? transfer : transfer?.transfer) ?? []);
        let cloned = 0, transferred = 0;
        const seen = new Set();
        const walk = (v) => {
          if (!v || typeof v !== 'object' || seen.has(v)) return;
          seen.add(v);
          const buf = ArrayBuffer.isView(v) ? v.buffer : v instanceof ArrayBuffer ? v : null;
          if (buf) { if (moved.has(buf)) transferred += buf.byteLength; else cloned += ArrayBuffer.isView(v) ? v.byteLength : v.byteLength; return; }
          for (const x of Object.values(v)) walk(x);
        };
        walk(msg);
        posted.push({ name: msg?.name, cloned, transferred });
        return post.call(this, msg, transfer);
      };
    });
    await page.goto(`${base}pivoting.html`);
    await waitRendered(page);
    await page.waitForFunction(() => globalThis.__sketchlab.prefetched === true, null, { timeout: 120_000 });
    // a kernel size the page has not prepared: a 900×900 matrix (6.5 MB) made for this change
    await page.evaluate(() => { location.hash = 'data=smile&n=900'; });
    await waitRendered(page, { timeout: 120_000 });
    await page.waitForFunction(() => globalThis.__sketchlab.lastResult.cur !== null, null, { timeout: 60_000 }); // CUR ran on the background lane
    const posted = await page.evaluate(() => globalThis.__posted);
    const matrix = 900 * 900 * 8;
    const bigClones = posted.filter((m) => m.cloned >= 64 * 1024);
    assert.deepEqual(bigClones, [], 'no message clones 64 KB or more (the points clouds for RPCholesky are 14 KB)');
    const moves = posted.filter((m) => m.transferred === matrix);
    assert.equal(moves.length, 2, `the 900×900 kernel moved once into each of the two workers (${JSON.stringify(posted.filter((m) => m.transferred))})`);
    // and the figure is that of the kernel: 900 points, the ID methods and RPCholesky ran
    const r = await page.evaluate(() => { const x = globalThis.__sketchlab.lastResult; return { cols: x.data.cols, ids: x.results.length, chol: x.chol.length }; });
    assert.deepEqual(r, { cols: 900, ids: 3, chol: 4 });
    assert.deepEqual(errors, []);
  });
});

// Loading a page must not create all its Chart.js charts in one task (each lays
// itself out and draws: a 0.6-1.1 s task at load on a slow laptop): web/lib/charts.js
// makes each in a task of its own, or at first use.
test('charts: each Chart.js chart is made in its own task (other tasks run between), or at once on first use', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.context().addInitScript(() => {
      // Chart constructions, and how many existed when the page's modules had run
      const made = (globalThis.__made = []);
      let C;
      Object.defineProperty(globalThis, 'Chart', {
        configurable: true,
        get() { return C; },
        set(v) { C = class extends v { constructor(...a) { super(...a); made.push(a[0].parentElement?.id ?? '?'); } }; },
      });
      document.addEventListener('DOMContentLoaded', () => { globalThis.__madeAtDOMContentLoaded = made.length; });
    });
    await page.goto(`${base}svd-bounds.html`);
    await waitRendered(page);
    const load = await page.evaluate(() => ({ atDCL: globalThis.__madeAtDOMContentLoaded, made: globalThis.__made.slice(),
      boxes: [...document.querySelectorAll('.chart-box')].map((b) => b.id) }));
    assert.equal(load.atDCL, 0, 'no chart is made while the page\'s modules evaluate');
    assert.deepEqual([...load.made].sort(), [...load.boxes].sort(), 'every chart was made once, by the time the figure is drawn');

    const order = await page.evaluate(async () => {
      const { liveChart, linearAxis } = await import('./lib/charts.js');
      const log = [];
      const made = globalThis.__made;
      const charts = ['a', 'b', 'c'].map((id) => {
        const box = document.createElement('div');
        box.className = 'chart-box';
        box.id = `test-${id}`;
        document.body.append(box);
        return liveChart(box, { label: id, datasets: [{ label: id }], scales: { x: linearAxis(), y: linearAxis() } });
      });
      const before = made.length;
      log.push(`made ${charts.filter((c) => c.created).length} at once`);
      setTimeout(() => log.push(`other task (${made.length - before} made)`), 0); // e.g. a click waiting
      charts[2].data.datasets[0].data = [{ x: 1, y: 2 }];
      charts[2].options.scales.y.max = 5; // options set before the chart exists reach it
      await new Promise((r) => setTimeout(r, 0));
      await new Promise((r) => setTimeout(r, 0));
      await new Promise((r) => setTimeout(r, 0));
      log.push(`c: ${charts[2].created}, y.max ${charts[2].chart.scales.y.max}, points ${charts[2].chart.getDatasetMeta(0).data.length}`);
      const d = liveChart(document.getElementById('test-a'), { label: 'd', datasets: [], scales: { x: linearAxis(), y: linearAxis() } });
      d.update('none'); // first use: made now
      log.push(`d at first use: ${d.created}`);
      log.push(made.slice(before).join(','));
      return log;
    });
    assert.deepEqual(order, ['made 0 at once', 'other task (1 made)', 'c: true, y.max 5, points 1', 'd at first use: true',
      'test-a,test-b,test-c,test-a'], 'a is made in one task, then the waiting task runs, then b and c in tasks of their own');
    assert.deepEqual(errors, []);
  });
});

// A new result's charts are drawn one per task (web/lib/staged.js): drawn at once, the
// first drawing of a result was one 0.35–0.6 s task on a slow laptop (svd-bounds, softmax,
// spectrum), during which no click or key press was handled. Logged in the page: every
// data update (setData's update('none')) of a Chart.js chart, with the number of the task
// it ran in (a counter a timer advances after each update, so two updates in one task share
// a number) and a fingerprint of its data (the sum of its finite y values).
function logChartUpdates() {
  const log = (globalThis.__updates = []);
  let task = 0, tick = false;
  const mark = (globalThis.__mark = (entry) => {
    log.push({ ...entry, task });
    if (!tick) { tick = true; setTimeout(() => { task++; tick = false; }, 0); }
  });
  let C;
  Object.defineProperty(globalThis, 'Chart', {
    configurable: true,
    get() { return C; },
    set(v) {
      C = class extends v {
        update(mode) {
          if (mode === 'none') {
            let fp = 0;
            for (const d of this.data.datasets) for (const p of d.data) if (Number.isFinite(p?.y)) fp += p.y;
            mark({ chart: this.canvas.parentElement.id, fp });
          }
          return super.update(mode);
        }
      };
    },
  });
}

for (const [name, change, charts] of [
  ['svd-bounds', 'seed=2', ['chart-angles', 'chart-sigma', 'chart-plan']],
  ['softmax', 'seed=3', ['chart-iter', 'chart-time', 'chart-lev']],
  ['spectrum', 'seed=2', ['chart-sigma', 'chart-error']],
]) {
  test(`${name} page: a new result's charts are drawn one per task`, T, async () => {
    await withPage(async ({ page, base, errors }) => {
      await page.context().addInitScript(logChartUpdates);
      await page.goto(`${base}${name}.html`);
      await waitRendered(page, { timeout: 120_000 });
      const atLoad = await page.evaluate(() => globalThis.__updates.splice(0));
      await page.evaluate((h) => { location.hash = h; }, change);
      await waitRendered(page, { timeout: 120_000 });
      const updates = await page.evaluate(() => globalThis.__updates.slice());
      for (const log of [atLoad, updates]) {
        const byTask = Map.groupBy ? Map.groupBy(log, (u) => u.task) : log.reduce((m, u) => m.set(u.task, [...(m.get(u.task) ?? []), u]), new Map());
        for (const [task, us] of byTask) {
          assert.equal(us.length, 1, `task ${task} updated ${us.map((u) => u.chart).join(' and ')}: one chart per task (${JSON.stringify(log)})`);
        }
        assert.deepEqual([...new Set(log.map((u) => u.chart))].sort(), [...charts].sort(), 'every chart was drawn');
      }
      assert.deepEqual(errors, []);
    });
  });
}

// Only a newer drawing stops a staged one: a result whose stages are still waiting when a
// newer result is drawn never draws its remaining charts over the newer ones.
test('svd-bounds page: a superseded staged drawing stops; the stale result is never drawn over the newer one', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.context().addInitScript(logChartUpdates);
    await page.goto(`${base}svd-bounds.html#seed=1`);
    await waitRendered(page, { timeout: 120_000 });
    await page.evaluate(() => { globalThis.__r1 = globalThis.__sketchlab.lastResult; });
    await page.evaluate(() => { location.hash = 'seed=2'; });
    await waitRendered(page, { timeout: 120_000 });
    const figure = () => page.evaluate(() => {
      const out = {};
      for (const [k, c] of Object.entries(globalThis.__sketchlab.charts)) {
        out[k] = JSON.stringify([c.data.datasets.map((d) => d.data), c.options.scales.x.max, c.options.scales.y.min, c.canvas.getAttribute('aria-label')]);
      }
      return { charts: out, readout: document.getElementById('readout').textContent, table: document.getElementById('table').textContent };
    });
    const want = await figure(); // seed 2's figure, drawn as usual
    const out = await page.evaluate(async () => {
      const hook = globalThis.__sketchlab;
      const r1 = globalThis.__r1, r2 = hook.lastResult;
      const renders = hook.renders;
      globalThis.__updates.length = 0;
      // r1 (seed 1) arrives and starts drawing; before its next stage, r2 (seed 2) arrives.
      const drawn1 = hook.drawResult(r1);
      const drawn2 = hook.drawResult(r2);
      await Promise.all([drawn1, drawn2]);
      for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 20)); // anything left would run by now
      return { updates: globalThis.__updates.slice(), renders: hook.renders - renders, r2: hook.lastResult === r2 };
    });
    const charts = out.updates.map((u) => u.chart);
    assert.deepEqual(charts, ['chart-angles', 'chart-angles', 'chart-sigma', 'chart-plan'],
      'the stale result drew its first chart only; the newer one drew all three');
    assert.notEqual(out.updates[0].fp, out.updates[1].fp, 'the first update is the stale result\'s, the second the newer one\'s');
    assert.equal(out.renders, 1, 'only the newer drawing completed');
    assert.ok(out.r2);
    assert.deepEqual(await figure(), want, 'the figure is the newer result\'s, exactly as drawn before');
    const rendered = await page.evaluate(() => [document.body.dataset.rendered, location.hash.slice(1)]);
    assert.equal(rendered[0], rendered[1], 'the page says it shows its current state');
    assert.match(rendered[0], /&seed=2&/);
    assert.deepEqual(errors, []);
  });
});

// kv-cache: a new decode's first step draws its memory and time charts in two tasks, and the
// game's bit panels (canvases, not charts: marked when one is drawn) and its chart are drawn in
// different tasks.
test('kv-cache page: a new decode\'s two charts, and the game\'s panels and chart, are drawn in separate tasks', T, async () => {
  await withPage(async ({ page, base, errors }) => {
    await page.context().addInitScript(logChartUpdates);
    await page.goto(`${base}kv-cache.html`);
    await waitRendered(page, { timeout: 120_000 });
    await page.evaluate(() => {
      globalThis.__updates.length = 0;
      const drawImage = CanvasRenderingContext2D.prototype.drawImage;
      CanvasRenderingContext2D.prototype.drawImage = function (...a) {
        if (this.canvas.dataset.image) globalThis.__mark({ chart: 'bit panels' });
        return drawImage.apply(this, a);
      };
    });
    await page.evaluate(() => { location.hash = location.hash.replace(/seed=\d+/, 'seed=3'); });
    await page.waitForFunction(() => location.hash.includes('seed=3'));
    await waitRendered(page, { timeout: 120_000 });
    const log = await page.evaluate(() => globalThis.__updates.slice());
    const first = (chart) => log.find((u) => u.chart === chart);
    assert.ok(first('chart-mem') && first('chart-time') && first('chart-index') && first('bit panels'), `everything was drawn (${JSON.stringify(log.map((u) => u.chart))})`);
    assert.ok(first('chart-time').task > first('chart-mem').task, 'the decode\'s first step: the time chart in a later task than the memory chart');
    const panelTasks = new Set(log.filter((u) => u.chart === 'bit panels').map((u) => u.task));
    for (const u of log.filter((x) => x.chart === 'chart-index')) assert.ok(!panelTasks.has(u.task), `the game's chart is drawn in a task without bit panels (${JSON.stringify(log)})`);
    assert.deepEqual(errors, []);
  });
});
