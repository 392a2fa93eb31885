// run.mjs — `make bench`: one run comparing, on this machine,
//   native sketchlab vs OpenBLAS/LAPACK (gemm, QR, CPQR, SVD; n = 500, 600, 1000),
//   wasm baseline and SIMD (in Node) vs native,
//   sketchlab's JS API vs ml-matrix (SVD and QR; n = 300, 600),
//   pivoting (column ID, sk_id_cols): native and wasm vs SciPy's randomized
//   interp_decomp on a 2000×2000 exp-spectrum matrix, RBRP vs CPQR on GMM,
//   sketched SVD (sk_rsvd, 2000×2000, σ_i = (i+1)^-2, k = 100, p = 10, q = 2, LU):
//   native, wasm and wasm SIMD vs scikit-learn's randomized_svd (one thread),
//   softmax regression (regression.h, T2-like n = 1e5, d = 64): one exact vs one
//   sampled Newton iteration natively and in wasm, exact Newton vs NumPy, time to 1e-8.
// Prints a table and writes JSON lines to build/bench/results.jsonl.
// Environment: BENCH_SIZES="500 600 1000", BENCH_JS_SIZES="300 600", BENCH_ONLY="gemm,svd"
// (BENCH_ONLY=pivoting, =rsvd, =regression, =attention or =stream runs only that section), BENCH_PYTHON (default
// /usr/bin/python3, where Debian's python3-scipy and python3-sklearn live).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { benchWasm } from './bench_wasm.mjs';
import { benchMlMatrix } from './bench_mlmatrix.mjs';
import { benchPivotingWasm, benchPivotingApi } from './bench_pivoting_wasm.mjs';
import { benchRsvdWasm } from './bench_rsvd_wasm.mjs';
import { benchRegressionWasm } from './bench_regression_wasm.mjs';
import { benchAttentionWasm } from './bench_attention_wasm.mjs';
import { benchStreamWasm } from './bench_stream_wasm.mjs';

const sizes = (process.env.BENCH_SIZES ?? '500 600 1000').split(/\s+/).filter(Boolean).map(Number);
const jsSizes = (process.env.BENCH_JS_SIZES ?? '300 600').split(/\s+/).filter(Boolean).map(Number);
const only = process.env.BENCH_ONLY?.split(',');
const records = [];
const emit = (r) => {
  records.push(r);
  const err = r.err_ratio !== undefined ? `, error ratio ${r.err_ratio.toFixed(2)}` : '';
  console.error(`  ${r.name} ${r.impl} n=${r.size}: ${r.seconds.toFixed(4)} s${err}`);
};
mkdirSync('build/bench', { recursive: true });

