// matrix.js — the JS matrix type and input validation.
//
// A matrix is a plain object { rows, cols, data: Float64Array } in column-major
// order: entry (i, j) (0-based) is data[i + j * rows]. Functions also accept
// number[][] (an array of rows), converted once by fromRows().

import { SketchlabError } from './errors.js';
import { describe } from './validate.js';

export const MAX_DIM = 0x7fffffff; // C side takes int dimensions

/** An array or a typed array: a list of entries (a DataView is a view but has none: it would read as empty). */
export function isList(v) {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/**
 * The entries of a vector argument as a Float64Array (v itself if it is one),
 * or null if v is not a list (the caller says what it expected). An entry that
 * is not a number is an EINVAL naming it: Float64Array.from would read a
 * string or null as NaN or a number, and throw a TypeError on a Symbol or BigInt.
 */
export function numberList(v, name, fn) {
  if (v instanceof Float64Array) return v;
  if (!isList(v)) return null;
  const bad = Array.prototype.findIndex.call(v, (t) => typeof t !== 'number');
  if (bad >= 0) throw new SketchlabError('EINVAL', `${fn}: ${name}[${bad}] is ${describe(v[bad])}, not a number; ${name} must hold numbers`, { fn });
  return Float64Array.from(v);
}

/** Check one dimension: a non-negative integer that fits a C int. */
export function checkDim(value, what, fn) {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new SketchlabError('EINVAL', `${fn}: ${what} must be a non-negative integer, got ${describe(value)}`);
  }
  if (value > MAX_DIM) {
    throw new SketchlabError('ENOMEM', `${fn}: ${what} = ${value} exceeds the largest supported dimension (${MAX_DIM}); use a smaller matrix`);
  }
  return value + 0; // -0 → 0, so results never report a -0 dimension
}

/** A new matrix; data defaults to zeros. */
export function makeMatrix(rows, cols, data) {
  return { rows, cols, data: data || new Float64Array(rows * cols) };
}

/**
 * Convert number[][] (rows) to a column-major matrix.
 * @param {number[][]} rowsArr  an array of equally long rows of numbers
 */
export function fromRows(rowsArr, name = 'A', fn = 'fromRows') {
  if (!Array.isArray(rowsArr)) {
    throw new SketchlabError('EINVAL', `${fn}: ${name} must be an array of rows (number[][]), got ${describe(rowsArr)}`);
  }
  const m = rowsArr.length;
  const n = m ? (isList(rowsArr[0]) ? rowsArr[0].length : -1) : 0;
  const data = new Float64Array(m * Math.max(n, 0));
  for (let i = 0; i < m; i++) {
    const row = rowsArr[i];
    if (!isList(row)) {
      throw new SketchlabError('EINVAL', `${fn}: ${name}[${i}] must be an array of numbers (one row), got ${describe(row)}`);
    }
    if (row.length !== n) {
      throw new SketchlabError('ESHAPE', `${fn}: ${name} is ragged: row 0 has ${n} entries but row ${i} has ${row.length}; every row must have the same length`);
    }
    for (let j = 0; j < n; j++) {
      const v = row[j];
      if (typeof v !== 'number') {
        throw new SketchlabError('EINVAL', `${fn}: ${name}[${i}][${j}] must be a number, got ${describe(v)}`);
      }
      data[i + j * m] = v;
    }
  }
  return { rows: m, cols: n, data };
}

/** Convert a matrix to number[][] (an array of rows). */
export function toRows(M) {
  const A = asMatrix(M, 'M', 'toRows', { allowEmpty: true, finite: false });
  const out = [];
  for (let i = 0; i < A.rows; i++) {
    const row = new Array(A.cols);
    for (let j = 0; j < A.cols; j++) row[j] = A.data[i + j * A.rows];
    out.push(row);
  }
  return out;
}

/**
 * Validate and normalize a matrix argument.
 * @param {*} M          {rows, cols, data} (data: Float64Array or number[]) or number[][]
 * @param {string} name  the argument's name in messages ('A', 'B')
 * @param {string} fn    the public function name in messages
 * @param {object} o     { allowEmpty = false, finite = true, square = false }
 * @returns {{rows:number, cols:number, data:Float64Array}} (data may be the caller's array; never written)
 */
