/** `cella run-elf FILE|IMAGE-NAME [ARGS…]`: runs one guest program alone, like qemu-riscv32. */
import { writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { stdioTable } from '../guest-kernel/fd-endpoint.js';
import { startGuestProgram } from '../guest-kernel/guest-program.js';
import { runToExit } from '../guest-kernel/run-to-exit.js';
import { exitStatusOf } from './exit-status.js';
import { HostInput, HostOutput } from './host-stdio.js';
import { readGuestImage } from './image-path.js';
import { formatStats } from './run-stats.js';
import { TraceWriter } from './trace-writer.js';

export interface RunElfOptions {
  readonly maxInstructions?: number;
  readonly trace: boolean;
  readonly stats: boolean;
  readonly seed: number;
  readonly memory: number;
  readonly env: readonly string[];
}

const STDERR = 2;
const say = (text: string): void => { writeSync(STDERR, text); };

/** Runs the program and returns the exit status for the host process. */
export function runElf(program: string, args: readonly string[], opts: RunElfOptions): number {
  const image = readGuestImage(program);
  if ('error' in image) { say(`cella: ${image.error}\n`); return image.status; }
  const fds = stdioTable(new HostInput(0), new HostOutput(1), new HostOutput(2));
  const guest = startGuestProgram(image.bytes, { argv: [program, ...args], envp: opts.env, fds, memoryMiB: opts.memory, seed: opts.seed });
  // a file Linux cannot exec is 126 as a shell reports it; one it kills while loading, 128 + the signal
  if ('code' in guest) { say(`cella: ${image.path}: ${guest.message} (${guest.code})\n`); return guest.signal === undefined ? 126 : 128 + guest.signal; }
  const tracer = opts.trace ? new TraceWriter(guest.space, STDERR) : undefined;
  const started = performance.now();
  const outcome = runToExit(guest, { maxInstructions: opts.maxInstructions, trace: tracer?.trace });
  const seconds = (performance.now() - started) / 1000;
  tracer?.flush();
  const { status, message } = exitStatusOf(outcome);
  if (message !== undefined) say(`cella: ${message}\n`);
  if (opts.stats) {
    say(formatStats({ instructions: guest.vcpu.instret, seconds,
      syscalls: guest.process.syscallCounts(), unknown: guest.process.unknownCounts() }));
  }
  return status;
}
