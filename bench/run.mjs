// run.mjs — `make bench`: one run comparing, on this machine,
//   native sketchlab vs OpenBLAS/LAPACK (gemm, QR, CPQR, SVD; n = 500, 600, 1000),
//   wasm baseline and SIMD (in Node) vs native,
//   sketchlab's JS API vs ml-matrix (SVD and QR; n = 300, 600).
// Prints a table and writes JSON lines to build/bench/results.jsonl.
// Environment: BENCH_SIZES="500 600 1000", BENCH_JS_SIZES="300 600", BENCH_ONLY="gemm,svd".
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchWasm } from './bench_wasm.mjs';
import { benchMlMatrix } from './bench_mlmatrix.mjs';

const sizes = (process.env.BENCH_SIZES ?? '500 600 1000').split(/\s+/).filter(Boolean).map(Number);
const jsSizes = (process.env.BENCH_JS_SIZES ?? '300 600').split(/\s+/).filter(Boolean).map(Number);
const only = process.env.BENCH_ONLY?.split(',');
const records = [];
const emit = (r) => { records.push(r); console.error(`  ${r.name} ${r.impl} n=${r.size}: ${r.seconds.toFixed(4)} s`); };

console.error('native vs OpenBLAS/LAPACK (one thread each)...');
const nativeOut = execFileSync('build/bench/bench_native', sizes.map(String), {
  env: { ...process.env, OPENBLAS_NUM_THREADS: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
});
nativeOut.split('\n').filter(Boolean).forEach((line) => emit(JSON.parse(line)));

for (const [file, impl] of [['wasm/dist/sketchlab.wasm', 'wasm'], ['wasm/dist/sketchlab-simd.wasm', 'wasm-simd']]) {
  console.error(`${impl} (Node ${process.version})...`);
  for await (const r of benchWasm(file, impl, sizes, only)) emit(r);
}

if (!only || only.some((n) => n.endsWith('-js'))) {
  console.error('JS API vs ml-matrix...');
  for await (const r of benchMlMatrix(jsSizes)) emit(r);
}

// Table: each row gives the time and its ratio to a reference implementation.
const REF = { native: 'lapack', lapack: 'lapack', wasm: 'native', 'wasm-simd': 'native', 'ml-matrix': 'sketchlab', sketchlab: 'sketchlab' };
const find = (name, impl, size) => records.find((r) => r.name === name && r.impl === impl && r.size === size);
const lines = ['| kernel | n | impl | seconds | GFLOP/s | ratio | vs |', '|---|---:|---|---:|---:|---:|---|'];
for (const r of records) {
  const ref = find(r.name, REF[r.impl], r.size);
  const ratio = ref && ref !== r ? (r.seconds / ref.seconds).toFixed(2) : '';
  const vs = ref && ref !== r ? REF[r.impl] : '';
  lines.push(`| ${r.name} | ${r.size} | ${r.impl} | ${r.seconds.toFixed(4)} | ${r.gflops ? r.gflops.toFixed(2) : ''} | ${ratio} | ${vs} |`);
}
console.log(lines.join('\n'));
console.log('\nratio = this time / the time of the implementation in "vs" (lower is better).');
mkdirSync('build/bench', { recursive: true });
writeFileSync('build/bench/results.jsonl', records.map((r) => JSON.stringify(r)).join('\n') + '\n');
console.log('JSON lines: build/bench/results.jsonl');