export function asMatrix(M, name, fn, { allowEmpty = false, finite = true, square = false } = {}) {
  let A;
  if (Array.isArray(M)) {
    A = fromRows(M, name, fn);
  } else if (M && typeof M === 'object' && 'data' in M) {
    const rows = checkDim(M.rows, `${name}.rows`, fn);
    const cols = checkDim(M.cols, `${name}.cols`, fn);
    let data = M.data;
    if (Array.isArray(data)) {
      for (let k = 0; k < data.length; k++) {
        if (typeof data[k] !== 'number') {
          throw new SketchlabError('EINVAL', `${fn}: ${name}.data[${k}] must be a number, got ${describe(data[k])}`);
        }
      }
      data = Float64Array.from(data);
    } else if (!(data instanceof Float64Array)) {
      throw new SketchlabError('EINVAL',
        `${fn}: ${name}.data must be a Float64Array (column-major) or number[], got ${describe(data)}; ` +
        'convert with Float64Array.from(...) or pass number[][] rows');
    }
    if (data.length !== rows * cols) {
      throw new SketchlabError('ESHAPE',
        `${fn}: ${name}.data has ${data.length} entries but ${name} is ${rows}×${cols} (needs rows·cols = ${rows * cols}); ` +
        'fix rows/cols or the data length');
    }
    A = { rows, cols, data };
  } else {
    throw new SketchlabError('EINVAL',
      `${fn}: ${name} must be a matrix {rows, cols, data: Float64Array} (column-major) or number[][], got ${describe(M)}`);
  }
  if (!allowEmpty && (A.rows === 0 || A.cols === 0)) {
    throw new SketchlabError('ESHAPE', `${fn}: ${name} is empty (${A.rows}×${A.cols}); pass a matrix with at least one row and one column`);
  }
  if (square && A.rows !== A.cols) {
    throw new SketchlabError('ESHAPE', `${fn}: ${name} must be square, but it is ${A.rows}×${A.cols}`);
  }
  if (finite) checkFinite(A, name, fn);
  return A;
}

/** Throw ENONFINITE naming the first NaN/Infinity entry (row, column, 0-based). */
export function checkFinite(A, name, fn) {
  const d = A.data;
  for (let k = 0; k < d.length; k++) {
    const v = d[k];
    if (v - v !== 0) { // NaN or ±Infinity
      const i = k % A.rows, j = (k - i) / A.rows;
      throw new SketchlabError('ENONFINITE',
        `${fn}: ${name}[${i}][${j}] (row ${i}, column ${j}, 0-based) is ${v}; inputs must be finite — remove or replace NaN/Infinity values`);
    }
  }
}

/**
 * Check symmetry: |a_ij − a_ji| <= tol · max_ij |a_ij| for all i, j.
 * Throws ENOTSYM naming the worst pair.
 */
export function checkSymmetric(A, name, fn, tol) {
  const n = A.rows, d = A.data;
  let amax = 0;
  for (let k = 0; k < d.length; k++) amax = Math.max(amax, Math.abs(d[k]));
  const bound = tol * amax;
  let worst = 0, wi = 0, wj = 0;
  for (let j = 0; j < n; j++) {
    for (let i = j + 1; i < n; i++) {
      const diff = Math.abs(d[i + j * n] - d[j + i * n]);
      if (diff > worst) { worst = diff; wi = i; wj = j; }
    }
  }
  if (worst > bound) {
    throw new SketchlabError('ENOTSYM',
      `${fn}: ${name} must be symmetric, but ${name}[${wi}][${wj}] = ${d[wi + wj * n]} and ${name}[${wj}][${wi}] = ${d[wj + wi * n]} ` +
      `differ by ${worst.toExponential(3)} > symTol·max|${name}| = ${bound.toExponential(3)} (symTol = ${tol}); ` +
      `symmetrize with (${name} + ${name}ᵀ)/2 or pass a larger { symTol }`);
  }
}
