// loader.test.mjs — init() from every kind of source, SIMD selection, and the
// inline build working with no .wasm file on disk.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, mkdirSync, copyFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { WASM, WASM_SIMD, ROOT, freshApi } from './helpers.mjs';

const bytes = readFileSync(WASM);

async function works(m) {
  assert.equal(m.isInitialized(), true);
  assert.deepEqual([...m.matmul([[1, 2]], [[3], [4]]).data], [11]);
}

const sources = {
  'Uint8Array': () => new Uint8Array(bytes),
  'ArrayBuffer': () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  'file URL': () => WASM,
  'URL string': () => WASM.href,
  'path string': () => relative(process.cwd(), fileURLToPath(WASM)),
  'WebAssembly.Module': () => new WebAssembly.Module(bytes),
  'Response (application/wasm)': () => new Response(bytes, { headers: { 'content-type': 'application/wasm' } }),
  'Response (wrong MIME, falls back)': () => new Response(bytes, { headers: { 'content-type': 'text/html' } }),
  'async function': () => async () => new Uint8Array(bytes),
};

for (const [name, make] of Object.entries(sources)) {
  test(`init({ wasm: ${name} })`, async () => {
    const m = await freshApi('src');
    const info = await m.init({ wasm: make() });
    assert.equal(info.simd, null, 'a caller-supplied module reports simd: null unless told');
    await works(m);
  });
}

test('a failed HTTP Response rejects with ELOAD naming the status', async () => {
  const m = await freshApi('src');
  await assert.rejects(m.init({ wasm: new Response('nope', { status: 404, statusText: 'Not Found' }) }),
    (e) => e.code === 'ELOAD' && /404/.test(e.message));
  await m.init({ wasm: bytes });
  await works(m);
});

test("simd: false / true / 'auto' choose the build", async () => {
  const a = await freshApi('simd');
  assert.equal((await a.init({ simd: false })).simd, false);
  assert.equal(a.memoryStats().simd, false);
  const b = await freshApi('simd');
  assert.equal((await b.init({ simd: true })).simd, true);
  const c = await freshApi('simd');
  assert.equal((await c.init()).simd, WebAssembly.validate(readFileSync(WASM_SIMD)));
  await works(a); await works(b); await works(c);
});

test('sketchlab/inline works with no .wasm file present (no fetch, no fs)', () => {
  // Copy only the JS (wasm/*.js and dist/inline.js) to a temp folder and run it there.
  const dir = mkdtempSync(join(tmpdir(), 'sketchlab-inline-'));
  try {
    mkdirSync(join(dir, 'dist'));
    for (const f of readdirSync(join(ROOT, 'wasm'))) if (f.endsWith('.js')) copyFileSync(join(ROOT, 'wasm', f), join(dir, f));
    copyFileSync(join(ROOT, 'wasm/dist/inline.js'), join(dir, 'dist/inline.js'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    const script = `
      const m = await import(${JSON.stringify(pathToFileURL(join(dir, 'inline.js')).href)});
      const a = await m.init({ simd: false });
      const b = await import(${JSON.stringify(pathToFileURL(join(dir, 'index.js')).href)});
      const out = { simd: a.simd, sum: m.matmul([[1, 2]], [[3], [4]]).data[0], shared: b.isInitialized() };
      let failed = null;
      try { const f = await import(${JSON.stringify(pathToFileURL(join(dir, 'index.js')).href + '?fresh')}); await f.init(); } catch (e) { failed = e.code; }
      out.plainWithoutWasm = failed;
      console.log(JSON.stringify(out));`;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
    assert.deepEqual(out, { simd: false, sum: 11, shared: true, plainWithoutWasm: 'ELOAD' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

