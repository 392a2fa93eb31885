// build.mjs — build tests/bundlers/app/ the way a user of the npm package
// would, with esbuild and with Vite, into build/bundlers/ (never committed).
// The app imports 'sketchlab' by name: build/bundlers/work/node_modules/sketchlab
// is a symlink to this repository, so the package's "exports" map is what
// resolves it, as after `npm install sketchlab`.
//
//   buildEsbuild({ copyWasm }) → the output folder. The esbuild recipe of the
//     README: the app and 'sketchlab/worker-host' (as worker.js) are two entry
//     points; esbuild does not follow new URL(…, import.meta.url), so the .wasm
//     files are copied to <outdir>/dist/ (copyWasm: false shows the ELOAD message).
//   buildVite() → the output folder of `vite build` (Vite emits the .wasm and
//     bundles the worker itself).
import { cpSync, mkdirSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BASE = join(ROOT, 'build/bundlers');
const WORK = join(BASE, 'work');

/** build/bundlers/work/: the app's sources and node_modules/sketchlab → the repository. */
function workspace() {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(join(WORK, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(WORK, 'node_modules/sketchlab'), 'dir');
  cpSync(join(ROOT, 'tests/bundlers/app'), join(WORK, 'app'), { recursive: true });
  return WORK;
}

export async function buildEsbuild({ copyWasm = true } = {}) {
  const { build } = await import('esbuild');
  const work = workspace();
  const out = join(BASE, copyWasm ? 'esbuild' : 'esbuild-nowasm');
  rmSync(out, { recursive: true, force: true });
  await build({
    absWorkingDir: work,
    entryPoints: { main: 'app/main.js', worker: 'sketchlab/worker-host' },
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outdir: out, logLevel: 'warning',
  });
  cpSync(join(work, 'app/index.html'), join(out, 'index.html'));
  if (copyWasm) {
    mkdirSync(join(out, 'dist'), { recursive: true });
    for (const f of ['sketchlab.wasm', 'sketchlab-simd.wasm']) cpSync(join(ROOT, 'wasm/dist', f), join(out, 'dist', f));
  }
  return out;
}

export async function buildVite() {
  const { build } = await import('vite');
  const work = workspace();
  const out = join(BASE, 'vite');
  rmSync(out, { recursive: true, force: true });
  await build({
    configFile: false, root: join(work, 'app'), base: './', logLevel: 'warn',
    build: { outDir: out, emptyOutDir: true, minify: false },
  });
  if (!existsSync(join(out, 'index.html'))) throw new Error('vite build wrote no index.html');
  return out;
}

// `node tests/bundlers/build.mjs` builds both (for a look at the output).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await buildEsbuild(), await buildEsbuild({ copyWasm: false }), await buildVite());
}
