// loader.js — bytes / URL / string / Response / WebAssembly.Module → instance.
//
// The module is Emscripten's standalone build: its only import is
// env.emscripten_notify_memory_growth, and `_initialize` must be called once
// after instantiation (A1b in ecosystem_aesthetics.md). Node reads files with
// fs (never fetch('file://')); browsers stream with a fallback to
// arrayBuffer() when the server sends the wrong MIME type. The SIMD build is
// used only where WebAssembly.validate accepts a tiny SIMD module.

import { SketchlabError } from './errors.js';
import { isNode, nodePlatform } from './platform.js';
import { describe } from './validate.js';

export { isNode };

/** A 31-byte module whose one function uses i8x16.splat + i8x16.popcnt (as wasm-feature-detect). */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** true if this engine supports fixed-width (128-bit) wasm SIMD. */
export function simdSupported() {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/**
 * Default locations of the two builds, next to this file. Written as literal
 * `new URL('…', import.meta.url)` so that bundlers which follow that pattern
 * (Vite, webpack 5, Parcel) emit the .wasm files and rewrite the URLs.
 */
export function defaultVariants() {
  return {
    baseline: new URL('./dist/sketchlab.wasm', import.meta.url),
    simd: new URL('./dist/sketchlab-simd.wasm', import.meta.url),
  };
}

/**
 * What to do when the default .wasm is not where the URL says, typically
 * because a bundler (esbuild) did not copy it next to the bundle.
 */
function missingWasmHint() {
  return 'The .wasm is not at that URL (bundlers such as esbuild do not copy it). Fix it in one of three ways: ' +
    '(1) copy node_modules/sketchlab/wasm/dist/*.wasm so that this URL serves it ' +
    '(with esbuild: into <outdir>/dist/, next to the bundle); ' +
    '(2) pass its location or bytes yourself: init({ wasm: url | bytes | Response | WebAssembly.Module }); ' +
    "(3) import from 'sketchlab/inline', which embeds the wasm and fetches nothing";
}

function loadError(what, cause) {
  const e = new SketchlabError('ELOAD', what + (cause ? ` (${cause && cause.message ? cause.message : cause})` : ''));
  if (cause) e.cause = cause;
  return e;
}

/** Build the import object the module asks for. */
function importsFor(module) {
  const env = {}, wasi = {}, other = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind !== 'function') {
      throw loadError(`the wasm module imports ${imp.kind} ${imp.module}.${imp.name}; ` +
        'sketchlab expects a standalone build (emcc -sSTANDALONE_WASM) that exports its own memory');
    }
    if (imp.module === 'env' && imp.name === 'emscripten_notify_memory_growth') {
      env[imp.name] = () => {}; // views are rebuilt at each use; nothing to do
    } else if (imp.module === 'wasi_snapshot_preview1') {
      // The library never does I/O; answer ENOSYS (52) should libc ask.
      wasi[imp.name] = imp.name === 'proc_exit'
        ? (code) => { throw new SketchlabError('EINVAL', `the wasm module called exit(${code})`); }
        : () => 52;
    } else {
      const target = imp.module === 'env' ? env : (other[imp.module] ||= {});
      target[imp.name] = () => {
        throw new SketchlabError('ENOTIMPL', `the wasm module calls ${imp.module}.${imp.name}, which this build does not define; rebuild with \`make wasm\``);
      };
    }
  }
  return { ...other, env, wasi_snapshot_preview1: wasi };
}

async function instantiate(module) {
  const instance = await WebAssembly.instantiate(module, importsFor(module));
  const ex = instance.exports;
  if (!(ex.memory instanceof WebAssembly.Memory) || typeof ex.malloc !== 'function' || typeof ex.free !== 'function') {
    throw loadError('the wasm module does not export memory, malloc and free; is it a sketchlab build?');
  }
  if (typeof ex._initialize === 'function') ex._initialize();
  return { module, instance };
}

async function compileBytes(bytes) {
  try {
    return await WebAssembly.compile(bytes);
  } catch (err) {
    throw loadError('could not compile the wasm bytes; are they a sketchlab .wasm file?', err);
  }
}

