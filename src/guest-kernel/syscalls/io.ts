/** read and write on the process's fd endpoints. */
import { negErrno } from '../errno.js';
import type { SyscallContext } from '../syscall-context.js';
import { BLOCK, returns, type SyscallOutcome } from '../syscall-outcome.js';

/** Largest transfer of one read or write. */
const MAX_IO = 1 << 20;

export function sysRead(ctx: SyscallContext, [fd, buf, count]: readonly number[]): SyscallOutcome {
  const input = ctx.fds.inputs.get(fd);
  if (input === undefined) return returns(negErrno('EBADF'));
  const len = Math.min(count >>> 0, MAX_IO);
  if (len === 0) return returns(0);
  if (!ctx.memory.canAccess(buf, len, true)) return returns(negErrno('EFAULT'));
  const got = input.read(len);
  if (got === 'would-block') return BLOCK;
  if (got === 'eof') return returns(0);
  if (!(got instanceof Uint8Array)) return returns(-got.errno);
  const data = got.length > len ? got.subarray(0, len) : got;
  ctx.memory.write(buf, data);
  return returns(data.length);
}

export function sysWrite(ctx: SyscallContext, [fd, buf, count]: readonly number[]): SyscallOutcome {
  const output = ctx.fds.outputs.get(fd);
  if (output === undefined) return returns(negErrno('EBADF'));
  const len = Math.min(count >>> 0, MAX_IO);
  if (len === 0) return returns(0);
  const data = ctx.memory.read(buf, len);
  if (!(data instanceof Uint8Array)) return returns(negErrno('EFAULT'));
  const put = output.write(data);
  if (put === 'would-block') return BLOCK;
  return returns(typeof put === 'number' ? put : -put.errno);
}
