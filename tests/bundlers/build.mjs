// build.mjs — build tests/bundlers/app/ the way a user of the npm package
// would, with esbuild and with Vite, into build/bundlers/ (never committed).
// The app imports 'sketchlab' by name: build/bundlers/work/node_modules/sketchlab
// holds a copy of the files the npm package ships (package.json "files"), so the
// package's "exports" map resolves it and bundlers treat it as an installed
// dependency (a symlink would make Vite treat it as source), as after `npm install`.
//
//   buildEsbuild({ copyWasm }) → the output folder. The esbuild recipe of the
//     README: the app and 'sketchlab/worker-host' (as worker.js) are two entry
//     points; esbuild does not follow new URL(…, import.meta.url), so the .wasm
//     files are copied to <outdir>/dist/ (copyWasm: false shows the ELOAD message).
//   buildVite() → the output folder of `vite build` (Vite emits the .wasm and
//     bundles the worker itself); startViteDev() → the dev server on the app.
import { cpSync, mkdirSync, rmSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BASE = join(ROOT, 'build/bundlers');
const WORK = join(BASE, 'work');

/** Copy the files package.json "files" lists (plain paths and `dir/*.ext` patterns) to dest. */
export function installPackage(dest) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  mkdirSync(dest, { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dest, 'package.json'));
  for (const pattern of pkg.files) {
    const m = /^(.*)\/\*(\.[\w.]+)$/.exec(pattern);
    const names = m ? readdirSync(join(ROOT, m[1])).filter((f) => f.endsWith(m[2])).map((f) => `${m[1]}/${f}`) : [pattern];
    for (const f of names) {
      mkdirSync(join(dest, f, '..'), { recursive: true });
      cpSync(join(ROOT, f), join(dest, f));
    }
  }
}

/** build/bundlers/work/: the app's sources and node_modules/sketchlab (the package's files). */
function workspace() {
  rmSync(WORK, { recursive: true, force: true });
  installPackage(join(WORK, 'node_modules/sketchlab'));
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

/** The Vite dev server on the app (a fresh workspace): { base, close }. */
export async function startViteDev() {
  const { createServer } = await import('vite');
  const work = workspace();
  const server = await createServer({
    configFile: false, root: join(work, 'app'), logLevel: 'warn', server: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  await server.listen();
  return { base: server.resolvedUrls.local[0], close: () => server.close() };
}

// `node tests/bundlers/build.mjs` builds both (for a look at the output).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await buildEsbuild(), await buildEsbuild({ copyWasm: false }), await buildVite());
}
