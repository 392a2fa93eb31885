// compute.js — the pages' link to the sketchlab Worker.
//
// The main thread only draws; every numerical call goes through a shared
// worker client (wasm/worker-client.js, copied to web/vendor/sketchlab/), one
// per "lane": the live figure uses lane 'main', and slow secondary work (e.g. a
// planner chart) can use its own lane, so it runs on another core and never
// queues in front of the figure a student is dragging a slider for.
//
// createRunner() turns a stream of requests (one per slider movement) into
// jobs with "latest request wins" coalescing:
//   - while a job runs, new requests are not started; only the newest one is
//     kept (older pending requests are dropped, never computed);
//   - if the running job has already run for `staleAfterMs` when a newer
//     request exists, it is cancelled through its AbortSignal (the worker
//     client stops it), so a big problem never blocks a newer small one;
//   - a job that finishes while a newer request waits is still drawn (cheap
//     intermediate feedback while dragging), marked { stale: true };
//   - a slider drag (requests less than `burstMs` apart) never cancels the
//     running job: cancelling terminates and respawns the worker (a wasm
//     compile and the lost resident data), which on a slow laptop made every
//     drag pay several restarts. While the drag goes on, only its newest
//     request is kept and starts when the worker is free; once the drag has
//     paused for `burstMs`, the usual staleAfterMs rule applies to what runs.
//     A single change (a key press, a click) starts or cancels as before.
//   - errors (SketchlabError { code, message }) are shown in a status element.

// Served pages load the worker client as a module from web/vendor/ (made by
// `make web`), lazily, so a missing vendor folder shows a clear message. The
// folder built for file:// (`make site`, scripts/build-site.mjs) instead defines
// globalThis.__sketchlabCreateClient, which makes a classic blob: worker with
// the wasm embedded: modules and module workers are blocked from file://.
const clientURL = () => new URL('../vendor/sketchlab/worker-client.js', import.meta.url).href;

const clientPromises = new Map(); // lane → Promise<client>

/**
 * The worker client of a lane ('main' by default), created on first use.
 * Resolves once the worker has loaded the wasm (client.ready).
 */
export function getClient(lane = 'main') {
  if (!clientPromises.has(lane)) {
    const promise = (async () => {
      const client = globalThis.__sketchlabCreateClient
        ? globalThis.__sketchlabCreateClient()
        : (await import(/* @vite-ignore */ clientURL())).createClient();
      await client.ready;
      return client;
    })();
    clientPromises.set(lane, promise);
    // A failed start must not poison every later attempt (e.g. after `make web`).
    promise.catch(() => { if (clientPromises.get(lane) === promise) clientPromises.delete(lane); });
  }
  return clientPromises.get(lane);
}

/** True for the rejection an AbortSignal produces. */
export function isAbort(err) {
  return err?.name === 'AbortError' || err?.code === 'ABORT_ERR' || err?.code === 'EABORT' || err?.code === 'ABORTED';
}

/** A one-line, user-facing description of an error. */
export function describeError(err) {
  if (!err) return 'Unknown error.';
  if (err.name === 'SketchlabError' || typeof err.code === 'string' || typeof err.code === 'number') {
    return `${err.message ?? String(err)}${err.code !== undefined ? ` (${err.code})` : ''}`;
  }
  if (err instanceof TypeError && /import|module|fetch/i.test(err.message)) {
    return `Could not load the sketchlab package (${err.message}). Run \`make web\` and reload.`;
  }
  return err.message ?? String(err);
}

/**
 * Show a status line. kind: 'busy' | 'ok' | 'error'. The element should have
 * role="status" (polite live region); errors also get the .is-error style.
 */
export function showStatus(el, text, kind = 'ok') {
  if (!el) return;
  el.textContent = text;
  el.dataset.kind = kind;
  el.classList.toggle('is-error', kind === 'error');
  el.classList.toggle('is-busy', kind === 'busy');
}