// A native driver, rebuilt first if the library or its source changed since
// it was linked (and the wasm modules with it): `node bench/run.mjs` run by
// hand after a C change otherwise times the old library natively against
// the new one in wasm. make does nothing when both are up to date.
function driver(name) {
  execFileSync('make', ['-s', 'wasm', `build/bench/${name}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  return `build/bench/${name}`;
}

// The kernel section runs unless BENCH_ONLY names only other sections (pivoting, rsvd, regression,
// attention, stream, *-js).
const SECTIONS = ['pivoting', 'rsvd', 'regression', 'attention', 'stream'];
if (!only || only.some((n) => !SECTIONS.includes(n) && !n.endsWith('-js'))) {
  console.error('native vs OpenBLAS/LAPACK (one thread each)...');
  const nativeOut = execFileSync(driver('bench_native'), sizes.map(String), {
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
  });
  nativeOut.split('\n').filter(Boolean).forEach((line) => emit(JSON.parse(line)));

  for (const [file, impl] of [['wasm/dist/sketchlab.wasm', 'wasm'], ['wasm/dist/sketchlab-simd.wasm', 'wasm-simd']]) {
    console.error(`${impl} (Node ${process.version})...`);
    for await (const r of benchWasm(file, impl, sizes, only)) emit(r);
  }
}

if (!only || only.some((n) => n.endsWith('-js'))) {
  console.error('JS API vs ml-matrix...');
  for await (const r of benchMlMatrix(jsSizes)) emit(r);
}

// Pivoting (column ID): native sk_id_cols writes the exp matrix to build/bench/
// first; the wasm and SciPy runs read that file, so all time the same input.
if (!only || only.includes('pivoting')) {
  console.error('pivoting: sk_id_cols native (one thread)...');
  const out = execFileSync(driver('bench_pivoting'), ['-o', 'build/bench'], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
  });
  out.split('\n').filter(Boolean).forEach((line) => emit(JSON.parse(line)));
  for (const [file, impl] of [['wasm/dist/sketchlab.wasm', 'wasm'], ['wasm/dist/sketchlab-simd.wasm', 'wasm-simd']]) {
    console.error(`pivoting: ${impl} (Node ${process.version})...`);
    for await (const r of benchPivotingWasm(file, impl, { outdir: 'build/bench' })) emit(r);
  }
  // What a user gets: the public id() and the worker client, next to the kernel (issue 9 part 6).
  console.error(`pivoting: public JS id() and the worker client (wasm-simd, Node ${process.version})...`);
  for await (const r of benchPivotingApi('wasm-simd', { outdir: 'build/bench' })) emit(r);
  const python = process.env.BENCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  console.error(`pivoting: SciPy interp_decomp (${python}, one thread)...`);
  try {
    const py = execFileSync(python, ['bench/bench_scipy.py', 'build/bench'], {
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
    });
    py.split('\n').filter(Boolean).forEach((line) => emit(JSON.parse(line)));
    // A proxy for machines where OpenBLAS runs its generic kernels (the issue's Intel Xeon ran
    // Prescott): SciPy again with OPENBLAS_CORETYPE=Prescott, in the same run. Only a proxy:
    // wasm still runs at this machine's SIMD ceiling.
    console.error('pivoting: SciPy interp_decomp again with OPENBLAS_CORETYPE=Prescott (proxy)...');
    const pyp = execFileSync(python, ['bench/bench_scipy.py', 'build/bench'], {
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', OPENBLAS_CORETYPE: 'Prescott', BENCH_SCIPY_TAG: 'prescott' },
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
    });
    pyp.split('\n').filter(Boolean).forEach((line) => emit(JSON.parse(line)));
  } catch (err) {
    console.error(`bench: SciPy baseline skipped (${err.message.split('\n')[0]}); make bench installs python3-scipy`);
  }
}

// Sketched SVD (svdsketch.h): native bench_rsvd writes the 2000×2000 matrix to
// build/bench/rsvd_A.bin first; the wasm builds and scikit-learn read that file.
if (!only || only.includes('rsvd')) {
  const env1 = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  console.error('rsvd: sk_rsvd native (one thread)...');
  const out = execFileSync(driver('bench_rsvd'), ['-o', 'build/bench', '-r', '5'], {
    env: env1, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
  });
  out.split('\n').filter(Boolean).forEach((line) => emit(JSON.parse(line)));
  console.error(`rsvd: wasm and wasm-simd (Node ${process.version})...`);
  for await (const r of benchRsvdWasm('build/bench', [['wasm/dist/sketchlab.wasm', 'wasm'], ['wasm/dist/sketchlab-simd.wasm', 'wasm-simd']], 3)) emit(r);
  const python = process.env.BENCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  console.error(`rsvd: scikit-learn randomized_svd (${python}, one thread)...`);
  try {
    const py = execFileSync(python, ['bench/bench_sklearn.py', 'build/bench', '5'], {
      env: env1, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
    });
    py.split('\n').filter(Boolean).forEach((line) => emit(JSON.parse(line)));
  } catch (err) {
    console.error(`bench: scikit-learn baseline skipped (${err.message.split('\n')[0]}); make bench installs python3-sklearn`);
  }
}

// Softmax regression (regression.h): native bench_regression writes the problem to
// build/bench/reg_*.bin first; wasm and the NumPy peer read it. Kept out of the
// generic table (its records carry "iterations"); its own targets below.
if (!only || only.includes('regression')) {
  const env1 = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  console.error('regression: native (one thread)...');
  const out = execFileSync(driver('bench_regression'), ['-o', 'build/bench', '-r', '3'], {
    env: env1, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
  });
  out.split('\n').filter(Boolean).forEach((line) => emit(JSON.parse(line)));
  console.error(`regression: wasm and wasm-simd (Node ${process.version})...`);
  for await (const r of benchRegressionWasm('build/bench', 3)) emit(r);
  const python = process.env.BENCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  try {
    const py = execFileSync(python, ['bench/bench_regression_numpy.py', 'build/bench', '3'], {
      env: env1, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
    });
    py.split('\n').filter(Boolean).forEach((line) => emit(JSON.parse(line)));
  } catch (err) {
    console.error(`bench: NumPy peer skipped (${err.message.split('\n')[0]})`);
  }
}

// Tensor attention (attention.h): one decode query, n = 512, d = 64, through each
// evaluation: native, wasm, wasm-simd, and NumPy's factored/naive forms.
if (!only || only.includes('attention')) {
  const env1 = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  console.error('attention: one decode query, native...');
  const out = execFileSync(driver('bench_attention'), ['512', '64', '5'], { env: env1, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  out.split('\n').filter(Boolean).forEach((line) => emit(JSON.parse(line)));
  console.error('attention: wasm and wasm-simd...');
  for await (const r of benchAttentionWasm(512, 64, 5)) emit(r);
  const python = process.env.BENCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  try {
    const py = execFileSync(python, ['bench/bench_numpy_attention.py', '512', '64', '5'], { env: env1, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    py.split('\n').filter(Boolean).forEach((line) => emit(JSON.parse(line)));
  } catch (err) {
    console.error(`bench: NumPy attention baseline skipped (${err.message.split('\n')[0]})`);
  }
  const at = (ev, impl) => records.find((r) => r.name === `attention-${ev}` && r.impl === impl);
  // CPU seconds (this thread / process) when known: robust when other processes share the cores.
  const al = ['| impl | two-cache s | naive s | factored s | streaming s | naive / factored | factored / two-cache | (CPU) naive / factored | (CPU) factored / two | memory two / four |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const impl of ['native', 'wasm', 'wasm-simd']) {
    const [two, naive, fac, str] = ['two-cache', 'naive', 'factored', 'streaming'].map((ev) => at(ev, impl));
    if (!two || !fac) continue;
    al.push(`| ${impl} | ${two.seconds.toFixed(4)} | ${naive.seconds.toFixed(4)} | ${fac.seconds.toFixed(4)} | ${str.seconds.toFixed(4)} | ` +
      `${(naive.seconds / fac.seconds).toFixed(2)} | ${(fac.seconds / two.seconds).toFixed(2)} | ` +
      `${(naive.cpu_seconds / fac.cpu_seconds).toFixed(2)} | ${(fac.cpu_seconds / two.cpu_seconds).toFixed(2)} | ${(two.words / fac.words).toFixed(0)} |`);
  }
  const np = at('factored', 'numpy'), nat = at('factored', 'native');
  console.log('\nTensor attention, one decode query (n = 512, d = 64):\n' + al.join('\n'));
  if (np && nat) console.log(`factored: native ${nat.seconds.toFixed(4)} s vs NumPy ${np.seconds.toFixed(4)} s (ratio ${(nat.seconds / np.seconds).toFixed(2)})`);
}

// CountSketch batch updates (stream.h): native (both hash modes), the
// memory-bandwidth floor and the counter-store bound from bench_stream, which
// also writes the stream; the
// wasm builds through the JS API, and a NumPy bincount CountSketch.
if (!only || only.includes('stream')) {
  console.error('stream: CountSketch batch updates, native and floor...');
  const out = execFileSync(driver('bench_stream'), ['-o', 'build/bench'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const recs = out.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  console.error(`stream: wasm and wasm-simd (Node ${process.version})...`);
  for await (const r of benchStreamWasm('build/bench')) recs.push(r);
  const python = process.env.BENCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  try {
    const py = execFileSync(python, ['bench/bench_stream_numpy.py', 'build/bench'], { env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    py.split('\n').filter(Boolean).forEach((l) => recs.push(JSON.parse(l)));
  } catch (err) {
    console.error(`bench: NumPy baseline skipped (${err.message.split('\n')[0]})`);
  }
  recs.forEach((r) => records.push({ ...r, stream: true }));
  const get = (impl) => recs.find((r) => r.name === 'cs-update' && r.impl === impl);
  const sl = ['| CountSketch update (R = 7, b = 1024, 10^7 updates, n = 10^6) | seconds | CPU s | CPU ratio to native (same hash) |', '|---|---:|---:|---:|'];
  for (const r of recs.filter((x) => x.name === 'cs-update')) {
    const hash = r.impl.endsWith('fast') ? 'fast' : 'poly';
    const nat = get(`native-${hash}`);
    const ratio = r.impl.startsWith('wasm') && nat ? (r.cpu_seconds / nat.cpu_seconds).toFixed(2) : '';
    sl.push(`| ${r.impl} | ${r.seconds.toFixed(4)} | ${r.cpu_seconds?.toFixed(4) ?? ''} | ${ratio} |`);
  }
  console.log('\n' + sl.join('\n'));
  const fl = get('floor'), np = get('numpy-bincount'), st = get('counter-stores');
  // No CountSketch update can beat the time to store its R counters per update.
  if (st && fl) console.log(`- counter stores alone / memory floor (CPU): ${(st.cpu_seconds / fl.cpu_seconds).toFixed(1)} (the least any native update can reach)`);
  for (const h of ['poly', 'fast']) {
    const n = get(`native-${h}`), ws = get(`wasm-simd-${h}`);
    if (n && fl) console.log(`- native-${h} / memory floor (CPU): ${(n.cpu_seconds / fl.cpu_seconds).toFixed(1)} (target <= 3)`);
    if (n && ws) console.log(`- wasm-simd-${h} / native-${h} (CPU): ${(ws.cpu_seconds / n.cpu_seconds).toFixed(2)} (target <= 2)`);
    if (np && ws) console.log(`- wasm-simd-${h} / NumPy bincount (CPU): ${(ws.cpu_seconds / np.cpu_seconds).toFixed(2)} (target <= 1)`);
    if (np && n) console.log(`- native-${h} / NumPy bincount (CPU): ${(n.cpu_seconds / np.cpu_seconds).toFixed(2)} (target < 1)`);
  }
  const ql = ['| ℓ2 sampler query, n = 10^6 (R = 7, b = 1024, m = 8, 1 repetition) | seconds | CPU s | CPU ratio to native |', '|---|---:|---:|---:|'];
  for (const r of recs.filter((x) => x.name === 'l2-query')) {
    const nat = recs.find((x) => x.name === 'l2-query' && x.impl === `native-${r.impl.endsWith('fast') ? 'fast' : 'poly'}`);
    ql.push(`| ${r.impl} | ${r.seconds.toFixed(4)} | ${r.cpu_seconds.toFixed(4)} | ${r.impl.startsWith('wasm') && nat ? (r.cpu_seconds / nat.cpu_seconds).toFixed(2) : ''} |`);
  }
  console.log('\n' + ql.join('\n'));
  for (const r of recs.filter((x) => x.name === 'l2-query' && x.impl.startsWith('wasm'))) {
    console.log(`- ${r.impl} sampler query (CPU): ${(1000 * r.cpu_seconds).toFixed(1)} ms (target < 100 ms)`);
  }
}

// Table: each row gives the time and its ratio to a reference implementation.
const REF = { native: 'lapack', lapack: 'lapack', wasm: 'native', 'wasm-simd': 'native', 'ml-matrix': 'sketchlab', sketchlab: 'sketchlab' };
const find = (name, impl, size) => records.find((r) => r.name === name && r.impl === impl && r.size === size);
const lines = ['| kernel | n | impl | seconds | GFLOP/s | ratio | vs |', '|---|---:|---|---:|---:|---:|---|'];
for (const r of records.filter((x) => x.err_ratio === undefined && x.error_ratio === undefined && x.gemm_seconds === undefined &&
    x.iterations === undefined && !x.stream)) {
  const ref = find(r.name, REF[r.impl], r.size);
  const ratio = ref && ref !== r ? (r.seconds / ref.seconds).toFixed(2) : '';
  const vs = ref && ref !== r ? REF[r.impl] : '';
  lines.push(`| ${r.name} | ${r.size} | ${r.impl} | ${r.seconds.toFixed(4)} | ${r.gflops ? r.gflops.toFixed(2) : ''} | ${ratio} | ${vs} |`);
}
if (lines.length > 2) {
  console.log(lines.join('\n'));
  console.log('\nratio = this time / the time of the implementation in "vs" (lower is better).');
}

// Pivoting table: err² = ||A − A(:,S)T||_F² / optimal squared tail (worst seed),
// err = its square root (the ratio of Frobenius norms); time ratios against
// SciPy's randomized ID (id-exp) or our CPQR-ID (id-gmm), all in this run, by
// wall time (best run) and by CPU time (best run; robust when other processes
// share the cores, and equal to wall time on an idle machine).
const piv = records.filter((r) => r.err_ratio !== undefined);
if (piv.length) {
  const PREF = { 'id-exp': 'scipy-id', 'id-gmm': 'native-cpqr' };
  const pfind = (name, impl) => piv.find((r) => r.name === name && r.impl === impl);
  const fmt = (x, d = 2) => (x === undefined || Number.isNaN(x) ? '' : x.toFixed(d));
  const pl = ['| case | m×n | impl | rank | seconds | CPU s | err² | err | time ratio | CPU ratio | vs |',
              '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|'];
  for (const r of piv) {
    const ref = pfind(r.name, PREF[r.name]);
    const has = ref && ref !== r;
    pl.push(`| ${r.name} | ${r.m}×${r.n} | ${r.impl} | ${r.rank} | ${fmt(r.seconds, 4)} | ${fmt(r.cpu_seconds, 4)} | ` +
            `${fmt(r.err_ratio)} | ${fmt(Math.sqrt(r.err_ratio))} | ${has ? fmt(r.seconds / ref.seconds) : ''} | ` +
            `${has ? fmt(r.cpu_seconds / ref.cpu_seconds) : ''} | ${has ? PREF[r.name] : ''} |`);
  }
  console.log('\n' + pl.join('\n'));
  // The pivoting issue's targets, each a ratio within this run.
  const checks = [];
  const chk = (label, value, op, bound) => {
    if (value === undefined || Number.isNaN(value)) { checks.push(`- ${label}: not measured`); return; }
    const ok = op === '<=' ? value <= bound : value >= bound;
    checks.push(`- ${label}: ${value.toFixed(2)} (target ${op} ${bound}) ${ok ? 'met' : 'MISSED'}`);
  };
  const both = (a, b) => (a && b ? [a.seconds / b.seconds, a.cpu_seconds / b.cpu_seconds] : [undefined, undefined]);
  const sp = pfind('id-exp', 'scipy-id'), nat = pfind('id-exp', 'native-rbrp'), ws = pfind('id-exp', 'wasm-simd-rbrp');
  const [wsWall, wsCpu] = both(ws, sp), [natWall, natCpu] = both(nat, sp);
  chk('id-exp: wasm-simd RBRP / SciPy interp_decomp(rand=True), wall time', wsWall, '<=', 1.5);
  chk('id-exp: wasm-simd RBRP / SciPy, CPU time', wsCpu, '<=', 1.5);
  // as a user calls it: validation, copy-in, the kernel, T copied out
  const api = pfind('id-exp', 'wasm-simd-api-rbrp'), wk = pfind('id-exp', 'wasm-simd-worker-kept-rbrp');
  const [apiWall, apiCpu] = both(api, sp), [wkWall, wkCpu] = both(wk, sp);
  chk('id-exp: public id() (wasm-simd) / SciPy, wall time', apiWall, '<=', 1.5);
  chk('id-exp: public id() (wasm-simd) / SciPy, CPU time', apiCpu, '<=', 1.5);
  chk('id-exp: worker client, A kept (as the page calls it) / SciPy, wall time', wkWall, '<=', 1.5);
  chk('id-exp: worker client, A kept / SciPy, CPU time (all threads of the process)', wkCpu, '<=', 1.5);
  chk('id-exp: public id() / kernel sk_id_cols (wasm-simd), CPU time', both(api, ws)[1], '<=', 1.15);
  // Proxy only (SciPy on OpenBLAS's Prescott kernels here, wasm at this machine's ceiling),
  // not a measurement on the Intel machine the issue quotes.
  const spp = pfind('id-exp', 'scipy-id-prescott');
  chk('id-exp: public id() (wasm-simd) / SciPy with OPENBLAS_CORETYPE=Prescott (proxy), CPU time', both(api, spp)[1], '<=', 1.5);
  chk('id-exp: kernel sk_id_cols (wasm-simd) / SciPy with OPENBLAS_CORETYPE=Prescott (proxy), CPU time', both(ws, spp)[1], '<=', 1.5);
  chk('id-exp: public id() error ratio as a norm ratio (worst seed)', api && Math.sqrt(api.err_ratio), '<=', 2.2);
  chk('id-exp: native RBRP / SciPy, wall time', natWall, '<=', 1.0);
  chk('id-exp: native RBRP / SciPy, CPU time', natCpu, '<=', 1.0);
  chk('id-exp: RBRP error ratio as a norm ratio ||E||_F/opt (worst seed)', ws && Math.sqrt(ws.err_ratio), '<=', 2.2);
  chk('id-exp: RBRP error ratio squared ||E||_F²/opt² (worst seed)', ws?.err_ratio, '<=', 2.2);
  const w32 = pfind('id-exp', 'wasm-simd-rbrp32');
  chk('id-exp: RBRP with b = 32 (not the default), norm error ratio (worst seed)', w32 && Math.sqrt(w32.err_ratio), '<=', 2.2);
  const wt = pfind('id-exp', 'wasm-simd-rbrp-t10'), nt = pfind('id-exp', 'native-rbrp-t10');
  chk('id-exp: RBRP with b = 32, τ_b = 0.1, norm error ratio (worst seed)', wt && Math.sqrt(wt.err_ratio), '<=', 2.2);
  chk('id-exp: RBRP with b = 32, τ_b = 0.1, wasm-simd / SciPy, CPU time', both(wt, sp)[1], '<=', 1.5);
  chk('id-exp: RBRP with b = 32, τ_b = 0.1, native / SciPy, CPU time', both(nt, sp)[1], '<=', 1.0);
  checks.push(`- id-exp: SciPy's error ratio: ${sp ? `${fmt(Math.sqrt(sp.err_ratio))} as a norm ratio, ${fmt(sp.err_ratio)} squared` : 'not measured'}` +
              ' (the issue quotes "about 4.5×": the norm ratio)');
  const gr = pfind('id-gmm', 'native-rbrp'), gc = pfind('id-gmm', 'native-cpqr');
  const [gWall, gCpu] = both(gc, gr);
  chk('id-gmm: CPQR-ID / RBRP (native), wall time', gWall, '>=', 3);
  chk('id-gmm: CPQR-ID / RBRP (native), CPU time', gCpu, '>=', 3);
  chk('id-gmm: RBRP error / CPQR error (squared; worst seed)', gr && gc ? gr.err_ratio / gc.err_ratio : undefined, '<=', 1.2);
  console.log('\nPivoting targets:\n' + checks.join('\n'));
}
// Sketched-SVD table: error ratios of the rank-k truncation, ‖A − U_k Σ_k V_kᵀ‖ / optimal,
// Frobenius (the issue's norm: scikit-learn's default gives about 2.95×) and spectral;
// time ratios against scikit-learn's default randomized_svd, wall and CPU time.
const rs = records.filter((r) => r.error_ratio !== undefined || r.gemm_seconds !== undefined);
if (rs.length) {
  const fmt = (x, d = 2) => (x === undefined || x === null || Number.isNaN(x) ? '' : x.toFixed(d));
  const sk = rs.find((r) => r.impl === 'sklearn');
  const rl = ['| case | impl | seconds | CPU s | GFLOP/s | err (F) | err (2) | time ratio | CPU ratio | vs |',
              '|---|---|---:|---:|---:|---:|---:|---:|---:|---|'];
  for (const r of rs) {
    const has = sk && sk !== r;
    rl.push(`| ${r.name} | ${r.impl} | ${fmt(r.seconds, 4)} | ${fmt(r.cpu_seconds, 4)} | ${fmt(r.gflops)} | ` +
            `${fmt(r.error_ratio_fro, 4)} | ${fmt(r.error_ratio_spec, 4)} | ${has ? fmt(r.seconds / sk.seconds) : ''} | ` +
            `${has && r.cpu_seconds ? fmt(r.cpu_seconds / sk.cpu_seconds) : ''} | ${has ? 'sklearn' : ''} |`);
  }
  const ph = rs.find((r) => r.impl === 'native-phases');
  if (ph) rl.push(`\nnative-phases: products with A ${fmt(ph.gemm_seconds, 4)} s (${fmt(ph.gemm_gflops, 1)} GFLOP/s), everything else ${fmt(ph.other_seconds, 4)} s.`);
  console.log('\n' + rl.join('\n'));
  const checks = [];
  const chk = (label, value, bound) => {
    if (value === undefined || Number.isNaN(value)) { checks.push(`- ${label}: not measured`); return; }
    checks.push(`- ${label}: ${value.toFixed(3)} (target <= ${bound}) ${value <= bound ? 'met' : 'MISSED'}`);
  };
  const ws = rs.find((r) => r.impl === 'wasm-simd'), nat = rs.find((r) => r.impl === 'native');
  chk('rsvd-2000: wasm-simd / scikit-learn randomized_svd, wall time', ws && sk ? ws.seconds / sk.seconds : undefined, 2.5);
  chk('rsvd-2000: wasm-simd / scikit-learn, CPU time', ws && sk ? ws.cpu_seconds / sk.cpu_seconds : undefined, 2.5);
  chk('rsvd-2000: native / scikit-learn, wall time', nat && sk ? nat.seconds / sk.seconds : undefined, 1.0);
  chk('rsvd-2000: native / scikit-learn, CPU time', nat && sk ? nat.cpu_seconds / sk.cpu_seconds : undefined, 1.0);
  chk('rsvd-2000: wasm-simd error / optimal (Frobenius)', ws?.error_ratio_fro, 1.01);
  chk('rsvd-2000: native error / optimal (Frobenius)', nat?.error_ratio_fro, 1.01);
  checks.push(`- rsvd-2000: scikit-learn default error / optimal: ${sk ? `${fmt(sk.error_ratio_fro, 3)} Frobenius, ${fmt(sk.error_ratio_spec, 3)} spectral` : 'not measured'}` +
              ' (the issue quotes "about 2.95×": the Frobenius ratio)');
  console.log('\nSketched-SVD targets:\n' + checks.join('\n'));
}
// Softmax-regression targets (issue 12), each a ratio within this run, wall and CPU time.
const reg = records.filter((r) => r.iterations !== undefined);
if (reg.length) {
  const fmt = (x, d = 3) => (x === undefined || Number.isNaN(x) ? '' : x.toFixed(d));
  const rf = (name, impl) => reg.find((r) => r.name === name && r.impl === impl);
  const tl = ['| case | impl | seconds | CPU s | iterations |', '|---|---|---:|---:|---:|'];
  for (const r of reg) tl.push(`| ${r.name} | ${r.impl} | ${fmt(r.seconds, 4)} | ${fmt(r.cpu_seconds, 4)} | ${r.iterations} |`);
  console.log('\n' + tl.join('\n'));
  const checks = [];
  const chk = (label, a, b, op, bound) => {
    if (!a || !b) { checks.push(`- ${label}: not measured`); return; }
    for (const [what, x] of [['wall', a.seconds / b.seconds], ['CPU', a.cpu_seconds / b.cpu_seconds]]) {
      const ok = op === '<=' ? x <= bound : x >= bound;
      checks.push(`- ${label} (${what}): ${fmt(x, 2)} (target ${op} ${bound}) ${ok ? 'met' : 'MISSED'}`);
    }
  };
  for (const impl of ['native', 'wasm', 'wasm-simd']) {
    chk(`exact / sampled Newton iteration, ${impl}`, rf('softmax-newton-iter', impl), rf('softmax-sampled-iter', impl), '>=', 5);
  }
  chk('exact Newton iteration, native / NumPy', rf('softmax-newton-iter', 'native'), rf('softmax-newton-iter', 'numpy'), '<=', 1.5);
  chk('exact Newton iteration, wasm-simd / NumPy', rf('softmax-newton-iter', 'wasm-simd'), rf('softmax-newton-iter', 'numpy'), '<=', 4);
  chk('time to 1e-8, sampled (exact scores once) / exact Newton, native', rf('softmax-sampled-to-1e-8', 'native'), rf('softmax-newton-to-1e-8', 'native'), '<=', 1);
  chk('time to 1e-8, sampled (sketched scores once) / exact Newton, native', rf('softmax-sampled-to-1e-8-sketch', 'native'), rf('softmax-newton-to-1e-8', 'native'), '<=', 1);
  const it = (name) => rf(name, 'native')?.iterations ?? '?';
  checks.push(`- (the times to 1e-8 include everything from sk_regression_init on: copying A, the leverage scores of W·A ` +
              `for the sampled runs, and every iteration: exact Newton ${it('softmax-newton-to-1e-8')}, sampled ` +
              `${it('softmax-sampled-to-1e-8')} (exact scores) / ${it('softmax-sampled-to-1e-8-sketch')} (sketched) iterations)`);
  console.log('\nSoftmax-regression targets:\n' + checks.join('\n'));
}
writeFileSync('build/bench/results.jsonl', records.map((r) => JSON.stringify(r)).join('\n') + '\n');
console.log('JSON lines: build/bench/results.jsonl');
