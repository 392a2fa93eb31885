// worker-client.node.js — 'sketchlab/worker' under the `node` export condition:
// the same client as worker-client.js, spawning a worker_threads Worker.
import * as nodePlatform from './platform-node.js';
import { useNodePlatform } from './platform.js';

useNodePlatform(nodePlatform);

export * from './worker-client.js';
