/** Benchmark: cpubench on Cella's vCPU and on qemu-riscv32 in the same run; `--write` records it in docs/benchmarks.md. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { BufferInput, BufferOutput } from '../src/guest-kernel/buffer-endpoints.js';
import { stdioTable } from '../src/guest-kernel/fd-endpoint.js';
import { startGuestProgram } from '../src/guest-kernel/guest-program.js';
import { runToExit } from '../src/guest-kernel/run-to-exit.js';
import { IMAGES_DIR } from '../src/run-elf/image-path.js';

const REPS = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 2000);
const ROUNDS = 5;
const ELF = `${IMAGES_DIR}cpubench.elf`;
const DOC = new URL('../docs/benchmarks.md', import.meta.url);

interface Sample { seconds: number; instructions: number; output: string }

function runCella(reps: number): Sample {
  const out = new BufferOutput();
  const p = startGuestProgram(new Uint8Array(readFileSync(ELF)), { argv: ['cpubench', String(reps)], fds: stdioTable(new BufferInput(), out, out) });
  if ('code' in p) throw new Error(p.message);
  const t0 = performance.now();
  const outcome = runToExit(p);
  const seconds = (performance.now() - t0) / 1000;
  if (outcome.kind !== 'exited' || outcome.status !== 0) throw new Error(`cpubench ended with ${JSON.stringify(outcome)}`);
  return { seconds, instructions: p.vcpu.instret, output: out.text() };
}

function runQemu(reps: number): { seconds: number; output: string } {
  const t0 = performance.now();
  const r = spawnSync('qemu-riscv32', [ELF, String(reps)], { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`qemu-riscv32 failed: ${r.stderr}`);
  return { seconds, output: r.stdout };
}

const best = <T extends { seconds: number }>(runs: T[]): T => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
const mips = (instructions: number, seconds: number): number => instructions / seconds / 1e6;

function measure() {
  runCella(50);
  const ours = best(Array.from({ length: ROUNDS }, () => runCella(REPS)));
  const haveQemu = spawnSync('sh', ['-c', 'command -v qemu-riscv32']).status === 0;
  if (!haveQemu) return { ours, qemu: undefined };
  const startup = best(Array.from({ length: ROUNDS }, () => runQemu(0)));
  const full = best(Array.from({ length: ROUNDS }, () => runQemu(REPS)));
  if (full.output !== ours.output) throw new Error(`outputs differ: qemu ${full.output} vs ours ${ours.output}`);
  return { ours, qemu: { seconds: full.seconds - startup.seconds, startup: startup.seconds } };
}

function report(): string {
  const { ours, qemu } = measure();
  const oursMips = mips(ours.instructions, ours.seconds);
  const qemuVersion = spawnSync('qemu-riscv32', ['--version'], { encoding: 'utf8' }).stdout?.split('\n')[0] ?? 'n/a';
  const rows = [
    '| engine | time (s) | MIPS |',
    '| --- | ---: | ---: |',
    `| Cella vCPU (block compiler, in-process) | ${ours.seconds.toFixed(3)} | ${oursMips.toFixed(0)} |`,
  ];
  let ratio = 'qemu-riscv32 not installed';
  if (qemu !== undefined) {
    const qemuMips = mips(ours.instructions, qemu.seconds);
    rows.push(`| qemu-riscv32 (TCG JIT; process time minus ${(qemu.startup * 1000).toFixed(0)} ms startup) | ${qemu.seconds.toFixed(3)} | ${qemuMips.toFixed(0)} |`);
    ratio = `qemu is ${(qemuMips / oursMips).toFixed(1)}× faster (Cella reaches ${(100 * oursMips / qemuMips).toFixed(0)}% of qemu)`;
  }
  return [
    `\`cpubench ${REPS}\`: ${ours.instructions.toLocaleString('en-US')} instructions (counted by the vCPU), output \`${ours.output.trim()}\`.`,
    '',
    ...rows,
    '',
    `Ratio: ${ratio}. Best of ${ROUNDS} runs each, after a warm-up; measured ${new Date().toISOString().slice(0, 10)}`,
    `on ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), Node ${process.version}, ${qemuVersion}.`,
    `Command: \`npm run bench:vcpu -- ${REPS} --write\`.`,
  ].join('\n');
}

const BEGIN = '<!-- bench:vcpu start -->', END = '<!-- bench:vcpu end -->';

/** Replaces (or appends) only the vCPU section of docs/benchmarks.md. */
function writeSection(body: string): void {
  const section = `${BEGIN}\n## vCPU (bench:vcpu)\n\n${body}\n${END}`;
  const old = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n';
  const start = old.indexOf(BEGIN), end = old.indexOf(END);
  const next = start >= 0 && end > start ? old.slice(0, start) + section + old.slice(end + END.length)
    : `${old.trimEnd()}\n\n${section}\n`;
  writeFileSync(DOC, next);
}

const body = report();
console.log(body);
if (process.argv.includes('--write')) writeSection(body);
