// site-boot.js — bundled first into every page of the file:// site
// (scripts/build-site.mjs): gives web/lib/compute.js its worker clients as
// classic blob: workers made from globalThis.__sketchlabWorkerSource (the
// worker host with the wasm embedded, defined by sketchlab-worker.js), since
// Chromium blocks module workers and fetches from file://.
import { createClient } from '../wasm/worker-client.js';

let url = null;

globalThis.__sketchlabCreateClient = () => {
  if (!url) {
    const src = globalThis.__sketchlabWorkerSource;
    if (typeof src !== 'string') throw new Error('sketchlab-worker.js did not load: keep it in the same folder as the page');
    url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
  }
  return createClient({ workerURL: url, workerType: 'classic' });
};
