// types.test.mjs — the hand-written declarations (wasm/index.d.ts,
// wasm/worker-client.d.ts) as a TypeScript user meets them: tsc --strict on
// tests/types/consumer.ts, which imports 'sketchlab', 'sketchlab/inline' and
// 'sketchlab/worker' by name (build/types-test/node_modules/sketchlab is a
// symlink to this repository, so package.json "exports" resolves them), under
// moduleResolution "bundler" and "node16", with and without the DOM lib (a
// Node project has no DOM lib: the declarations must not need it).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers.mjs';

const WORK = join(ROOT, 'build/types-test');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

function workspace() {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(join(WORK, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(WORK, 'node_modules/sketchlab'), 'dir');
  cpSync(join(ROOT, 'tests/types/consumer.ts'), join(WORK, 'consumer.ts'));
  cpSync(join(ROOT, 'tests/types/consumer.ts'), join(WORK, 'consumer.cts'));
  cpSync(join(ROOT, 'tests/types/host-types.ts'), join(WORK, 'host-types.ts'));
  writeFileSync(join(WORK, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
}

const CONFIGS = {
  'bundler, DOM lib': { module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'] },
  'bundler, no DOM lib': { module: 'esnext', moduleResolution: 'bundler', lib: ['es2022'] },
  'node16, no DOM lib': { module: 'node16', moduleResolution: 'node16', lib: ['es2022'] },
  'node16, DOM lib': { module: 'node16', moduleResolution: 'node16', lib: ['es2022', 'dom'] },
  // the older resolution (TypeScript's default for module commonjs) ignores "exports":
  // the subpaths' types come from package.json "typesVersions"
  'node10, no DOM lib': { module: 'commonjs', moduleResolution: 'node10', lib: ['es2022'] },
  // a CommonJS file (.cts) importing the ES-module package: nodenext models Node's require(esm)
  // (TypeScript >= 5.8); node16 refuses it with TS1479 (the README says so)
  'nodenext, CommonJS file, no DOM lib': { module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022'], cjs: true },
};

test('tsc --strict accepts a consumer of sketchlab, sketchlab/inline and sketchlab/worker', { timeout: 180_000 }, (t) => {
  workspace();
  for (const [name, { cjs, ...o }] of Object.entries(CONFIGS)) {
    const tsconfig = {
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', types: [], skipLibCheck: false, ...o },
      // with the DOM lib, also check that the host types are the real ones (not never)
      files: cjs ? ['consumer.cts'] : o.lib.includes('dom') ? ['consumer.ts', 'host-types.ts'] : ['consumer.ts'],
    };
    const file = `tsconfig.${name.replace(/\W+/g, '-')}.json`;
    writeFileSync(join(WORK, file), JSON.stringify(tsconfig, null, 2));
    let out = '';
    let ok = true;
    try {
      execFileSync(process.execPath, [TSC, '-p', file], { cwd: WORK, encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      ok = false;
      out = `${err.stdout}${err.stderr}`;
    }
    assert.ok(ok, `tsc (${name}) reported:\n${out}`);
  }
});

test('the consumer test can fail: a wrong call is reported by tsc', { timeout: 60_000 }, () => {
  workspace();
  writeFileSync(join(WORK, 'bad.ts'), "import { svd } from 'sketchlab';\nexport const x: null = svd([[1]], { vectors: true }).U;\n");
  writeFileSync(join(WORK, 'tsconfig.bad.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'es2022', types: [], module: 'node16', moduleResolution: 'node16', lib: ['es2022'] },
    files: ['bad.ts'],
  }));
  assert.throws(() => execFileSync(process.execPath, [TSC, '-p', 'tsconfig.bad.json'], { cwd: WORK, encoding: 'utf8', stdio: 'pipe' }),
    (err) => /TS2322/.test(err.stdout));
});

// The typed calls must also be ones the runtime accepts (and the calls under
// @ts-expect-error ones it refuses): compile consumer.ts to JS (node16, no DOM
// lib, as a Node project would) and run its streamAttentionRegression() against
// this package, with known answers where the maths gives one.
test('consumer.ts compiled by tsc runs: the stream, attention and regression calls as typed, known answers', { timeout: 180_000 }, async () => {
  workspace();
  writeFileSync(join(WORK, 'tsconfig.emit.json'), JSON.stringify({
    compilerOptions: { strict: true, target: 'es2022', types: [], module: 'node16', moduleResolution: 'node16', lib: ['es2022'], outDir: 'out' },
    files: ['consumer.ts'],
  }));
  try {
    execFileSync(process.execPath, [TSC, '-p', 'tsconfig.emit.json'], { cwd: WORK, encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    assert.fail(`tsc (emit) reported:\n${err.stdout}${err.stderr}`);
  }
  const script = "const m = await import('./out/consumer.js'); process.stdout.write(JSON.stringify(await m.streamAttentionRegression()));";
  const { values: v, refused } = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: WORK, encoding: 'utf8' }));
  // one update (or one nonzero entry): every estimate is exact
  assert.deepEqual(v.countSketch, [-2, 4, 256, 7, 'poly', true], 'deserialized CountSketch of x = -2·e_3; the original reports disposed');
  assert.equal(v.using, 5, '`using` CountSketch: x_1 = 2 + 3');
  assert.equal(v.ams, 9, 'AMS F2 of 3·e_0');
  assert.deepEqual(v.countMin, [5, 5], 'Count-Min min and median of 5·e_2');
  assert.deepEqual(v.l2Sampler, [true, true], 'a 1-sparse y samples its index or fails with a named reason');
  assert.deepEqual(v.attentionSampler, ['both', 20, 4], 'deserializeAttention keeps setting and shape');
  assert.equal(v.tensorSampler, true, 'the pair comes from the updated row of A1');
  assert.deepEqual(v.softmaxSample, [0, 0, 0], 'logits (0, -1000, -1000): index 0 w.p. 1 - 2e^-1000');
  assert.deepEqual(v.samplerTrials, [0, 0, true], 'the exact oracle on a 1-sparse y samples only its index');
  assert.equal(v.tensorAttention, 4);
  assert.equal(v.attention, 4);
  assert.deepEqual(v.kvCache, [true, 1, 16], 'one token: softmax over one pair is 1, out = v1∘v2; words = 4td');
  assert.deepEqual(v.standard, [3, 4], 'one token: out = v');
  assert.deepEqual(v.readonlyTyped, [3, 4], 'readonly and typed-array vectors and rows: one key, out = v');
  assert.deepEqual(v.standardTyped, [3, 4], 'a Float32Array token and a readonly batch: out = v');
  assert.equal(v.subgen2, 1, 'SubGen2Cache after one token: T² = 1 pair');
  assert.equal(v.indexGame, 64, 'N = n·d bits');
  assert.deepEqual(v.decodeRun, [[1, 2, 3, 4], 32], 'onStep after each of T = 4 steps; four-cache words 4·1·d at t = 1');
  assert.equal(v.decodeRuns, 2);
  assert.deepEqual(v.softmaxRegression, [5, 'converged', true], 'x has d entries; history has iterations + 1 records');
  assert.equal(v.softmaxSolver, 1);
  assert.equal(v.softmaxEval, 5);
  assert.equal(v.softmaxLeverage, 400);
  for (const [name, code] of Object.entries(refused)) assert.equal(code, 'EINVAL', `${name}: a call the types reject is refused at run time too`);
  assert.equal(Object.keys(refused).length, 6);
});
