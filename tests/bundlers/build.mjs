// build.mjs — build tests/bundlers/app/ the way a user of the npm package
// would, with esbuild, Vite, webpack 5 and Parcel 2, into build/bundlers/ (never
// committed). The app imports 'sketchlab' by name: build/bundlers/work/ is an
// app with its own package.json, and node_modules/sketchlab holds a copy of the
// files the npm package ships (package.json "files"), so the package's
// "exports" map resolves it and bundlers treat it as an installed dependency
// (a symlink would make Vite treat it as source), as after `npm install`.
//
//   buildEsbuild({ copyWasm }) → the output folder. The esbuild recipe of the
//     README: the app and 'sketchlab/worker-host' (as worker.js) are two entry
//     points; esbuild does not follow new URL(…, import.meta.url), so the .wasm
//     files are copied to <outdir>/dist/ (copyWasm: false shows the ELOAD message).
//   buildVite() → the output folder of `vite build` (Vite emits the .wasm and
//     bundles the worker itself); startViteDev() → the dev server on the app.
//   buildWebpack() → webpack's production output (no loaders or plugins).
//   buildParcel({ packageExports }) → `parcel build`'s output; packageExports:
//     false leaves out the app's opt-in, and the build then fails (thrown).
import { cpSync, mkdirSync, rmSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
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

/**
 * build/bundlers/work/: the app's own package.json, its sources and
 * node_modules/sketchlab (the package's files). The app's package.json is what
 * makes 'sketchlab' resolve to node_modules/: without one, the nearest
 * package.json above the app is this repository's, named sketchlab, and
 * bundlers that follow Node's self-reference rule would use the source tree.
 * appPackage: extra fields for it (Parcel reads its settings from there).
 */
function workspace(appPackage = {}) {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  writeFileSync(join(WORK, 'package.json'), JSON.stringify({ name: 'sketchlab-bundler-test-app', private: true, type: 'module', ...appPackage }, null, 2));
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

/**
 * `webpack` in production mode with no loaders or plugins: webpack 5 emits the
 * .wasm files (asset modules from new URL(…, import.meta.url)) and bundles
 * worker.js as a worker chunk (new Worker(new URL(…), …)) by itself.
 */
export async function buildWebpack() {
  const { default: webpack } = await import('webpack');
  const work = workspace();
  const out = join(BASE, 'webpack');
  rmSync(out, { recursive: true, force: true });
  const compiler = webpack({
    mode: 'production', context: work, entry: { main: './app/main.js' },
    output: { path: out }, devtool: false, performance: { hints: false }, infrastructureLogging: { level: 'warn' },
  });
  const stats = await new Promise((ok, fail) => compiler.run((err, s) => (err ? fail(err) : ok(s))));
  await new Promise((ok) => compiler.close(ok));
  if (stats.hasErrors() || stats.hasWarnings()) throw new Error(`webpack: ${stats.toString({ all: false, errors: true, warnings: true })}`);
  cpSync(join(work, 'app/index.html'), join(out, 'index.html'));
  return out;
}

/**
 * `parcel build app/index.html` (the CLI, as a user runs it) in production
 * mode. Parcel follows new URL(…, import.meta.url) and new Worker(new URL(…))
 * itself, but reads package.json "exports" only when the app's package.json
 * opts in with "@parcel/resolver-default": { "packageExports": true }
 * (packageExports: false shows what happens without it). The app's lockfile
 * makes build/bundlers/work/ Parcel's project root (else it would be this
 * repository, the nearest folder with a lockfile).
 */
export async function buildParcel({ packageExports = true } = {}) {
  const work = workspace(packageExports ? { '@parcel/resolver-default': { packageExports: true } } : {});
  writeFileSync(join(work, 'package-lock.json'), JSON.stringify({ name: 'sketchlab-bundler-test-app', lockfileVersion: 3, requires: true, packages: {} }));
  const out = join(BASE, packageExports ? 'parcel' : 'parcel-noexports');
  rmSync(out, { recursive: true, force: true });
  const bin = join(ROOT, 'node_modules/parcel/lib/bin.js');
  const args = [bin, 'build', 'app/index.html', '--dist-dir', out, '--public-url', './', '--no-cache', '--cache-dir', join(BASE, 'parcel-cache'),
    '--no-autoinstall', '--no-source-maps', '--log-level', 'warn'];
  const { code, output } = await new Promise((ok, fail) => {
    const p = spawn(process.execPath, args, { cwd: work, env: { ...process.env, PARCEL_WORKERS: '1', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    p.stdout.on('data', (d) => { output += d; });
    p.stderr.on('data', (d) => { output += d; });
    p.on('error', fail);
    p.on('close', (c) => ok({ code: c, output }));
  });
  if (code !== 0) throw new Error(`parcel build failed (exit ${code}):\n${output}`);
  if (output.trim()) throw new Error(`parcel build warned:\n${output}`);
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

// `node tests/bundlers/build.mjs` builds them all (for a look at the output).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await buildEsbuild(), await buildEsbuild({ copyWasm: false }), await buildVite(), await buildWebpack(), await buildParcel());
}
