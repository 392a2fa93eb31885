// pack.test.mjs — `npm pack` gives a tarball that, installed into an empty
// folder with no network, works from a plain Node script: the default entry,
// 'sketchlab/inline' and 'sketchlab/worker'. Skipped only if npm is missing.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, missing } from './helpers.mjs';

function hasNpm() {
  try {
    execFileSync('npm', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('npm pack → npm install --offline → import works', { skip: hasNpm() ? false : 'npm is not available', timeout: 180000 }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sketchlab-pack-'));
  const npm = (args, cwd) => execFileSync('npm', [...args, '--cache', join(dir, 'npm-cache'), '--no-audit', '--no-fund', '--loglevel=error'],
    { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  try {
    // --ignore-scripts: the prepack script (make wasm) already ran as a prerequisite of test-js
    npm(['pack', '--ignore-scripts', '--pack-destination', dir], ROOT);
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    assert.ok(tgz, 'a tarball was written');
    const listing = execFileSync('tar', ['-tzf', join(dir, tgz)], { encoding: 'utf8' }).split('\n');
    for (const f of ['package/LICENSE', 'package/wasm/index.js', 'package/wasm/index.d.ts', 'package/wasm/worker.js', 'package/wasm/worker-client.js',
      'package/wasm/worker-client.d.ts', 'package/wasm/dist/sketchlab.wasm', 'package/wasm/dist/sketchlab-simd.wasm', 'package/wasm/dist/inline.js']) {
      assert.ok(listing.includes(f), `tarball contains ${f}`);
    }
    assert.ok(!listing.some((f) => f.startsWith('package/tests/') || f.startsWith('package/c/')), 'no tests or C sources in the tarball');
    // Nothing else: no build junk (wasm/tools, editor or test files), and no shipped file imports one that is missing.
    const files = listing.filter(Boolean);
    const SHIPPED = /^package\/(README\.md|LICENSE|package\.json|wasm\/[\w-]+(\.node)?\.(js|d\.ts)|wasm\/dist\/(sketchlab\.wasm|sketchlab-simd\.wasm|inline\.js|sketchlab\.iife\.js))$/;
    assert.deepEqual(files.filter((f) => !SHIPPED.test(f) || /test|spec|\.orig$|~$/.test(f)), [], 'only the package\'s own files are shipped');
    for (const f of files.filter((x) => /\.(js|d\.ts)$/.test(x) && !x.includes('/dist/'))) {
      const src = execFileSync('tar', ['-xzOf', join(dir, tgz), f], { encoding: 'utf8' });
      for (const m of src.matchAll(/(?:from\s+|import\s*\(?\s*|new URL\(\s*)'(\.[^']+)'/g)) {
        const target = join(f.replace(/[^/]+$/, ''), m[1]).replace(/\.js$/, f.endsWith('.d.ts') ? '.d.ts' : '.js');
        assert.ok(files.includes(target), `${f} refers to ${m[1]}, which is not in the tarball`);
      }
    }

    const app = join(dir, 'app');
    execFileSync('mkdir', [app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }));
    npm(['install', '--offline', join(dir, tgz)], app);
    const canSvd = !missing('svd');
    writeFileSync(join(app, 'main.js'), `
      import { init, matmul, svd, fromRows, toRows, SketchlabError, version } from 'sketchlab';
      import * as inline from 'sketchlab/inline';
      import { createClient } from 'sketchlab/worker';
      const info = await init();
      const out = { version: version(), product: toRows(matmul(fromRows([[1, 2]]), fromRows([[3], [4]]))) };
      if (${canSvd}) out.s = [...svd([[3, 0], [0, 4]]).s];
      try { matmul([[1]], [[1, 2], [3, 4]]); } catch (e) { out.error = e instanceof SketchlabError ? e.code : String(e); }
      await inline.init();
      out.inline = inline.matmul([[2]], [[3]]).data[0];
      const c = createClient();
      await c.ready;
      out.worker = (await c.matmul([[5]], [[6]])).data[0];
      // a long run with progress and cancel, from the installed package
      const steps = [];
      const run = await c.decodeRun({ d: 4, T: 5, seed: 1 }, { onProgress: (p) => { if (p.phase === 'step') steps.push(p.step.t); } });
      out.steps = [steps, run.words.length];
      const ac = new AbortController();
      try {
        await c.decodeRun({ d: 16, T: 100000, kind: 'four', evaluation: 'streaming' },
          { signal: ac.signal, onProgress: (p) => { if (p.phase === 'step' && p.step.t === 2) ac.abort(); } });
        out.abort = 'finished';
      } catch (e) { out.abort = e.name; }
      out.afterAbort = (await c.samplerTrials([0, 1], { trials: 3, oracle: 'exact' })).trials;
      c.terminate();
      console.log(JSON.stringify(out));
    `);
    // Every subpath in "exports" (and its types) resolves, from the installed package, to a file that exists.
    const pkgJson = JSON.parse(execFileSync('tar', ['-xzOf', join(dir, tgz), 'package/package.json'], { encoding: 'utf8' }));
    const targets = (v) => (typeof v === 'string' ? [v] : Object.values(v).flatMap(targets));
    for (const [sub, target] of Object.entries(pkgJson.exports)) {
      for (const t of targets(target)) assert.ok(files.includes(join('package', t)), `exports['${sub}'] → ${t} is in the tarball`);
      const spec = sub === '.' ? 'sketchlab' : `sketchlab/${sub.slice(2)}`;
      const url = execFileSync(process.execPath, ['--input-type=module', '-e', `process.stdout.write(import.meta.resolve(${JSON.stringify(spec)}))`], { cwd: app, encoding: 'utf8' });
      assert.ok(existsSync(new URL(url)), `${spec} resolves to ${url}, which exists`);
    }
    for (const [sub, paths] of Object.entries(pkgJson.typesVersions['*'])) {
      assert.ok(paths.every((t) => files.includes(join('package', t))), `typesVersions '${sub}' → ${paths} is in the tarball`);
      assert.equal(paths[0], pkgJson.exports[`./${sub}`].types, `typesVersions '${sub}' names the same declarations as exports`);
    }
    assert.ok(files.includes(join('package', pkgJson.types)) && files.includes(join('package', pkgJson.main)));

    const out = JSON.parse(execFileSync(process.execPath, ['main.js'], { cwd: app, encoding: 'utf8' }));
    const pkg = JSON.parse(execFileSync(process.execPath, ['-p', 'JSON.stringify(require("./package.json"))'], { cwd: ROOT, encoding: 'utf8' }));
    assert.equal(out.version, pkg.version);
    assert.deepEqual(out.product, [[11]]);
    if (canSvd) assert.deepEqual(out.s, [4, 3]);
    assert.equal(out.error, 'ESHAPE');
    assert.equal(out.inline, 6);
    assert.equal(out.worker, 30);
    assert.deepEqual(out.steps, [[1, 2, 3, 4, 5], 5], 'decodeRun through the worker: one progress event per step');
    assert.equal(out.abort, 'AbortError', 'a long decodeRun is cancelled mid-run');
    assert.equal(out.afterAbort, 3, 'the client works after the abort (a fresh worker)');

    // require() of the ES module package: Node's require(esm) (on by default from 20.19 / 22.12).
    if (process.features.require_module) {
      writeFileSync(join(app, 'main.cjs'), `
        const sk = require('sketchlab');
        const inline = require('sketchlab/inline');
        const { createClient } = require('sketchlab/worker');
        (async () => {
          await sk.init();
          const out = { s: [...sk.svd([[3, 0], [0, 4]]).s] };
          await inline.init();
          out.inline = inline.matmul([[2]], [[3]]).data[0];
          const c = createClient();
          await c.ready;
          out.worker = (await c.matmul([[5]], [[6]])).data[0];
          c.terminate();
          console.log(JSON.stringify(out));
        })();
      `);
      const cjs = JSON.parse(execFileSync(process.execPath, ['main.cjs'], { cwd: app, encoding: 'utf8' }));
      assert.deepEqual(cjs, { s: [4, 3], inline: 6, worker: 30 }, 'require() works where Node has require(esm)');
    } else {
      t.diagnostic(`require('sketchlab') not checked: Node ${process.version} has no require(esm); the package is ESM-only there`);
    }

    // The classic-script build is in the tarball and exported.
    assert.ok(listing.includes('package/wasm/dist/sketchlab.iife.js'), 'tarball contains the IIFE build');
    assert.ok(listing.includes('package/wasm/platform-node.js') && listing.includes('package/wasm/worker-inline.js'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