async function compileResponse(response, label, hint) {
  if (!response.ok) {
    throw loadError(`could not fetch ${label}: HTTP ${response.status} ${response.statusText}`.trimEnd() + (hint ? `. ${hint}` : ''));
  }
  if (typeof WebAssembly.compileStreaming === 'function') {
    const backup = response.clone();
    try {
      return await WebAssembly.compileStreaming(response);
    } catch (err) {
      // Typically "Incorrect response MIME type. Expected 'application/wasm'." — fall back.
      if (!(err instanceof TypeError)) throw loadError(`could not compile ${label}`, err);
      return compileBytes(await backup.arrayBuffer());
    }
  }
  return compileBytes(await response.arrayBuffer());
}

/** isDefault: the URL is sketchlab's own default location (not one the caller gave). */
async function compileURL(url, isDefault = false) {
  if (isNode && url.protocol === 'file:') {
    let bytes;
    try {
      bytes = await (await nodePlatform()).readFileURL(url);
    } catch (err) {
      throw loadError(`could not read ${url.href}; run \`make wasm\` to build it, or pass init({ wasm: bytes })`, err);
    }
    return compileBytes(bytes);
  }
  let response;
  try {
    response = await fetch(url);
  } catch (err) {
    const hint = url.protocol === 'file:'
      ? "browsers cannot fetch from file:// — serve the page over http(s), import 'sketchlab/inline' (embeds the wasm), " +
        'or load the classic script wasm/dist/sketchlab.iife.js (global `sketchlab`, wasm embedded)'
      : isDefault ? missingWasmHint() : 'check the URL, or pass init({ wasm: bytes | WebAssembly.Module })';
    throw loadError(`could not fetch ${url.href}: ${hint}`, err);
  }
  return compileResponse(response, url.href, isDefault ? missingWasmHint() : 'check the URL you passed to init({ wasm })');
}

async function toURL(s) {
  if (isNode && !/^[a-z][a-z0-9+.-]+:/i.test(s)) {
    // A plain path in Node: resolve against the working directory.
    return (await nodePlatform()).pathToURL(s);
  }
  const base = typeof document !== 'undefined' && document.baseURI ? document.baseURI
    : (typeof location !== 'undefined' ? location.href : undefined);
  return new URL(s, base);
}

/** Compile any supported source to a WebAssembly.Module. */
export async function compile(src, isDefault = false) {
  if (src instanceof WebAssembly.Module) return src;
  if (src instanceof ArrayBuffer || ArrayBuffer.isView(src)) return compileBytes(src);
  if (typeof Response !== 'undefined' && src instanceof Response) return compileResponse(src, src.url || 'the Response');
  if (src instanceof URL) return compileURL(src, isDefault);
  if (typeof src === 'string') return compileURL(await toURL(src));
  if (typeof src === 'function') return compile(await src());
  throw new SketchlabError('EINVAL',
    `init: opts.wasm must be a Uint8Array, ArrayBuffer, URL, string, Response or WebAssembly.Module, got ${src === null ? 'null' : typeof src}`);
}

/**
 * Load and instantiate.
 * @param {object} opts     { wasm?, simd?: 'auto'|true|false }
 * @param {object} variants { baseline, simd } sources used when opts.wasm is absent
 * @returns {Promise<{instance, module, simd: boolean|null}>}
 */
export async function load(opts = {}, variants = defaultVariants()) {
  const simdOpt = opts.simd === undefined ? 'auto' : opts.simd;
  if (simdOpt !== 'auto' && simdOpt !== true && simdOpt !== false) {
    throw new SketchlabError('EINVAL', `init: opts.simd must be 'auto', true or false, got ${describe(simdOpt)}`);
  }
  if (opts.wasm !== undefined && opts.wasm !== null) {
    const module = await compile(opts.wasm);
    const r = await instantiate(module);
    return { ...r, simd: simdOpt === 'auto' ? null : simdOpt };
  }
  const supported = simdSupported();
  if (simdOpt === true && !supported) {
    throw new SketchlabError('ELOAD', "init: { simd: true } was requested but this engine does not support wasm SIMD; use simd: 'auto' or false");
  }
  const useSimd = simdOpt === true || (simdOpt === 'auto' && supported);
  const module = await compile(useSimd ? variants.simd : variants.baseline, true);
  const r = await instantiate(module);
  return { ...r, simd: useSimd };
}
