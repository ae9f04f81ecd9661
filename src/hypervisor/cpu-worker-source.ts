/**
 * Where a CPU worker's code comes from: the module built by scripts/build.mjs
 * (dist/hypervisor/cpu-worker.mjs) when it is newer than every source it was built from, else the
 * TypeScript sources through tsx, which works everywhere but takes ~0.5 s per worker start. Checked
 * once per process (a stat of each source), so a worker never runs code older than the main thread's.
 */
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = new URL('../../', import.meta.url);
const BUILT = new URL('dist/hypervisor/cpu-worker.mjs', ROOT);
const INPUTS = new URL('dist/hypervisor/cpu-worker.inputs.json', ROOT);
const SOURCE = new URL('./cpu-worker.ts', import.meta.url);

let chosen: string | null = null;

function fresh(): boolean {
  try {
    const built = statSync(BUILT).mtimeMs;
    const inputs = JSON.parse(readFileSync(INPUTS, 'utf8')) as string[];
    return inputs.length > 0 && inputs.every((file) => statSync(fileURLToPath(new URL(file, ROOT))).mtimeMs <= built);
  } catch {
    return false;
  }
}

/** The code a `new Worker(code, { eval: true })` runs to become a CPU worker. */
export function cpuWorkerBoot(): string {
  chosen ??= fresh()
    ? `import(${JSON.stringify(BUILT.href)})`
    : `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(SOURCE.href)}); })`;
  return chosen;
}
