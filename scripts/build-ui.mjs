#!/usr/bin/env node
// Builds the dashboard (ui/src) with esbuild into ui/dist: index.html, app-HASH.js and app-HASH.css,
// each with a .br and a .gz beside it, which the manager sends as the client accepts (src/api/routes/ui.ts).
// `npm install` runs it; `node scripts/build-ui.mjs OUTDIR` builds elsewhere (the tests do).
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function page(js, css) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cella</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/ui/${css}">
<script type="module" src="/ui/${js}"></script>
</head>
<body>
<div id="app"><p class="loading">Loading the Cella dashboard…</p></div>
<noscript>The Cella dashboard needs JavaScript; the API is at /api/v1 and its documents at /docs.</noscript>
</body>
</html>
`;
}

/** Builds into `outDir` (replaced whole) and returns the sizes of the first load. */
export async function buildUi(outDir = join(root, 'ui/dist')) {
  const staging = `${outDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const result = await build({
    entryPoints: [join(root, 'ui/src/main.tsx')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome111', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: staging,
    entryNames: 'app-[hash]',
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((f) => basename(f));
  const js = outputs.find((f) => f.endsWith('.js'));
  const css = outputs.find((f) => f.endsWith('.css'));
  if (!js || !css) throw new Error(`esbuild wrote ${outputs.join(', ')}: no app js and css`);
  writeFileSync(join(staging, 'index.html'), page(js, css));
  const sizes = {};
  for (const name of ['index.html', js, css]) {
    const body = readFileSync(join(staging, name));
    const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
    const gz = gzipSync(body, { level: 9 });
    writeFileSync(join(staging, `${name}.br`), br);
    writeFileSync(join(staging, `${name}.gz`), gz);
    sizes[name] = { raw: body.length, br: br.length, gzip: gz.length };
  }
  rmSync(outDir, { recursive: true, force: true });
  renameSync(staging, outDir);
  return sizes;
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  const sizes = await buildUi(process.argv[2] ? resolve(process.argv[2]) : undefined);
  const total = (k) => Object.values(sizes).reduce((t, s) => t + s[k], 0);
  console.log(`ui: built ${Object.keys(sizes).join(', ')}: ${total('raw')} B, ${total('br')} B brotli, ${total('gzip')} B gzip`);
}
