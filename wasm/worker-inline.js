// worker-inline.js — the worker host (worker.js) with the wasm embedded
// ('sketchlab/worker-host-inline'): nothing is fetched, so a worker built from
// it runs anywhere, e.g. as a classic blob: worker from a file:// page:
//
//   esbuild node_modules/sketchlab/wasm/worker-inline.js --bundle --format=iife --outfile=worker.iife.js
//   createClient({ workerURL: URL.createObjectURL(new Blob([source])), workerType: 'classic' })
import { _setDefaultVariants } from './index.js';
import { inlineVariants } from './inline.js';
import './worker.js';

// Runs before any message is handled: worker.js only listens, and init comes in a message.
_setDefaultVariants(inlineVariants);
