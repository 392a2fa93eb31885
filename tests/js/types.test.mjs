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
  cpSync(join(ROOT, 'tests/types/host-types.ts'), join(WORK, 'host-types.ts'));
  writeFileSync(join(WORK, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
}

const CONFIGS = {
  'bundler, DOM lib': { module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'] },
  'bundler, no DOM lib': { module: 'esnext', moduleResolution: 'bundler', lib: ['es2022'] },
  'node16, no DOM lib': { module: 'node16', moduleResolution: 'node16', lib: ['es2022'] },
  'node16, DOM lib': { module: 'node16', moduleResolution: 'node16', lib: ['es2022', 'dom'] },
};

test('tsc --strict accepts a consumer of sketchlab, sketchlab/inline and sketchlab/worker', { timeout: 180_000 }, (t) => {
  workspace();
  for (const [name, o] of Object.entries(CONFIGS)) {
    const tsconfig = {
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', types: [], skipLibCheck: false, ...o },
      // with the DOM lib, also check that the host types are the real ones (not never)
      files: o.lib.includes('dom') ? ['consumer.ts', 'host-types.ts'] : ['consumer.ts'],
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
