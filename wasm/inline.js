// inline.js — `import { init, ... } from 'sketchlab/inline'`: the same API as
// 'sketchlab', but the wasm bytes are embedded (base64, in dist/inline.js), so
// init() needs no fetch: it works from file://, in bundlers without wasm
// support and in workers. opts.wasm, when given, still takes precedence.
import { init as baseInit, _setDefaultVariants } from './index.js';
import { wasmBase64, wasmSimdBase64 } from './dist/inline.js';

export * from './index.js';

function decode(b64) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** @internal the embedded builds as init() sources (bytes decoded on use). */
export const inlineVariants = { baseline: () => decode(wasmBase64), simd: () => decode(wasmSimdBase64) };

/**
 * Load the embedded wasm once (SIMD build where supported unless opts.simd === false).
 * Same contract as init() from 'sketchlab'.
 */
export function init(opts = {}) {
  _setDefaultVariants(inlineVariants);
  return baseInit(opts);
}
