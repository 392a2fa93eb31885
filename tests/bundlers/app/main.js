// A small app as a user writes it: the main entry, 'sketchlab/inline' and
// 'sketchlab/worker', each computing the SVD of the same 3×2 matrix. The page
// puts what it got in globalThis.__result (checked by tests/browser/bundlers.test.mjs)
// and sets document.title to 'done'. Errors are reported as { code, message }.
import { init, svd, SketchlabError } from 'sketchlab';
import * as inline from 'sketchlab/inline';
import { createClient } from 'sketchlab/worker';

const A = [[1, 2], [3, 4], [5, 6]];

const plain = (r) => ({ s: [...r.s], U: { rows: r.U.rows, cols: r.U.cols, data: [...r.U.data] }, V: { rows: r.V.rows, cols: r.V.cols, data: [...r.V.data] } });
const failure = (e) => ({ error: { code: e && e.code, name: e && e.name, message: String(e && e.message) } });

async function run(what, f) {
  try {
    return await f();
  } catch (e) {
    return { ...failure(e), what, isSketchlabError: e instanceof SketchlabError };
  }
}

async function main() {
  // The worker's URL can be overridden: ?workerURL=… (e.g. the bundled worker host).
  const params = new URLSearchParams(location.search);
  const workerURL = params.get('workerURL') || undefined;
  const result = {};
  // ?mode=inline: only 'sketchlab/inline' (first, so that it is what loads the module; the
  // entries share one instance). The test checks that no .wasm was fetched then.
  if (params.get('mode') === 'inline') {
    result.inline = await run('inline', async () => { await inline.init(); return plain(inline.svd(A)); });
    result.wasmFetches = performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /\.wasm(\?|$)/.test(n));
    globalThis.__result = result;
    document.title = 'done';
    return;
  }
  result.main = await run('main', async () => { await init(); return plain(svd(A)); });
  result.inline = await run('inline', async () => { await inline.init(); return plain(inline.svd(A)); });
  result.worker = await run('worker', async () => {
    const c = createClient(workerURL ? { workerURL } : {});
    try {
      await c.ready;
      return plain(await c.svd(A));
    } finally {
      c.terminate();
    }
  });
  // A worker host that does not exist: EWORKER must name the URL.
  result.missingWorker = await run('missingWorker', async () => {
    const c = createClient({ workerURL: new URL('./no-such-worker.js', location.href) });
    try { await c.ready; return { ok: true }; } finally { c.terminate(); }
  });
  globalThis.__result = result;
  document.title = 'done';
}

main();
