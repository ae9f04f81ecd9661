/** clock_gettime64 on the virtual clock (10 ns per retired instruction), never the host clock. */
import { virtualNs } from '../../vcpu/virtual-clock.js';
import { negErrno } from '../errno.js';
import type { SyscallContext } from '../syscall-context.js';
import { returns, type SyscallOutcome } from '../syscall-outcome.js';

const CLOCK_REALTIME = 0;
/** REALTIME, MONOTONIC, PROCESS/THREAD_CPUTIME, MONOTONIC_RAW, REALTIME/MONOTONIC_COARSE, BOOTTIME. */
const KNOWN_CLOCKS = new Set([0, 1, 2, 3, 4, 5, 6, 7]);

function timespec64(ns: number): Uint8Array {
  const sec = Math.floor(ns / 1e9), nsec = ns - sec * 1e9;
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setUint32(0, sec >>> 0, true);
  v.setUint32(4, Math.floor(sec / 4294967296), true);
  v.setUint32(8, nsec, true);
  return b;
}

export function sysClockGettime64(ctx: SyscallContext, [clock, tp]: readonly number[]): SyscallOutcome {
  if (!KNOWN_CLOCKS.has(clock)) return returns(negErrno('EINVAL'));
  const ns = virtualNs(ctx.vcpu.instret) + (clock === CLOCK_REALTIME ? ctx.epochNs : 0);
  return returns(ctx.memory.write(tp, timespec64(ns)) === undefined ? 0 : negErrno('EFAULT'));
}
