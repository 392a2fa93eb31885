// helpers.mjs — shared by tests/js/*.test.mjs (not a test file itself).
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WASM = new URL('../../wasm/dist/sketchlab.wasm', import.meta.url);
export const WASM_SIMD = new URL('../../wasm/dist/sketchlab-simd.wasm', import.meta.url);
export const INDEX = new URL('../../wasm/index.js', import.meta.url);
export const CLI = new URL('../../build/native/sk_cli', import.meta.url);

/** Names exported by the built baseline module (for skipping tests of C not yet written). */
export const EXPORTS = existsSync(WASM)
  ? new Set(WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(WASM))).map((e) => e.name))
  : new Set();

/** The C functions each public function needs (mirrors wasm/index.js). */
export const NEEDS = {
  matmul: ['sk_dgemm'], qr: ['sk_dgeqrf', 'sk_dorgqr'], cpqr: ['sk_dgeqp3', 'sk_dorgqr'],
  lu: ['sk_dgetrf'], cholesky: ['sk_dpotrf'], svd: ['sk_dgesvd'], eigh: ['sk_dsyevd'],
  randn: ['sk_rng_init', 'sk_rng_normal_matrix'], rand: ['sk_rng_init', 'sk_rng_uniform'],
};

/** false when every export is present, else a skip reason naming the missing C functions. */
export function missing(...fns) {
  const absent = fns.flatMap((f) => NEEDS[f] || [f]).filter((c) => !EXPORTS.has(c));
  return absent.length ? `C export missing from the wasm build: ${[...new Set(absent)].join(', ')}` : false;
}

/** A fresh, independent copy of the public API module (its own wasm instance). */
let fresh = 0;
export function freshApi(tag = 'x') {
  return import(`${INDEX.href}?instance=${tag}-${++fresh}`);
}

export { EPS, bound, res2Bound, within } from './tolerance.mjs';

/** op: plain JS column-major product (for checking), C = A B. */
export function jsMul(A, B) {
  const m = A.rows, k = A.cols, n = B.cols;
  const C = new Float64Array(m * n);
  for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) {
    const b = B.data[p + j * k];
    for (let i = 0; i < m; i++) C[i + j * m] += A.data[i + p * m] * b;
  }
  return { rows: m, cols: n, data: C };
}

export function transpose(A) {
  const T = new Float64Array(A.rows * A.cols);
  for (let j = 0; j < A.cols; j++) for (let i = 0; i < A.rows; i++) T[j + i * A.cols] = A.data[i + j * A.rows];
  return { rows: A.cols, cols: A.rows, data: T };
}

export function fro(x) {
  const d = x.data || x;
  let s = 0;
  for (const v of d) s += v * v;
  return Math.sqrt(s);
}

export function diff(a, b) {
  const x = a.data || a, y = b.data || b;
  if (x.length !== y.length) throw new Error(`length ${x.length} vs ${y.length}`);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - y[i]) ** 2;
  return Math.sqrt(s);
}

/** ‖a − b‖_F / max(‖b‖_F, tiny) */
export function relDiff(a, b) {
  return diff(a, b) / Math.max(fro(b), 1e-300);
}

/** ‖QᵀQ − I‖_F */
export function orthErr(Q) {
  const G = jsMul(transpose(Q), Q);
  for (let i = 0; i < G.rows; i++) G.data[i + i * G.rows] -= 1;
  return fro(G);
}

/** Flip the sign of each column of X to make its largest-magnitude entry positive (for U/V/eigvector comparisons). */
export function fixSigns(X) {
  const out = new Float64Array(X.data);
  for (let j = 0; j < X.cols; j++) {
    let best = 0;
    for (let i = 0; i < X.rows; i++) if (Math.abs(out[i + j * X.rows]) > Math.abs(best)) best = out[i + j * X.rows];
    if (best < 0) for (let i = 0; i < X.rows; i++) out[i + j * X.rows] = -out[i + j * X.rows];
  }
  return { rows: X.rows, cols: X.cols, data: out };
}

export function scaleCols(U, s) {
  const out = new Float64Array(U.data);
  for (let j = 0; j < U.cols; j++) for (let i = 0; i < U.rows; i++) out[i + j * U.rows] *= s[j];
  return { rows: U.rows, cols: U.cols, data: out };
}

export function permuteCols(A, perm) {
  const out = new Float64Array(A.rows * perm.length);
  for (let j = 0; j < perm.length; j++) for (let i = 0; i < A.rows; i++) out[i + j * A.rows] = A.data[i + perm[j] * A.rows];
  return { rows: A.rows, cols: perm.length, data: out };
}

export function permuteRows(A, perm) {
  const out = new Float64Array(A.rows * A.cols);
  for (let j = 0; j < A.cols; j++) for (let i = 0; i < perm.length; i++) out[i + j * A.rows] = A.data[perm[i] + j * A.rows];
  return { rows: A.rows, cols: A.cols, data: out };
}

export function identityLike(n) {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) d[i + i * n] = 1;
  return { rows: n, cols: n, data: d };
}

/** Deterministic JS-side test matrix (no dependency on the library's RNG). */
export function testMatrix(m, n, seed = 1) {
  let x = seed >>> 0 || 1;
  const d = new Float64Array(m * n);
  for (let k = 0; k < d.length; k++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    d[k] = x / 2 ** 32 - 0.5;
  }
  return { rows: m, cols: n, data: d };
}

export function spdMatrix(n, seed = 1) {
  const B = testMatrix(n + 2, n, seed);
  const S = jsMul(transpose(B), B);
  for (let i = 0; i < n; i++) S.data[i + i * n] += n;
  return S;
}

export function symMatrix(n, seed = 1) {
  const G = testMatrix(n, n, seed);
  const S = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) S[i + j * n] = G.data[i + j * n] + G.data[j + i * n];
  return { rows: n, cols: n, data: S };
}
