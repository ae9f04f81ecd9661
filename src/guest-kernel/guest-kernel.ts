/**
 * The PV kernel's runtime in one domain: its kernel objects (pipes, files), its processes, jobs and
 * built-in services, the guest's own qrexec calls and the qrexec agent. Built whole in one go, fresh
 * at boot or from a suspend file's kernel state (`save` gives that state back); a suspend takes it
 * down (`detach`) and a resume builds a new one.
 */
import type { Ec } from '../hypervisor/ec.js';
import { QrexecAgent, type AgentHost, type AgentState, type CallStreams } from '../qrexec/agent.js';
import type { CallOutcome } from '../qrexec/data-call.js';
import type { ByteStream } from '../qrexec/pipe.js';
import type { VchanHost } from '../qrexec/vchan/index.js';
import type { FrameRange } from '../qrexec/vchan/frame-allocator.js';
import type { AddressSpace } from '../vcpu/address-space.js';
import type { Vcpu } from '../vcpu/vcpu.js';
import { GuestCalls } from './hypercalls/qrexec-hypercalls.js';
import { JobTable } from './jobs.js';
import type { EndpointRef, KernelObjects } from './kernel-objects.js';
import type { KernelState } from './kernel-state.js';
import { ProcessTable } from './process-table.js';
import { PvServices, type CallIo } from './pv-services.js';
import type { VmInstance } from './vm-instance.js';

/** What the kernel needs from outside its domain: threads for its processes, and the world its qrexec agent talks to. */
export interface KernelEnv {
  /** A new vCPU EC (with its SC) in the domain, for a process; `release` gives it back. */
  newThread(vcpu: Vcpu): { ec: Ec; release: () => void };
  pause(ec: Ec): void;
  start(ec: Ec): void;
  readonly vchan: VchanHost;
  listen(port: number, fn: () => void): () => void;
  /** How long a qrexec end waits for its peer. */
  readonly timeoutMs: number;
  /** One of the guest's own qrexec calls ended (for the call's event). */
  onGuestCall(ident: string, outcome: CallOutcome): void;
}

/** How the kernel starts: fresh (the agent's frame allocators), or from a suspend file. */
export type KernelStart =
  | { readonly fresh: { readonly frames: FrameRange; readonly slots: FrameRange } }
  | {
      readonly saved: KernelState;
      /** Each saved process's address space, its memory restored. */
      readonly spaces: (pid: number) => AddressSpace;
      /** After a manager restart: which domains came back with it (calls with any other end). */
      readonly present?: (domid: number) => boolean;
    };

/** The parts of a kernel state the runtime holds (the rest is the domain's: vCPUs, process, console). */
export type KernelRuntimeState = Pick<KernelState, 'objects' | 'processes' | 'jobs' | 'services' | 'agent' | 'guestCalls'>;

export class GuestKernel {
  readonly processes: ProcessTable;
  readonly jobs: JobTable;
  readonly services: PvServices;
  readonly guestCalls: GuestCalls;
  readonly agent: QrexecAgent;

  constructor(
    private readonly vm: VmInstance,
    readonly objects: KernelObjects,
    env: KernelEnv,
    start: KernelStart,
  ) {
    const saved = 'saved' in start ? start.saved : null;
    if (saved) objects.restore(saved.objects);
    this.processes = new ProcessTable(objects, (vcpu) => env.newThread(vcpu), vm.process.hypercalls, () => vm.wakeBlocked(), (ec) => env.pause(ec), (ec) => env.start(ec));
    this.jobs = new JobTable({ objects, spawn: (argv, fds, call) => this.services.spawn(argv, fds, call) });
    this.processes.onExit = (pid, status) => this.jobs.processExited(pid, status);
    vm.kernelStops.push(vm.onChange(() => this.jobs.poke()));
    this.services = new PvServices(vm, this, vm.spec.seed ^ 0x5eed, vm.spec.memoryMiB);
    this.guestCalls = new GuestCalls(saved?.guestCalls);
    if (saved && 'saved' in start) {
      this.services.restore(saved.services);
      this.jobs.restore(saved.jobs);
      this.processes.restore(saved.processes, start.spaces);
    }
    const present = 'saved' in start ? start.present : undefined;
    this.agent = new QrexecAgent(this.agentHost(env), saved ? (saved.agent as unknown as AgentState) : (start as { fresh: { frames: FrameRange; slots: FrameRange } }).fresh, present ? { afterRestart: { present } } : {});
    this.jobs.onDone = (job, status) => this.agent.jobDone(job, status);
    this.agent.onCallEnded = (ident, outcome) => {
      this.guestCalls.ended(ident, outcome.exitCode, outcome.refused === true);
      vm.wakeBlocked();
      env.onGuestCall(ident, outcome);
    };
    this.guestCalls.register(vm, this);
    this.restartedWithout = present;
    this.fromFile = saved !== null;
  }

