/**
 * qrexec hypercalls (what qrexec-client-vm does): qrexec_call(target, service) starts a call whose
 * stdin is the calling process's fd 0 and whose stdout and stderr go to its fds 1 and 2 (the kernel
 * relays them) and returns a call id; qrexec_wait(id, refused) blocks until the call ends and returns
 * its exit code (the service's, or 126 refused, 125 qrexec failure, 127 no such service), and, when
 * `refused` is not 0, stores there 1 if the daemon refused the request (MSG_SERVICE_REFUSED) and 0
 * otherwise: a service may exit 126 itself, and only a refusal is "Request refused". The table of
 * calls is plain data (a suspend file keeps it).
 */
import { Hypercall } from '../hypercall-numbers.js';
import type { QrexecAgent } from '../../qrexec/agent.js';
import type { JobTable } from '../jobs.js';
import type { EndpointRef, KernelObjects } from '../kernel-objects.js';
import { BLOCK, returns } from '../syscall-outcome.js';
import type { VmInstance } from '../vm-instance.js';
import { readCString } from './guest-buffers.js';

const EINVAL = -22;
const EFAULT = -14;
/** Calls one VM may have in flight. */
export const MAX_GUEST_CALLS = 256;

export interface GuestCallsState {
  next: number;
  calls: { id: number; ident: string; exit: number | null; refused?: boolean; relays?: number[] }[];
}

interface GuestCall {
  ident: string;
  exit: number | null;
  /** The daemon refused the request (not a service that exited 126). */
  refused?: boolean;
  /** The kernel jobs copying the call's stdout and stderr to the process's fds 1 and 2. */
  relays?: number[];
}

export class GuestCalls {
  private next = 1;
  private readonly calls = new Map<number, GuestCall>();

  constructor(saved?: GuestCallsState) {
    if (!saved) return;
    this.next = saved.next;
    for (const c of saved.calls) {
      this.calls.set(c.id, { ident: c.ident, exit: c.exit, ...(c.refused ? { refused: true } : {}), ...(c.relays ? { relays: [...c.relays] } : {}) });
    }
  }

  /** The call `ident` of the agent ended with `exit`; `refused` when the daemon refused it. */
  ended(ident: string, exit: number, refused = false): void {
    for (const c of this.calls.values()) {
      if (c.ident !== ident) continue;
      c.exit = exit;
      if (refused) c.refused = true;
    }
  }

  save(): GuestCallsState {
    return { next: this.next, calls: [...this.calls].map(([id, c]) => ({ id, ...c })) };
  }

  register(vm: VmInstance, kernel: { readonly agent: QrexecAgent; readonly objects: KernelObjects; readonly jobs: JobTable }): void {
    const table = vm.process.hypercalls;
    table.register(Hypercall.qrexec_call, (ctx, a) => {
      const target = readCString(ctx.memory, a[0] >>> 0, 255);
      const service = readCString(ctx.memory, a[1] >>> 0, 1024);
      if (target === null || service === null) return returns(EFAULT);
      if (this.calls.size >= MAX_GUEST_CALLS) return returns(EINVAL);
      const ref = (endpoint: object | undefined, fallback: EndpointRef): EndpointRef => (endpoint ? kernel.objects.refOf(endpoint) : fallback);
      // the call writes to pipes of its own, copied to the process's fds 1 and 2: what the call closes
      // when it ends is its pipes, not the fds the process (and the shell around it) goes on writing to
      const relay = (fd: number): { end: EndpointRef; job: number } => {
        const pipe = kernel.objects.pipe();
        const job = kernel.jobs.copy({ kind: 'pipe-r', id: pipe.id }, ref(ctx.fds.outputs.get(fd), { kind: 'sink' }), [{ kind: 'pipe-r', id: pipe.id }]);
        return { end: { kind: 'pipe-w', id: pipe.id }, job };
      };
      const [out, err] = [relay(1), relay(2)];
      const io = { stdin: ref(ctx.fds.inputs.get(0), { kind: 'empty' }), stdout: out.end, stderr: err.end };
      const id = this.next++;
      this.calls.set(id, { ident: kernel.agent.call(target, service, io), exit: null, relays: [out.job, err.job] });
      return returns(id);
    });
    table.register(Hypercall.qrexec_wait, (ctx, a) => {
      const call = this.calls.get(a[0] >>> 0);
      if (!call) return returns(EINVAL);
      // ended, and all it sent copied to the process's fds: what the process writes next comes after it
      if (call.exit === null || (call.relays ?? []).some((job) => kernel.jobs.running(job))) return BLOCK;
      const refusedAt = a[1] >>> 0;
      if (refusedAt !== 0 && ctx.memory.writeU32(refusedAt, call.refused ? 1 : 0) !== undefined) return returns(EFAULT);
      this.calls.delete(a[0] >>> 0);
      return returns(call.exit);
    });
  }
}
