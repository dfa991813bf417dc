// Bundles the browser client: web/src/main.tsx (and the CSS it imports) → app.<hash>.js and app.<hash>.css,
// minified, plus manifest.json naming them, in the directory given as the first argument (default web/dist).
// build.rs runs it with $OUT_DIR/web on every `cargo build` that sees a change under web/; rust-embed embeds that
// directory into the binary and the app page reads the manifest to link the current names.
import { build } from 'esbuild';
import { mkdirSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

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
  // Code loaded on demand (livekit-client, for the LiveKit voice backend) goes into its own chunks.
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
writeFileSync(join(dist, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');

const sizes = Object.values(manifest).map((name) => {
  const bytes = readFileSync(join(dist, name));
  return `${name} ${(bytes.length / 1024).toFixed(1)} KiB (${(gzipSync(bytes).length / 1024).toFixed(1)} KiB gzipped)`;
});
console.log(`${dist}: ${sizes.join(', ')}`);
