// build-site.mjs OUT — the demo site as a folder that works when opened from
// file:// (a teacher copies it to a laptop with no server): `make site` → build/site/.
//
// Why not just copy web/: Chromium refuses module scripts and module workers
// from file:// (the origin is opaque, so the CORS check fails), and fetch()
// of the .wasm fails too. So here
//   - each page's module code (pivoting.js, …, and index.html's inline module)
//     is bundled by esbuild into one classic script (IIFE), loaded with `defer`
//     in place of the module script (same order: after Chart.js);
//   - the worker host with the wasm embedded (wasm/worker-inline.js) is bundled
//     into an IIFE whose source text is put in sketchlab-worker.js, a classic
//     script defining globalThis.__sketchlabWorkerSource; every page starts its
//     workers from it as classic blob: workers (allowed from file://), through
//     globalThis.__sketchlabCreateClient, which web/lib/compute.js uses when present.
// Everything else (HTML, CSS, Chart.js) is copied as is.
//
//   node scripts/build-site.mjs build/site
import { build } from 'esbuild';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const WEB = join(ROOT, 'web');
const out = process.argv[2];
if (!out) {
  console.error('usage: node scripts/build-site.mjs OUTDIR');
  process.exit(2);
}

/** Bundle one entry (a file or { contents, resolveDir }) into a classic-script string. */
async function bundle(entry, name) {
  const common = {
    bundle: true, format: 'iife', platform: 'browser', target: 'es2020', write: false, charset: 'utf8',
    logLevel: 'warning', logOverride: { 'empty-import-meta': 'silent' }, legalComments: 'inline',
    // package.json's "sideEffects" describes the published package; the pages here are all side effects.
    ignoreAnnotations: true,
  };
  const r = typeof entry === 'string'
    ? await build({ ...common, entryPoints: [entry] })
    : await build({ ...common, stdin: { ...entry, sourcefile: `site-entry:${name}`, loader: 'js' } });
  return r.outputFiles[0].text;
}

// Bundled first into every page: defines globalThis.__sketchlabCreateClient.
const BOOT = `import ${JSON.stringify(join(ROOT, 'scripts/site-boot.js'))};\n`;

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'vendor'), { recursive: true });

// Static files: everything but the page modules and web/lib (bundled below) and the vendored package.
for (const f of readdirSync(WEB, { withFileTypes: true })) {
  if (f.isFile() && !f.name.endsWith('.js')) cpSync(join(WEB, f.name), join(out, f.name));
}
cpSync(join(WEB, 'vendor/chart.umd.js'), join(out, 'vendor/chart.umd.js'));

const workerSource = await bundle(join(ROOT, 'wasm/worker-inline.js'), 'worker-inline.js');
writeFileSync(join(out, 'sketchlab-worker.js'),
  '// The sketchlab worker (wasm embedded), as text: pages start it as a classic blob: worker, which file:// allows.\n' +
  `globalThis.__sketchlabWorkerSource = ${JSON.stringify(workerSource)};\n`);

const WORKER_TAG = '<script src="sketchlab-worker.js" defer></script>';
const pages = readdirSync(WEB).filter((f) => f.endsWith('.html'));
for (const page of pages) {
  let html = readFileSync(join(WEB, page), 'utf8');
  let n = 0;
  const scripts = [];
  // <script type="module" src="x.js"></script>
  for (const m of html.matchAll(/<script type="module" src="([^"]+)"><\/script>/g)) {
    scripts.push({ tag: m[0], contents: `import ${JSON.stringify('./' + m[1])};`, name: m[1] });
  }
  // <script type="module"> … </script> (inline)
  for (const m of html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)) {
    scripts.push({ tag: m[0], contents: m[1], name: `${page.replace(/\.html$/, '')}.page${n++ || ''}.js` });
  }
  for (const s of scripts) {
    const code = await bundle({ contents: BOOT + s.contents, resolveDir: WEB }, s.name);
    writeFileSync(join(out, s.name), code);
    html = html.replace(s.tag, `${WORKER_TAG}\n  <script src="${s.name}" defer></script>`);
  }
  if (/type="module"/.test(html)) throw new Error(`${page}: a module script is left; teach build-site.mjs its form`);
  writeFileSync(join(out, page), html);
  console.log(`site: ${page} (${scripts.map((s) => s.name).join(', ') || 'no scripts'})`);
}
console.log(`wrote ${out}/ — open ${join(out, 'index.html')} from the file system, no server needed`);
