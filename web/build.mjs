// Bundles the browser client: web/src/main.tsx (and the CSS it imports) → app.<hash>.js and app.<hash>.css,
// minified, plus manifest.json naming them, in the directory given as the first argument (default web/dist).
// Code loaded on demand (`import()`) is split into chunks; the shared chunks app.js imports statically are
// first-load bytes too, so the manifest lists them ("preload") and the app page links them as modulepreload.
// Then the service worker, web/src/sw.ts → sw.js (a classic script, never content-hashed: browsers look for
// updates at the one URL, /sw.js), with the app shell's URLs and a version made from their contents written
// in, so that each build's worker keeps that build's files and drops the previous build's caches.
// build.rs runs it with $OUT_DIR/web on every `cargo build` that sees a change under web/; rust-embed embeds that
// directory into the binary and the app page reads the manifest to link the current names.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';

const root = dirname(fileURLToPath(import.meta.url));
const dist = process.argv[2] ? resolve(process.argv[2]) : join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { app: 'src/main.tsx' },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: dist,
  entryNames: '[name].[hash]',
  // Code loaded on demand (seldom-opened UI, ui/lazy.tsx; livekit-client, for the LiveKit voice backend) goes
  // into its own chunks.
  splitting: true,
  chunkNames: 'chunk.[hash]',
  assetNames: '[name].[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const manifest = {};
for (const [path, output] of Object.entries(result.metafile.outputs)) {
  if (output.entryPoint === 'src/main.tsx') {
    manifest['app.js'] = basename(path);
    if (output.cssBundle) manifest['app.css'] = basename(output.cssBundle);
  }
}
if (!manifest['app.js'] || !manifest['app.css']) {
  throw new Error(`esbuild did not produce app.js and app.css: ${JSON.stringify(manifest)}`);
}

// The chunks: those app.js imports statically (transitively) load with it, and are preloaded by the page. The
// livekit-client chunk (huge, only for the LiveKit backend) is left to load when a call needs it; every other
// chunk, lazy ones too, is in the shell so that the whole app works offline.
const outputs = Object.fromEntries(Object.entries(result.metafile.outputs).map(([path, output]) => [basename(path), output]));
const isLivekit = (name) => Object.keys(outputs[name].inputs).some((input) => input.includes('node_modules/livekit-client/'));
const preload = [];
const visit = (name) => {
  for (const { path, kind } of outputs[name].imports) {
    const chunk = basename(path);
    if (kind !== 'import-statement' || preload.includes(chunk)) continue;
    preload.push(chunk);
    visit(chunk);
  }
};
visit(manifest['app.js']);
if (preload.some(isLivekit)) throw new Error('app.js imports livekit-client statically: it must stay on demand');
manifest.preload = preload;
// Stylesheets come only from app.css: esbuild also writes one beside a chunk loaded on demand that imports CSS,
// but nothing loads it. src/main.tsx imports every stylesheet, so such a file only repeats app.css: dropped.
for (const [name, output] of Object.entries(outputs)) {
  if (!name.endsWith('.css') || name === manifest['app.css']) continue;
  const missing = Object.keys(output.inputs).filter((input) => !(input in outputs[manifest['app.css']].inputs));
  if (missing.length) throw new Error(`${missing.join(', ')}: only code loaded on demand imports it; import it in src/main.tsx`);
  rmSync(join(dist, name));
}
const lazyChunks = Object.keys(outputs).filter(
  (name) => name.startsWith('chunk.') && name.endsWith('.js') && !preload.includes(name) && !isLivekit(name),
);

// The service worker. The shell: the files the app page links (public/ files are served beside the bundle).
const shellFiles = [
  [manifest['app.js'], join(dist, manifest['app.js'])],
  [manifest['app.css'], join(dist, manifest['app.css'])],
  ...[...preload, ...lazyChunks].map((name) => [name, join(dist, name)]),
  ['spot.css', join(root, 'public', 'spot.css')],
  ['favicon.svg', join(root, 'public', 'favicon.svg')],
];
const version = createHash('sha256');
for (const [name, path] of shellFiles) version.update(name).update('\0').update(readFileSync(path));
await build({
  absWorkingDir: root,
  entryPoints: ['src/sw.ts'],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
  outfile: join(dist, 'sw.js'),
  define: {
    __SHELL__: JSON.stringify(shellFiles.map(([name]) => `/assets/${name}`)),
    __VERSION__: JSON.stringify(version.digest('hex').slice(0, 16)),
  },
  legalComments: 'none',
  logLevel: 'warning',
});
manifest['sw.js'] = 'sw.js';

writeFileSync(join(dist, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');

// Every content-hashed script and stylesheet also as .br and .gz beside it (maximum effort, once, here), so the
// server sends them compressed for free; src/web/assets.rs picks one by Accept-Encoding.
for (const name of readdirSync(dist)) {
  if (!/\.[0-9A-Z]{8,}\.(js|css)$/.test(name)) continue;
  const bytes = readFileSync(join(dist, name));
  writeFileSync(join(dist, `${name}.br`), brotliCompressSync(bytes, {
    params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }));
  writeFileSync(join(dist, `${name}.gz`), gzipSync(bytes, { level: 9 }));
}

const sizes = [manifest['app.js'], manifest['app.css'], manifest['sw.js']].map((name) => {
  const bytes = readFileSync(join(dist, name));
  const br = brotliCompressSync(bytes, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return `${name} ${(bytes.length / 1024).toFixed(1)} KiB (${(gzipSync(bytes).length / 1024).toFixed(1)} KiB gzip, ${(br / 1024).toFixed(1)} KiB brotli)`;
});
console.log(`${dist}: ${sizes.join(', ')}`);
// What the app page loads before it runs, as served (the .br copies): tests/it/pwa.rs holds it to 60 KB.
const firstLoad = [manifest['app.js'], manifest['app.css'], ...preload];
const firstLoadBr = firstLoad.reduce((sum, name) => sum + readFileSync(join(dist, `${name}.br`)).length, 0);
const lazyBr = lazyChunks.reduce((sum, name) => sum + readFileSync(join(dist, `${name}.br`)).length, 0);
console.log(
  `first load: ${firstLoadBr} bytes brotli (app.js, app.css and ${preload.length} preloaded chunks); ` +
    `${lazyChunks.length} chunks on demand, ${lazyBr} bytes brotli`,
);