/**
 * @param {object} o
 * @param {(params:any, ctx:{call:Function, signal:AbortSignal, client:any, onProgress:Function}) => Promise<any>} o.job
 *        the computation; use ctx.call(name, args) for each worker call so
 *        that cancellation reaches it.
 * @param {(result:any, params:any, info:{stale:boolean, ms:number}) => void} o.onResult
 * @param {(err:Error, params:any) => void} [o.onError]
 * @param {(busy:boolean) => void} [o.onBusy]
 * @param {(event:{phase:string, seconds?:number}) => void} [o.onProgress]  the worker client's
 *        progress events ({ phase: 'start' } / { phase: 'done', seconds })
 * @param {HTMLElement} [o.statusEl]  where errors and "computing…" are shown
 * @param {string} [o.lane='main']  which worker runs the jobs (see getClient)
 * @param {number} [o.staleAfterMs=250]
 * @param {number} [o.burstMs=400]  requests closer than this are one drag (see above). Generous:
 *        with the CPU throttled 4× on a loaded machine, a drag's input events (each running the
 *        page's handlers) arrived 53–4187 ms apart instead of 40, and with 120 ms the pivoting
 *        page still restarted its workers 2–3 times per drag (docs/PERFORMANCE.md).
 */
export function createRunner({ job, onResult, onError, onBusy, onProgress, statusEl, staleAfterMs = 250, burstMs = 400, lane = 'main' }) {
  let running = null; // { params, controller, started }
  let pending = null; // { params } | null
  let staleTimer = 0;
  let burstTimer = 0;
  let lastRequest = -Infinity; // performance.now() of the previous request
  let idleWaiters = [];
  const stats = { started: 0, finished: 0, aborted: 0, failed: 0, dropped: 0, deferred: 0 };

  function armStaleTimer() {
    clearTimeout(staleTimer);
    if (!running || !pending) return;
    const wait = Math.max(0, staleAfterMs - (performance.now() - running.started));
    staleTimer = setTimeout(() => {
      if (running && pending) running.controller.abort();
    }, wait);
  }

  function start(params) {
    const controller = new AbortController();
    const run = { params, controller, started: performance.now() };
    running = run;
    stats.started++;
    onBusy?.(true);
    const busyTimer = setTimeout(() => { if (running === run) showStatus(statusEl, 'Computing…', 'busy'); }, 150);
    (async () => {
      const client = await getClient(lane);
      const signal = controller.signal;
      // Superseded while the worker was starting: never begin the stale job.
      if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
      const progress = (ev) => onProgress?.(ev);
      const call = (name, args) => {
        if (signal.aborted) return Promise.reject(new DOMException('cancelled', 'AbortError'));
        return client.call(name, args, { signal, onProgress: progress });
      };
      return job(params, { call, signal, client, onProgress: progress });
    })().then((result) => {
      if (controller.signal.aborted) { stats.aborted++; return; }
      stats.finished++;
      if (!pending) showStatus(statusEl, '', 'ok');
      onResult(result, params, { stale: !!pending, ms: performance.now() - run.started });
    }, (err) => {
      if (controller.signal.aborted || isAbort(err)) { stats.aborted++; return; }
      stats.failed++;
      showStatus(statusEl, describeError(err), 'error');
      if (onError) onError(err, params);
      else console.warn('sketchlab job failed:', err);
    }).finally(() => {
      clearTimeout(busyTimer);
      running = null;
      clearTimeout(staleTimer);
      if (pending) {
        const next = pending;
        pending = null;
        start(next.params);
        armStaleTimer();
      } else {
        onBusy?.(false);
        const w = idleWaiters; idleWaiters = [];
        w.forEach((f) => f());
      }
    });
  }

  return {
    /** Ask for a computation with these params; the latest request wins. */
    request(params) {
      const now = performance.now();
      const inBurst = now - lastRequest < burstMs;
      lastRequest = now;
      clearTimeout(burstTimer);
      if (!running) { start(params); return; }
      if (pending) stats.dropped++;
      pending = { params };
      if (!inBurst) { armStaleTimer(); return; }
      // Part of a drag: do not cancel the running job now; decide once the drag pauses.
      stats.deferred++;
      clearTimeout(staleTimer);
      burstTimer = setTimeout(armStaleTimer, burstMs);
    },
    /** Cancel everything (e.g. on page hide). */
    cancel() {
      clearTimeout(burstTimer);
      pending = null;
      running?.controller.abort();
    },
    /** Resolves when no job is running or pending. */
    idle() {
      return running || pending ? new Promise((r) => idleWaiters.push(r)) : Promise.resolve();
    },
    get busy() { return !!(running || pending); },
    stats,
  };
}
