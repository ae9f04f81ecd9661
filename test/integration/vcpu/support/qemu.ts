/** Runs guest programs under qemu-riscv32 (the reference) and on Cella's vCPU, for differential tests. */
import { spawnSync } from 'node:child_process';
import { BufferInput, BufferOutput } from '../../../../src/guest-kernel/buffer-endpoints.js';
import { stdioTable } from '../../../../src/guest-kernel/fd-endpoint.js';
import { startGuestProgram } from '../../../../src/guest-kernel/guest-program.js';
import { runToExit, type RunOptions } from '../../../../src/guest-kernel/run-to-exit.js';
import type { GuestProgram } from '../../../../src/guest-kernel/guest-program.js';

/** True when a command is on PATH. */
export function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export const HAVE_QEMU = onPath('qemu-riscv32');

export interface GuestResult { readonly stdout: Buffer; readonly status: number | null }

/** Runs an ELF file under qemu-riscv32. */
export function runQemu(elfPath: string, args: readonly string[], stdin: Uint8Array = new Uint8Array()): GuestResult {
  const r = spawnSync('qemu-riscv32', [elfPath, ...args], { input: stdin, maxBuffer: 1 << 28 });
  if (r.error !== undefined) throw r.error;
  return { stdout: r.stdout, status: r.status };
}

/** Runs an ELF image on the vCPU in-process; `compileThreshold` 0 compiles every block on first entry. */
export function runCella(image: Uint8Array, args: readonly string[], stdin: Uint8Array = new Uint8Array(),
  options: RunOptions & { compileThreshold?: number } = {}): GuestResult & { program: GuestProgram } {
  const out = new BufferOutput();
  const program = startGuestProgram(image, { argv: ['prog', ...args], fds: stdioTable(new BufferInput(stdin), out, new BufferOutput()) });
  if ('code' in program) throw new Error(program.message);
  if (options.compileThreshold !== undefined) program.vcpu.compileThreshold = options.compileThreshold;
  const outcome = runToExit(program, options);
  const status = outcome.kind === 'exited' ? outcome.status : null;
  return { stdout: Buffer.from(out.bytes()), status, program };
}
