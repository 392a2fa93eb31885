// svd-bounds-spectrum.js — the svd-bounds page's singular values as a function of its state,
// in a module of its own (no DOM) so scripts in Node (tests/ref/angles_page_scan.mjs) use the
// page's own rule rather than a copy.

/**
 * The singular values for the state: σᵢ = i^(−power) or e^(−rate·(i−1)); divided by `gap`
 * after i = k; then at least `tail` (a flat tail).
 */
export function spectrumOf(v, r, k) {
  const s = new Float64Array(r);
  for (let i = 1; i <= r; i++) {
    let x = v.shape === 'poly' ? Math.pow(i, -v.power) : Math.exp(-v.rate * (i - 1));
    if (i > k) x /= v.gap;
    s[i - 1] = Math.max(x, v.tail);
  }
  return s;
}
