// platform-node.js — Node-only facilities for the shared code (see platform.js).
// Never imported by the browser entry points: only by the `node` condition
// entries (index.node.js, worker-client.node.js) or lazily, in Node, by platform.js.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { Worker, parentPort } from 'node:worker_threads';

/** The bytes of a file: URL. */
export function readFileURL(url) {
  return readFile(url);
}

/** A plain path, resolved against the working directory, as a file: URL. */
export function pathToURL(path) {
  return pathToFileURL(path);
}

/** This file's URL, through a variable: a literal new URL('./worker.js', import.meta.url) would make a bundler copy worker.js as a plain asset. */
const HERE = import.meta.url;

/** The default worker host, worker.js next to this file (worker-client.js may not read import.meta.url; see there). */
export function defaultWorkerURL() {
  return new URL('./worker.js', HERE);
}

/** A worker_threads Worker running `url`, behind the adapter worker-client.js uses. */
export function spawnWorker(url) {
  const w = new Worker(url);
  return {
    post: (m, transfer) => w.postMessage(m, transfer || []),
    on: (onMessage, onError) => {
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', (code) => onError(new Error(`worker exited with code ${code}`)));
    },
    terminate: () => { w.terminate(); },
    ref: () => w.ref(),
    unref: () => w.unref(),
  };
}

/** The port of the worker_threads Worker this code runs in, or null on the main thread. */
export function parentPortAdapter() {
  if (!parentPort) return null;
  return { post: (m, t) => parentPort.postMessage(m, t), listen: (h) => parentPort.on('message', h) };
}
