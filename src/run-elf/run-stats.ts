/** --stats output: instructions, host time, MIPS and syscalls by number. */
import { syscallName } from '../guest-kernel/linux-syscalls.js';

export interface RunStats {
  readonly instructions: number;
  readonly seconds: number;
  readonly syscalls: Readonly<Record<string, number>>;
  readonly unknown: Readonly<Record<string, number>>;
}

/** The lines --stats prints. */
export function formatStats(s: RunStats): string {
  const mips = s.seconds > 0 ? s.instructions / s.seconds / 1e6 : 0;
  const lines = [
    `instructions: ${s.instructions}`,
    `host time: ${s.seconds.toFixed(3)} s`,
    `MIPS: ${mips.toFixed(1)}`,
    'syscalls:',
    ...Object.entries(s.syscalls).map(([nr, n]) =>
      `  ${nr.padStart(10)} ${syscallName(Number(nr)).padEnd(18)} ${n}${s.unknown[nr] ? ' (ENOSYS)' : ''}`),
  ];
  return lines.join('\n') + '\n';
}
