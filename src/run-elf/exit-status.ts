/** The host exit status of a guest run, as a shell reports a qemu-riscv32 run that ended the same way. */
import type { RunOutcome } from '../guest-kernel/run-to-exit.js';
import { TrapCause, trapCauseName } from '../vcpu/rv32/trap-cause.js';

const SIGILL = 4, SIGTRAP = 5, SIGBUS = 7, SIGSEGV = 11;

const SIGNAL_OF_CAUSE: Record<number, number> = {
  [TrapCause.INSTRUCTION_ADDRESS_MISALIGNED]: SIGBUS,
  [TrapCause.LOAD_ADDRESS_MISALIGNED]: SIGBUS,
  [TrapCause.STORE_ADDRESS_MISALIGNED]: SIGBUS,
  [TrapCause.ILLEGAL_INSTRUCTION]: SIGILL,
  [TrapCause.BREAKPOINT]: SIGTRAP,
};

/** Exit status when --max-instructions stops the guest (like timeout(1)). */
export const LIMIT_STATUS = 124;

/** Status and, for abnormal ends, a message for stderr. */
export function exitStatusOf(outcome: RunOutcome): { status: number; message?: string } {
  if (outcome.kind === 'exited') return { status: outcome.status };
  if (outcome.kind === 'limit') return { status: LIMIT_STATUS, message: 'instruction limit reached' };
  if (outcome.kind === 'blocked') return { status: 1, message: 'guest blocked with no input source' };
  const exit = outcome.exit;
  if (exit.reason === 'fault') {
    const hex = (v: number): string => '0x' + (v >>> 0).toString(16).padStart(8, '0');
    return { status: 128 + (SIGNAL_OF_CAUSE[exit.cause] ?? SIGSEGV),
      message: `guest fault: ${trapCauseName(exit.cause)} at pc ${hex(exit.pc)}, tval ${hex(exit.tval)}` };
  }
  if (exit.reason === 'breakpoint') return { status: 128 + SIGTRAP, message: `guest breakpoint at pc 0x${exit.pc.toString(16)}` };
  return { status: 1, message: `guest stopped: ${exit.reason}` };
}
