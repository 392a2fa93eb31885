// index.node.js — 'sketchlab' under the `node` export condition: the same API
// as index.js, with the Node facilities (fs for the .wasm) linked statically,
// so a Node bundle (esbuild --platform=node) carries them too.
import * as nodePlatform from './platform-node.js';
import { useNodePlatform } from './platform.js';

useNodePlatform(nodePlatform);

export * from './index.js';
