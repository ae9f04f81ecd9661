#!/usr/bin/env node
// Builds the command-line programs into plain JavaScript with esbuild, so that bin/ runs no
// compiler: src/cli/qvm.ts (qvm and its qvm-* names) and src/run-elf/main.ts (cella run-elf), and
// the CPU workers' module (src/hypervisor/cpu-worker.ts; the pool loads its sources through tsx
// when the build is missing or stale).
// Each is one file under dist/ at the place of its source under src/ (dist/cli/qvm.mjs for
// src/cli/qvm.ts), so paths a module finds from import.meta.url (the guest images) stay right;
// packages stay in node_modules. Next to each, NAME.inputs.json lists the sources it was built
// from: bin/built.mjs rebuilds when one of them is newer. `npm install` runs this (postinstall),
// and so does the test suite before it starts (test/global-setup.ts).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Output name under dist/ (without .mjs) → its entry source. */
export const ENTRIES = {
  'cli/qvm': 'src/cli/qvm.ts',
  'run-elf/main': 'src/run-elf/main.ts',
  // the CPU workers' module: starts in ~60 ms where loading it through tsx takes ~500 ms
  'hypervisor/cpu-worker': 'src/hypervisor/cpu-worker.ts',
};

export const outputOf = (name) => join(ROOT, 'dist', `${name}.mjs`);
export const inputsOf = (name) => join(ROOT, 'dist', `${name}.inputs.json`);

/** Builds one entry; the output and its list of inputs replace the old ones whole (written aside, then renamed). */
export async function buildEntry(name) {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRIES[name]],
    outfile: outputOf(name),
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  const out = outputOf(name);
  mkdirSync(dirname(out), { recursive: true });
  const inputs = Object.keys(result.metafile.inputs).sort();
  const suffix = `.${process.pid}.tmp`;
  writeFileSync(inputsOf(name) + suffix, `${JSON.stringify(inputs, null, 1)}\n`);
  writeFileSync(out + suffix, result.outputFiles[0].contents);
  // the list first: a reader that sees the new output sees the list it was built from
  renameSync(inputsOf(name) + suffix, inputsOf(name));
  renameSync(out + suffix, out);
}

export async function buildAll() {
  for (const name of Object.keys(ENTRIES)) await buildEntry(name);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildAll();
