/**
 * qrexec hypercalls (what qrexec-client-vm does): qrexec_call(target, service) starts a call whose
 * stdin is the calling process's fd 0 and whose stdout and stderr go to its fds 1 and 2 (the kernel
 * relays them) and returns a call id; qrexec_wait(id) blocks until the call ends and returns its
 * exit code (the service's, or 126 refused, 125 qrexec failure, 127 no such service).
 */
import type { CallOutcome } from '../../../qrexec/data-call.js';
import { Hypercall } from '../../pv/hypercall-numbers.js';
import { BLOCK, returns } from '../../pv/syscall-outcome.js';
import { fdStream } from '../../qrexec/fd-stream.js';
import type { VmInstance } from '../vm-instance.js';
import { readCString } from './guest-buffers.js';

const EINVAL = -22;
const EFAULT = -14;

export function registerQrexecHypercalls(vm: VmInstance, finished: (ident: string, outcome: CallOutcome) => void): void {
  const calls = new Map<number, { exit: number | null }>();
  let next = 1;
  const table = vm.process.hypercalls;
  table.register(Hypercall.qrexec_call, (ctx, a) => {
    const target = readCString(ctx.memory, a[0] >>> 0, 255);
    const service = readCString(ctx.memory, a[1] >>> 0, 1024);
    if (target === null || service === null) return returns(EFAULT);
    if (!vm.agent || calls.size >= 256) return returns(EINVAL);
    const io = {
      stdin: fdStream(vm, ctx.fds.inputs.get(0), undefined),
      stdout: fdStream(vm, undefined, ctx.fds.outputs.get(1)),
      stderr: fdStream(vm, undefined, ctx.fds.outputs.get(2)),
    };
    const id = next++;
    const call = { exit: null as number | null };
    calls.set(id, call);
    const { ident, outcome } = vm.agent.call(target, service, io);
    void outcome.then((o) => {
      call.exit = o.exitCode;
      finished(ident, o);
      vm.wakeBlocked();
    });
    return returns(id);
  });
  table.register(Hypercall.qrexec_wait, (_ctx, a) => {
    const call = calls.get(a[0] >>> 0);
    if (!call) return returns(EINVAL);
    if (call.exit === null) return BLOCK;
    calls.delete(a[0] >>> 0);
    return returns(call.exit);
  });
}
