// handle.js — the life cycle every stateful wasm object shares (stream sketches
// and samplers, KV caches, SubGen, the softmax solver): dispose() frees the C
// state, [Symbol.dispose] for `using`, a FinalizationRegistry frees it when a
// handle is dropped undisposed, and a clear EDISPOSED error after dispose() or
// after reset() replaced the wasm instance (the handle's pointers mean nothing
// in the new instance: using or freeing them there would corrupt it).
import { SketchlabError } from './errors.js';

/**
 * The handle base class for one module, bound to its runtime getter `rt`
 * (() => the current { exports, memory, ... }, null before init()).
 * A subclass calls super(release), where release(exports) frees its C state in
 * that instance; release must not refer to the handle itself (the registry
 * holds it, and would keep the handle alive). Methods call
 * this._assertLive(what, noun, remedy) before touching the C state.
 * @param {() => any} rt
 */
export function handleClass(rt) {
  const registry = typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry(({ r, release }) => {
      try { if (r === rt()) release(r.exports); } catch { /* instance gone */ }
    })
    : null;

  class WasmHandle {
    #rt = rt(); // the instance the state lives in
    #release; // null once disposed or orphaned
    #orphaned = false;

    /** @param {(exports: any) => void} release */
    constructor(release) {
      this.#release = release;
      if (registry) registry.register(this, { r: this.#rt, release }, this);
    }

    /**
     * Throw EDISPOSED unless the state is live in the current instance.
     * what: 'countSketch.estimate'; noun: 'countSketch'; remedy: what to do
     * instead, e.g. 'create a new one with countSketch({...})'.
     */
    _assertLive(what, noun, remedy) {
      if (this.#release && this.#rt !== rt()) this.#orphan();
      if (this.#release) return;
      throw new SketchlabError('EDISPOSED', this.#orphaned
        ? `${what}: this ${noun} was made before reset() replaced the wasm instance, and its state went with the old one; ${remedy} after reset()`
        : `${what}: this ${noun} was disposed; ${remedy}`, { fn: what });
    }

    #orphan() {
      if (registry) registry.unregister(this);
      this.#release = null;
      this.#orphaned = true;
    }

    /** true after dispose(), or once reset() has replaced the instance. */
    get disposed() { return !this.#release || this.#rt !== rt(); }

    /** Free the C state now. Idempotent; after reset() only marks the handle disposed. */
    dispose() {
      if (!this.#release) return;
      if (this.#rt !== rt()) { this.#orphan(); return; }
      if (registry) registry.unregister(this);
      const release = this.#release;
      this.#release = null;
      release(this.#rt.exports);
    }

    // `using h = countSketch(...)`; Symbol.for('Symbol.dispose') is what
    // TypeScript's downlevelled `using` looks for where the runtime lacks it.
    [Symbol.dispose ?? Symbol.for('Symbol.dispose')]() { this.dispose(); }
  }
  return WasmHandle;
}