  private readonly restartedWithout: ((domid: number) => boolean) | undefined;
  private readonly fromFile: boolean;

  /** Once the domain holds it: calls whose peers did not come back end, and restored jobs go on. */
  begin(): void {
    if (this.restartedWithout) this.agent.endOrphans('the manager restarted while the call was in flight');
    if (this.fromFile) this.jobs.poke();
  }

  /** The runtime's part of the kernel state (its vCPUs stopped). */
  save(): KernelRuntimeState {
    return {
      objects: this.objects.save(),
      processes: this.processes.save(),
      jobs: this.jobs.save(),
      services: this.services.save(),
      agent: this.agent.save() as unknown as KernelState['agent'],
      guestCalls: this.guestCalls.save(),
    };
  }

  /** Takes the runtime down without closing anything (a suspend, or a resume that failed): peers see it stalled. */
  detach(pause: (ec: Ec) => void): void {
    this.agent.detach();
    this.jobs.clear();
    this.processes.dropAll(pause);
  }

  /** The domain is going away: the agent closes what it holds. */
  stop(): void {
    this.agent.stop();
  }

  private agentHost(env: KernelEnv): AgentHost {
    const objects = this.objects;
    const stream = (ref: unknown, direction: 'input' | 'output') => kernelStream(this.vm, objects, ref as EndpointRef, direction);
    return {
      vchan: env.vchan,
      domid: this.vm.pd.id,
      listen: (port, fn) => env.listen(port, fn),
      newCallStreams: () => {
        const [i, o, e] = [objects.pipe(), objects.pipe(), objects.pipe()];
        // named as the service sees them: it reads stdin, writes stdout and stderr
        return { stdin: { kind: 'pipe-r', id: i.id }, stdout: { kind: 'pipe-w', id: o.id }, stderr: { kind: 'pipe-w', id: e.id } };
      },
      stream,
      startService: (r, io) => this.services.start(r, callIo(io)),
      startCommand: (line, source, io) => this.services.startCommand(line, source, callIo(io)),
      close: (ref, direction) => stream(ref, direction)[direction === 'input' ? 'reader' : 'writer'].close(),
      timeoutMs: env.timeoutMs,
    };
  }
}

const callIo = (io: CallStreams): CallIo => ({ stdin: io.stdin as EndpointRef, stdout: io.stdout as EndpointRef, stderr: io.stderr as EndpointRef });

/** One of the VM's streams as the qrexec relays see it; its changes come from the VM. */
function kernelStream(vm: VmInstance, objects: KernelObjects, ref: EndpointRef, direction: 'input' | 'output'): ByteStream {
  // a pipe is named by either end: the relay takes the other one
  const pipe = ref.kind === 'pipe-r' || ref.kind === 'pipe-w' ? objects.pipeById(ref.id) : null;
  const input = direction === 'input' ? (pipe?.reader ?? objects.input(ref)) : null;
  const output = direction === 'output' ? (pipe?.writer ?? objects.output(ref)) : null;
  return {
    reader: { read: (max) => (input ? input.read(max) : 'eof'), close: () => input?.close() },
    writer: { write: (bytes) => (output ? output.write(bytes) : bytes.length), close: () => output?.close() },
    watch: (fn) => vm.onChange(fn),
  };
}
