/** brk: moves the program break within [start, limit]; memory released and regained reads as zero. */
import { FRAME_SIZE } from '../../vcpu/memory-layout.js';
import type { SyscallContext } from '../syscall-context.js';
import { returns, type SyscallOutcome } from '../syscall-outcome.js';

const pageUp = (v: number): number => Math.ceil(v / FRAME_SIZE) * FRAME_SIZE;

export function sysBrk(ctx: SyscallContext, [addr]: readonly number[]): SyscallOutcome {
  const brk = ctx.brk;
  const want = addr >>> 0;
  if (want < brk.start || want > brk.limit) return returns(brk.current);
  if (want < brk.current) {
    const from = pageUp(want), to = pageUp(brk.current);
    if (to > from) ctx.memory.zero(from, to - from);
  }
  brk.current = want;
  return returns(want);
}
