/**
 * bench:cli: how long one `qvm-ls` takes, start to exit, against a running manager (10 VMs), beside
 * `node -e 0` and beside the CLI as it ran before it was built (tsx compiling src/cli at each run).
 * hyperfine measures when it is installed (apt-get install hyperfine); otherwise a loop of spawns.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildApp } from '../src/api/app.js';
import { Store } from '../src/store/store.js';
import { Manager } from '../src/vmm/manager.js';
import { machine, today, writeSection } from './lib/report.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'cella-bench-cli-'));

spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
const manager = await Manager.open(await Store.open(`file:${join(dir, 'cella.db')}`), { snapshotDir: join(dir, 'snapshots') });
await manager.execute({ type: 'vm.create', name: 'fedora', klass: 'TemplateVM', label: 'black', properties: {} });
for (let i = 0; i < 9; i++) await manager.execute({ type: 'vm.create', name: `vm${i}`, klass: 'AppVM', label: 'blue', template: 'fedora', properties: {} });
const app = await buildApp({ manager });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

// qvm-ls as a link to bin/qvm.mjs (as npm link installs it), and as it ran before: tsx compiling
// src/cli at run time (its launcher inside the tree, so that it finds tsx)
symlinkSync(join(root, 'bin/qvm.mjs'), join(dir, 'qvm-ls'));
const before = join(root, 'node_modules', '.cella-bench', 'tsx-qvm-ls.mjs');
mkdirSync(dirname(before), { recursive: true });
writeFileSync(before, `import { register } from 'tsx/esm/api';\nregister();\nconst { main } = await import(${JSON.stringify(join(root, 'src/cli/qvm.ts'))});\nprocess.exitCode = await main('qvm-ls', process.argv.slice(2));\n`);

const commands: [string, string][] = [
  ['`node -e 0`', `${process.execPath} -e 0`],
  ['`qvm-ls` (bin/qvm.mjs, built JavaScript)', join(dir, 'qvm-ls')],
  ['`qvm-ls` as before: tsx compiling src/cli at each run', `${process.execPath} ${before}`],
];

interface Figure {
  mean: number;
  stddev: number;
  min: number;
  median: number;
  /** Mean CPU time (user + system), when hyperfine measured it: what other work on the machine changes least. */
  cpu?: number;
}

/** Runs `file` to its end, asynchronously: the manager in this process must go on answering. */
function exec(file: string, args: string[], stdio: 'ignore' | 'inherit' = 'ignore'): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env: { ...process.env, CELLA_URL: url }, stdio: ['ignore', 'ignore', stdio] });
    child.once('error', () => resolve(null));
    child.once('exit', (code) => resolve(code));
  });
}

async function hyperfine(): Promise<Figure[] | null> {
  const json = join(dir, 'hyperfine.json');
  const status = await exec('hyperfine', ['-N', '-w', '3', '-r', String(RUNS), '--export-json', json, ...commands.map(([, c]) => c)], 'inherit');
  if (status !== 0) return null;
  const results = (JSON.parse(readFileSync(json, 'utf8')) as { results: (Figure & { user: number; system: number })[] }).results;
  return results.map((f) => ({ mean: f.mean * 1000, stddev: f.stddev * 1000, min: f.min * 1000, median: f.median * 1000, cpu: (f.user + f.system) * 1000 }));
}

async function loop(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const [, command] of commands) {
    const [file, ...args] = command.split(' ');
    const times: number[] = [];
    for (let i = 0; i < RUNS + 3; i++) {
      const t = performance.now();
      await exec(file, args);
      if (i >= 3) times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    const stddev = Math.sqrt(times.reduce((a, b) => a + (b - mean) ** 2, 0) / times.length);
    figures.push({ mean, stddev, min: times[0], median: times[Math.floor(times.length / 2)] });
  }
  return figures;
}

try {
  const figures = await hyperfine();
  const tool = figures ? `hyperfine -N, 3 warm-up runs and ${RUNS} runs each` : `${RUNS} spawns each after 3 warm-up ones (hyperfine not installed)`;
  const rows = (figures ?? (await loop())).map(
    (f, i) => `| ${commands[i][0]} | ${f.median.toFixed(0)} | ${f.mean.toFixed(0)} ± ${f.stddev.toFixed(0)} | ${f.min.toFixed(0)} | ${f.cpu === undefined ? '–' : f.cpu.toFixed(0)} |`,
  );
  const section = `## CLI start (bench:cli)

Measured ${today()} on ${machine()}, \`npm run bench:cli\`: ${tool}, one after the other in one run,
against a manager in the bench's process (a SQLite file in a temp dir, 10 VMs besides dom0), start to exit.
The machine was shared with other work while it ran (load average ${loadavg()[0].toFixed(1)} at the end on ${cpus().length} cores):
compare the rows with each other; CPU is the mean user + system time, which that sharing changes least.

| command | median ms | mean ± σ ms | min ms | CPU ms |
|---|---|---|---|---|
${rows.join('\n')}
`;
  writeSection('cli', section);
  process.stdout.write(section);
} finally {
  rmSync(dirname(before), { recursive: true, force: true });
  await app.close();
  await manager.close();
  rmSync(dir, { recursive: true, force: true });
}
