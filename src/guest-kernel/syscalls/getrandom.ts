/** getrandom from the VM's seeded deterministic generator. */
import { negErrno } from '../errno.js';
import type { SyscallContext } from '../syscall-context.js';
import { returns, type SyscallOutcome } from '../syscall-outcome.js';

/** GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE. */
const VALID_FLAGS = 1 | 2 | 4;
/** Linux returns at most this many bytes per call. */
const MAX_BYTES = (1 << 25) - 1;

export function sysGetrandom(ctx: SyscallContext, [buf, count, flags]: readonly number[]): SyscallOutcome {
  if ((flags & ~VALID_FLAGS) !== 0) return returns(negErrno('EINVAL'));
  const len = Math.min(count >>> 0, MAX_BYTES);
  if (!ctx.memory.canAccess(buf, len, true)) return returns(negErrno('EFAULT'));
  ctx.memory.write(buf, ctx.random.bytes(len));
  return returns(len);
}
