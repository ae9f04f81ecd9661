/**
 * qrexec hypercalls (what qrexec-client-vm does): qrexec_call(target, service) starts a call whose
 * stdin is the calling process's fd 0 and whose stdout and stderr go to its fds 1 and 2 (the kernel
 * relays them) and returns a call id; qrexec_wait(id) blocks until the call ends and returns its
 * exit code (the service's, or 126 refused, 125 qrexec failure, 127 no such service). The table of
 * calls is plain data (a suspend file keeps it).
 */
import { Hypercall } from '../../pv/hypercall-numbers.js';
import type { EndpointRef } from '../../pv/kernel-objects.js';
import { BLOCK, returns } from '../../pv/syscall-outcome.js';
import type { VmInstance } from '../vm-instance.js';
import { readCString } from './guest-buffers.js';

const EINVAL = -22;
const EFAULT = -14;
/** Calls one VM may have in flight. */
export const MAX_GUEST_CALLS = 256;

export interface GuestCallsState {
  next: number;
  calls: { id: number; ident: string; exit: number | null }[];
}

export class GuestCalls {
  private next = 1;
  private readonly calls = new Map<number, { ident: string; exit: number | null }>();

  constructor(saved?: GuestCallsState) {
    if (!saved) return;
    this.next = saved.next;
    for (const c of saved.calls) this.calls.set(c.id, { ident: c.ident, exit: c.exit });
  }

  /** The call `ident` of the agent ended with `exit`. */
  ended(ident: string, exit: number): void {
    for (const c of this.calls.values()) if (c.ident === ident) c.exit = exit;
  }

  save(): GuestCallsState {
    return { next: this.next, calls: [...this.calls].map(([id, c]) => ({ id, ...c })) };
  }

  register(vm: VmInstance): void {
    const table = vm.process.hypercalls;
    table.register(Hypercall.qrexec_call, (ctx, a) => {
      const target = readCString(ctx.memory, a[0] >>> 0, 255);
      const service = readCString(ctx.memory, a[1] >>> 0, 1024);
      if (target === null || service === null) return returns(EFAULT);
      if (!vm.agent || this.calls.size >= MAX_GUEST_CALLS) return returns(EINVAL);
      const ref = (endpoint: object | undefined, fallback: EndpointRef): EndpointRef => (endpoint ? vm.objects.refOf(endpoint) : fallback);
      const io = {
        stdin: ref(ctx.fds.inputs.get(0), { kind: 'empty' }),
        stdout: ref(ctx.fds.outputs.get(1), { kind: 'sink' }),
        stderr: ref(ctx.fds.outputs.get(2), { kind: 'sink' }),
      };
      const id = this.next++;
      this.calls.set(id, { ident: vm.agent.call(target, service, io), exit: null });
      return returns(id);
    });
    table.register(Hypercall.qrexec_wait, (_ctx, a) => {
      const call = this.calls.get(a[0] >>> 0);
      if (!call) return returns(EINVAL);
      if (call.exit === null) return BLOCK;
      this.calls.delete(a[0] >>> 0);
      return returns(call.exit);
    });
  }
}
