// platform.js — the one place the shared code reaches Node-only facilities
// (fs, path → URL, worker_threads), without naming a `node:` module itself.
//
// Browser bundlers (esbuild, Vite, webpack) must never see a `node:` import,
// or they fail ("Could not resolve node:url") or ship a stub. So the Node code
// lives in platform-node.js, and reaches the shared modules in one of two ways:
//   - the package's `node` export condition (index.node.js, worker-client.node.js)
//     imports platform-node.js statically and hands it over with useNodePlatform();
//   - a file imported directly in Node (tests, `node wasm/index.js`) loads it on
//     first use through an import() whose specifier is a variable: bundlers
//     leave such an import alone, and in a browser it is never reached.

export const isNode = typeof process === 'object' && process !== null &&
  typeof process.versions === 'object' && !!process.versions.node &&
  typeof window === 'undefined';

/** Relative to this file; a variable so that no bundler tries to follow it. */
const NODE_PLATFORM = './platform-node.js';

let node = null;

/** @internal the `node` entry points register platform-node.js here. */
export function useNodePlatform(m) {
  node = m;
}

/** platform-node.js's exports (Node only). */
export async function nodePlatform() {
  if (!node) node = await import(/* webpackIgnore: true */ /* @vite-ignore */ NODE_PLATFORM);
  return node;
}

/** platform-node.js's exports if already loaded (by nodePlatform() or useNodePlatform()), else null. */
export function loadedNodePlatform() {
  return node;
}
