/**
 * The VM monitor's side of the kernel: it holds the root PD's selectors, builds a domain for a VM
 * (PD, vCPU ECs with their SCs, a portal for the VM's exits delegated into the domain's event
 * selectors, the guest image loaded) and tears it down again.
 */
import { domainState, type DomainState } from './domain-state.js';
import { AddressSpace } from '../../vcpu/address-space.js';
import { restoreAddressSpace, saveAddressSpace, type AddressSpaceState } from '../../vcpu/address-space.persist.js';
import { loadElf } from '../../vcpu/elf/elf-loader.js';
import { GuestMemory } from '../../vcpu/guest-memory.js';
import { Vcpu } from '../../vcpu/vcpu.js';
import { fail } from '../errors.js';
import { ALL_PERMS, PtPerm } from '../../hypervisor/capability.js';
import type { Ec } from '../../hypervisor/ec.js';
import { EXIT_VECTORS } from '../../hypervisor/exit-vector.js';
import { Hypervisor, MAX_DOMID, ROOT_PD_SEL } from '../../hypervisor/hypervisor.js';
import type { Pd } from '../../hypervisor/pd.js';
import { DEFAULT_PRIORITY, DEFAULT_QUANTUM } from '../../hypervisor/sc.js';
import { Status, statusName, type StatusCode } from '../../hypervisor/status.js';
import { stdioTable } from '../../guest-kernel/fd-endpoint.js';
import { PvProcess } from '../../guest-kernel/pv-process.js';
import { SeededRandom } from '../../guest-kernel/seeded-random.js';
import { ForeignFrameWindow } from '../../vcpu/foreign-frame-window.js';
import { FRAME_SIZE, RAM_BASE } from '../../vcpu/memory-layout.js';
import { GRANT_MAP_WINDOW_BASE, GRANT_MAP_WINDOW_SIZE } from '../../grant-tables/grant-domain.js';
import { GTF } from '../../grant-tables/grant-flags.js';
import { QrexecAgent, type AgentHost, type AgentState, type CallStreams } from '../../qrexec/agent.js';
import type { CallOutcome } from '../../qrexec/data-call.js';
import type { ByteStream } from '../../qrexec/pipe.js';
import type { VchanHost } from '../../qrexec/vchan/index.js';
import { KernelObjects, type EndpointRef } from '../../guest-kernel/kernel-objects.js';
import { PvServices, type CallIo } from '../../guest-kernel/pv-services.js';
import { GuestCalls } from '../../guest-kernel/hypercalls/qrexec-hypercalls.js';
import { FrameRange } from '../../qrexec/vchan/frame-allocator.js';
import { JobTable } from '../../guest-kernel/jobs.js';
import type { KernelState } from '../../guest-kernel/kernel-state.js';
import { ProcessTable } from '../../guest-kernel/process-table.js';
import { KERNEL_DYN_BASE, KERNEL_GRANT_FRAMES, kernelRegion } from '../../guest-kernel/kernel-region.js';
import { ConsoleRing } from '../../guest-kernel/console-ring.js';
import { registerEvtchnHypercalls } from '../../guest-kernel/hypercalls/evtchn-hypercalls.js';
import { registerGnttabHypercalls } from '../../guest-kernel/hypercalls/gnttab-hypercalls.js';
import { readU32s } from '../../guest-kernel/hypercalls/guest-buffers.js';
import { registerXenstoreHypercalls } from '../../guest-kernel/hypercalls/xenstore-hypercalls.js';
import { VmInstance, Wake } from '../../guest-kernel/vm-instance.js';
import { XenServices } from './xen-services.js';
import { Hypercall } from '../../guest-kernel/hypercall-numbers.js';
import { BLOCK, returns } from '../../guest-kernel/syscall-outcome.js';
import type { VmSpec } from '../../guest-kernel/vm-spec.js';

export type { VmSpec };

/** Event selector base of every guest EC: exits go to the portals at 0x1000 + vector. */
export const GUEST_EVT_BASE = 0x1000;

/** One VM to build again from a suspend file (a resume after a restart). */
export interface RestoreMember {
  readonly spec: VmSpec;
  /** It was paused when suspended: its vCPUs come back paused (and the caller records it paused). */
  readonly paused: boolean;
  readonly saved: SavedKernel & { domain: DomainState };
}

/** A VM's kernel as a suspend file keeps it: its state, RAM and page table, and its processes' address spaces (memory and page table). */
export interface SavedKernel {
  readonly kernel: KernelState;
  readonly ram: ArrayBuffer;
  readonly pages: AddressSpaceState;
  readonly processes: (pid: number) => AddressSpace;
}

/** What suspend hands over to be written: the kernel's state, the RAM and page table as they were, the processes' address spaces. */
export interface SuspendCapture {
  readonly kernel: KernelState;
  /** The domain's Xen-side tables as they were (they stay live in the domain meanwhile). */
  readonly domain: DomainState;
  readonly ram: Uint8Array;
  readonly pages: AddressSpaceState;
  readonly processes: ReadonlyMap<number, AddressSpace>;
}

const SP = 2;


export class VmMonitor {
  readonly hv = new Hypervisor(GuestMemory.ofMiB(DOM0_RAM_MIB));
  readonly xen: XenServices;
  /** dom0's RAM for the vchans it serves (qrexec calls it makes), after its grant-table frames. */
  readonly dom0Frames: FrameRange;
  /** Slot addresses for dom0's client mappings (it reaches the frames host-side). */
  readonly dom0Slots = new FrameRange(GRANT_MAP_WINDOW_BASE, GRANT_MAP_WINDOW_SIZE / FRAME_SIZE);
  /** A data port a call restored after a restart still uses (dom0's port table must not give it out). */
  onKeptDataPort: (server: number, client: number, port: number) => void = () => undefined;
  /** Called when a guest's own qrexec call ends (for the call's event). */
  onGuestCall: (domid: number, ident: string, outcome: CallOutcome) => void = () => undefined;
  private nextSel = 1;
  private readonly freeSels: number[] = [];
  private readonly vmmEcSel: number;
  private readonly byDomid = new Map<number, VmInstance>();
  /** Domains suspended in this process: their ports, grants and store entries stay; their runtime is in a file. */
  private readonly suspended = new Map<number, VmInstance>();

  constructor() {
    this.xen = new XenServices(this.hv, {
      eventPending: (domid) => this.byDomid.get(domid)?.raise(Wake.EVENT),
      watchFired: (domid, path, token) => this.byDomid.get(domid)?.watchFired(path, token),
    });
    const dom0Table = Array.from({ length: KERNEL_GRANT_FRAMES }, (_, i) => RAM_BASE + i * FRAME_SIZE);
    this.xen.grants.setupTable(0, 0, dom0Table);
    this.dom0Frames = new FrameRange(RAM_BASE + KERNEL_GRANT_FRAMES * FRAME_SIZE, (DOM0_RAM_MIB * 256) - KERNEL_GRANT_FRAMES);
    this.vmmEcSel = this.sel();
    check(this.hv.createEc(this.hv.root, this.vmmEcSel, ROOT_PD_SEL, null, 0), 'create the VMM thread');
    this.hv.onUnhandledExit = (ec, exit, vector) =>
      this.byDomid.get(ec.pd.id)?.end({ kind: 'crashed', reason: `no portal for exit vector 0x${vector.toString(16)} (${exit.reason})` });
  }

  instance(domid: number): VmInstance | undefined {
    return this.byDomid.get(domid);
  }

  /** Builds and starts the domain of `spec`: vCPU 0 at the kernel's entry with the VM name as argv[0]. */
  build(spec: VmSpec): VmInstance {
    const elf = spec.image.programs.get(spec.image.kernel);
    if (!elf) fail('IMAGE_INVALID', `image '${spec.image.name}' has no kernel program '${spec.image.kernel}'`);
    const memory = GuestMemory.ofMiB(spec.memoryMiB);
    const random = new SeededRandom(spec.seed);
    const loaded = loadElf(memory, elf, { argv: [spec.name, ...(spec.kernelArgs ?? [])], envp: [`CELLA_VM=${spec.name}`], random: random.bytes(16), dynBase: KERNEL_DYN_BASE });
    if ('code' in loaded) fail('IMAGE_INVALID', `kernel of image '${spec.image.name}': ${loaded.message}`);
    const kernel = kernelRegion(loaded.space, loaded.brkStart, loaded.brkLimit);
    const instance = this.shell(spec, loaded.space, { start: loaded.brkStart, limit: kernel.base });
    instance.process.random.restore(random.save());
    this.xen.introduce(spec.domid, spec.name, spec.maxEventChannels, spec.vmConfig);
    this.xen.grants.setupTable(spec.domid, spec.domid, kernel.grantTable);
    this.wireKernel(instance, spec, { frames: kernel.frames, slots: agentSlots() });
    const boot = instance.ecs[0].vcpu!;
    boot.pc = loaded.entry | 0;
    boot.x[SP] = loaded.sp | 0;
    this.hv.startEc(instance.ecs[0]);
    return instance;
  }

  /** The domain of `spec` around the kernel's address space (and its memory), with its vCPU ECs (not started), kernel process, objects and portal. */
  private shell(spec: VmSpec, space: AddressSpace, brk: { start: number; limit: number }): VmInstance {
    const memory = space.memory;
    const root = this.hv.root;
    const selectors: number[] = [];
    const pdSel = this.sel(selectors);
    check(this.hv.createPd(root, pdSel, ROOT_PD_SEL, spec.domid, spec.name, memory), 'create the domain');
    const pd = this.hv.domain(spec.domid)!;
    pd.foreignFrames = new ForeignFrameWindow();
    memory.outside = pd.foreignFrames;
    const ecs = this.createVcpus(pd, pdSel, spec.vcpus, selectors, space);
    const console = new ConsoleRing(spec.consoleBuffer);
    const consoleOut = { write: (b: Uint8Array) => console.write(b), close: () => undefined };
    const files = new Map<string, Uint8Array>();
    let instance: VmInstance | null = null;
    const objects = new KernelObjects(files, consoleOut, (pipe) => pipe.watch(() => instance?.wakeBlocked()));
    const process = new PvProcess(space, { fds: stdioTable(objects.empty, consoleOut, consoleOut), seed: spec.seed, brk });
    instance = new VmInstance(this.hv, pd, ecs, process, console, selectors, spec.image, files);
    instance.spec = spec;
    instance.objects = objects;
    this.byDomid.set(spec.domid, instance);
    this.registerHypercalls(instance);
    this.installPortal(pd, instance, selectors);
    return instance;
  }

  /**
   * The PV kernel's processes, jobs, services and qrexec agent: fresh (`init` gives the agent's
   * frame allocators) or from a suspend file (the saved kernel, and the processes' memories).
   */
  private wireKernel(
    instance: VmInstance, spec: VmSpec,
    init: { frames: FrameRange; slots: FrameRange } | { saved: KernelState; spaces: (pid: number) => AddressSpace; present?: (domid: number) => boolean },
  ): void {
    const domid = instance.pd.id;
    const saved = 'saved' in init ? init.saved : null;
    const objects = instance.objects;
    if (saved) objects.restore(saved.objects);
    instance.processes = new ProcessTable(
      objects,
      (vcpu) => this.newThread(instance, vcpu),
      instance.process.hypercalls,
      () => instance.wakeBlocked(),
      (ec) => this.hv.pause(ec),
      (ec) => this.hv.startEc(ec),
    );
    instance.jobs = new JobTable({ objects, spawn: (argv, fds, call) => instance.services.spawn(argv, fds, call) });
    instance.processes.onExit = (pid, status) => instance.jobs.processExited(pid, status);
    instance.kernelStops.push(instance.onChange(() => instance.jobs.poke()));
    instance.services = new PvServices(instance, spec.seed ^ 0x5eed, spec.memoryMiB);
    instance.guestCalls = new GuestCalls(saved?.guestCalls);
    if (saved) {
      instance.services.restore(saved.services);
      instance.jobs.restore(saved.jobs);
      instance.processes.restore(saved.processes, (init as { spaces: (pid: number) => AddressSpace }).spaces);
    }
    const host: AgentHost = {
      vchan: this.vchanHost(),
      domid,
      listen: (port, fn) => this.xen.onPort(domid, port, fn),
      newCallStreams: () => {
        const [i, o, e] = [objects.pipe(), objects.pipe(), objects.pipe()];
        // named as the service sees them: it reads stdin, writes stdout and stderr
        return { stdin: { kind: 'pipe-r', id: i.id }, stdout: { kind: 'pipe-w', id: o.id }, stderr: { kind: 'pipe-w', id: e.id } };
      },
      stream: (ref, direction) => kernelStream(instance, ref as EndpointRef, direction),
      startService: (r, io) => instance.services.start(r, callIo(io)),
      startCommand: (line, source, io) => instance.services.startCommand(line, source, callIo(io)),
      close: (ref, direction) => kernelStream(instance, ref as EndpointRef, direction)[direction === 'input' ? 'reader' : 'writer'].close(),
      timeoutMs: QREXEC_TIMEOUT_MS,
    };
    const present = 'present' in init ? init.present : undefined;
    const agent = new QrexecAgent(host, saved ? (saved.agent as unknown as AgentState) : (init as { frames: FrameRange; slots: FrameRange }), present ? { afterRestart: { present } } : {});
    instance.agent = agent;
    instance.jobs.onDone = (job, status) => agent.jobDone(job, status);
    agent.onCallEnded = (ident, outcome) => {
      instance.guestCalls.ended(ident, outcome.exitCode, outcome.refused === true);
      instance.wakeBlocked();
      this.onGuestCall(domid, ident, outcome);
    };
    instance.guestCalls.register(instance);
    if (present) agent.endOrphans('the manager restarted while the call was in flight');
    if (saved) instance.jobs.poke();
  }

  /**
   * Suspend, first half (synchronous: no kernel work runs in between): every vCPU stops at an
   * instruction boundary, the kernel's state is taken as data, and the runtime is taken down
   * without closing anything (peers see a stalled VM, not a dead one). The domain stays, with its
   * ports, grants and store entries; its RAM object keeps only the frames others may still touch
   * (the shared-info page, the grant table, granted frames), and the RAM as it was is handed to
   * the caller to write, with the processes' memories.
   */
  suspend(instance: VmInstance): SuspendCapture {
    const domid = instance.pd.id;
    for (const ec of instance.ecs) this.hv.pause(ec);
    const kernel = this.saveKernel(instance);
    const domain = domainState(this.xen, domid);
    const memory = instance.pd.memory!;
    const ram = memory.u8;
    memory.replaceBacking(memory.copyFrames(this.residentFrames(domid)));
    const pages = saveAddressSpace(instance.process.space);
    const processes = new Map([...instance.processes.entries()].map((p) => [p.pid, p.space]));
    this.detachRuntime(instance);
    this.byDomid.delete(domid);
    this.suspended.set(domid, instance);
    return { kernel, domain, ram, pages, processes };
  }

  /**
   * Resume of a domain suspended in this process: its RAM comes back from `ram` (the frames others
   * could touch meanwhile keep what they hold now), the kernel state is restored in place, and the
   * vCPUs go on. Throws, with the domain still suspended, when the saved state does not fit.
   */
  resume(instance: VmInstance, saved: SavedKernel, paused = false): void {
    const domid = instance.pd.id;
    if (this.suspended.get(domid) !== instance) throw new Error(`domain ${domid} is not suspended`);
    const memory = instance.pd.memory!;
    const live = new Uint8Array(saved.ram);
    for (const f of this.residentFrames(domid)) live.set(memory.u8.subarray(f * FRAME_SIZE, (f + 1) * FRAME_SIZE), f * FRAME_SIZE);
    const sparse = memory.buffer;
    const space = instance.process.space;
    const pagesBefore = saveAddressSpace(space);
    memory.replaceBacking(saved.ram);
    try {
      restoreAddressSpace(space, saved.pages);
      this.restoreKernel(instance, saved.kernel, saved.processes);
    } catch (err) {
      this.detachRuntime(instance);
      restoreAddressSpace(space, pagesBefore);
      memory.replaceBacking(sparse);
      throw err;
    }
    this.suspended.delete(domid);
    this.byDomid.set(domid, instance);
    this.goOn(instance, saved.kernel.vcpus, paused);
  }

  /**
   * The vCPUs of a resumed domain go on: each live kernel vCPU, paused since the suspend (or restored
   * paused), is unpaused back to blocked or runnable; one restored from a file without its machine
   * state is started. A domain that was paused when suspended stays paused, its process threads too.
   * An event that came while it was away found no one to wake: it wakes it now.
   */
  private goOn(instance: VmInstance, vcpus: KernelState['vcpus'], paused: boolean): void {
    vcpus.forEach((v, n) => {
      const ec = instance.ecs[n];
      if (!ec || !v.live) return;
      if (ec.state === 'stopped') this.hv.startEc(ec);
      else if (!paused) this.hv.unpause(ec);
    });
    if (paused) for (const ec of instance.ecs) this.hv.pause(ec);
    const domid = instance.pd.id;
    if (this.xen.evtchn.table(domid)?.usedPorts().some((p) => this.xen.evtchn.isPending(domid, p))) instance.raise(0);
  }

  /**
   * Resume after a restart (cold): the domains of VMs suspended by an earlier run of the manager
   * (one VM, or members of one file resumed together) are built again from the file under their
   * saved domids, with their RAM, vCPUs (each back in its machine state), processes, port numbers,
   * grant refs and XenStore homes. Everything between them comes back: event channels, grant
   * mappings, the qrexec calls on their agents' vchans (whose data ports `onKeptDataPort` names).
   * What tied them to domains not among them is gone with those: such ports are left unbound, the
   * grants those had mapped are unpinned, the calls with them end (exit 125). Each agent serves a
   * new control vchan for the new dom0 daemon. Throws, with nothing left of any of the domains, when
   * the saved state does not fit.
   */
  restore(members: readonly RestoreMember[]): VmInstance[] {
    for (const { spec } of members) if (this.hv.domain(spec.domid)) throw new Error(`domain ${spec.domid} exists already`);
    const present = (domid: number) => members.some((m) => m.spec.domid === domid);
    const instances: VmInstance[] = [];
    try {
      for (const { spec, saved } of members) {
        const memory = GuestMemory.ofMiB(spec.memoryMiB);
        if (saved.ram.byteLength !== memory.size) throw new Error(`the saved RAM of ${spec.name} is ${saved.ram.byteLength} bytes, the VM has ${memory.size}`);
        memory.replaceBacking(saved.ram);
        const space = new AddressSpace(memory);
        restoreAddressSpace(space, saved.pages);
        instances.push(this.shell(spec, space, { start: saved.kernel.process.brk.start, limit: saved.kernel.process.brk.limit }));
      }
      this.xen.reintroduce(members.map(({ spec, saved }) => ({ domid: spec.domid, name: spec.name, saved: saved.domain })));
      members.forEach(({ saved }, i) => {
        this.restoreKernel(instances[i], saved.kernel, saved.processes, present);
        // each live kernel vCPU takes its machine's state back: paused, remembering whether it was blocked
        saved.kernel.vcpus.forEach((v, n) => {
          if (!v.live || !v.machine) return;
          if (v.machine.value !== 'paused' || !instances[i].ecs[n]?.restore(v.machine)) throw new Error(`vCPU ${n} of ${members[i].spec.name}: its machine state is not a paused one`);
        });
      });
    } catch (err) {
      for (const instance of instances) {
        this.detachRuntime(instance);
        this.destroy(instance);
      }
      throw err;
    }
    members.forEach(({ spec, saved, paused }, i) => {
      this.reserved.delete(spec.domid);
      this.goOn(instances[i], saved.kernel.vcpus, paused);
      // the data ports of the calls that go on between them stay taken in dom0's table
      for (const p of instances[i].agent!.dataPorts()) this.onKeptDataPort(p.server, p.client, p.port);
    });
    return instances;
  }

  /** Domain ids kept for VMs suspended by an earlier run of the manager: a resume needs its own back. */
  private readonly reserved = new Set<number>();

  reserveDomid(domid: number): void {
    this.reserved.add(domid);
  }

  unreserveDomid(domid: number): void {
    this.reserved.delete(domid);
  }

  /** The lowest domid that is neither in use nor kept for a suspended VM, or null. */
  freeDomid(): number | null {
    for (let id = 1; id <= MAX_DOMID; id++) if (!this.hv.domain(id) && !this.reserved.has(id)) return id;
    return null;
  }

  /** Frames (numbers within its RAM) of a domain that others or Xen may touch while it is suspended. */
  private residentFrames(domid: number): Set<number> {
    const frames = new Set<number>();
    const frameOf = (gpa: number) => ((gpa >>> 0) - RAM_BASE) / FRAME_SIZE;
    const info = this.xen.evtchn.table(domid)?.sharedInfo.gpa;
    if (info !== null && info !== undefined) frames.add(frameOf(info));
    const table = this.xen.grants.table(domid);
    if (table) {
      for (const gpa of table.frames) frames.add(frameOf(gpa));
      for (const a of table.active.values()) frames.add(frameOf(a.gpa));
      for (let ref = 0; ref < table.nrEntries; ref++) {
        const e = table.readEntry(ref);
        if ((e.flags & GTF.permit_access) !== 0) frames.add(e.frame - RAM_BASE / FRAME_SIZE);
      }
    }
    const size = (this.hv.domain(domid)?.memory?.size ?? 0) / FRAME_SIZE;
    for (const f of frames) if (!Number.isInteger(f) || f < 0 || f >= size) frames.delete(f);
    return frames;
  }

  /** The kernel's state as data (its vCPUs stopped). */
  private saveKernel(instance: VmInstance): KernelState {
    return {
      vcpus: instance.ecs.filter((ec) => !instance.processes.byEc.has(ec)).map((ec) => ({
        vcpu: ec.vcpu!.save(), live: ec.state !== 'stopped', machine: ec.persisted() as { value: unknown; context: unknown },
      })),
      process: instance.process.save(),
      console: instance.console.save(),
      files: [...instance.files].map(([path, data]) => [path, Buffer.from(data).toString('base64')]),
      watches: instance.watches.events.map((w) => ({ ...w })),
      pendingWake: instance.pendingWake,
      shutdownRequested: instance.shutdownRequested,
      exitsByReason: { ...instance.exitsByReason },
      objects: instance.objects.save(),
      processes: instance.processes.save(),
      jobs: instance.jobs.save(),
      services: instance.services.save(),
      agent: instance.agent!.save() as unknown as KernelState['agent'],
      guestCalls: instance.guestCalls.save(),
    };
  }

  /** Restores the kernel's state into the instance (its vCPU ECs exist; process threads are made anew). */
  private restoreKernel(instance: VmInstance, k: KernelState, processSpaces: (pid: number) => AddressSpace, present?: (domid: number) => boolean): void {
    const kernelEcs = instance.ecs.filter((ec) => !instance.processes?.byEc.has(ec));
    if (k.vcpus.length !== kernelEcs.length) throw new Error(`the snapshot has ${k.vcpus.length} vCPUs, the VM ${kernelEcs.length}`);
    k.vcpus.forEach((v, i) => kernelEcs[i].vcpu!.restore(v.vcpu));
    instance.process.restore(k.process as Parameters<PvProcess['restore']>[0]);
    instance.console.load(k.console);
    instance.files.clear();
    for (const [path, data] of k.files) instance.files.set(path, new Uint8Array(Buffer.from(data, 'base64')));
    instance.watches.events.splice(0, instance.watches.events.length, ...k.watches);
    instance.pendingWake = k.pendingWake;
    instance.shutdownRequested = k.shutdownRequested;
    for (const key of Object.keys(instance.exitsByReason)) delete instance.exitsByReason[key];
    Object.assign(instance.exitsByReason, k.exitsByReason);
    const consoleOut = instance.objects.output({ kind: 'console' });
    instance.objects = new KernelObjects(instance.files, consoleOut, (pipe) => pipe.watch(() => instance.wakeBlocked()));
    this.wireKernel(instance, instance.spec, { saved: k, spaces: processSpaces, present });
  }

  /** Takes the kernel's runtime down without closing anything (suspend, or a resume that failed). */
  private detachRuntime(instance: VmInstance): void {
    instance.agent?.detach();
    instance.jobs?.clear();
    instance.processes?.dropAll((ec) => this.hv.pause(ec));
    instance.detachKernel();
  }

  /** Ends the domain, running or suspended, and drops every capability the root held to its objects. */
  destroy(instance: VmInstance): void {
    this.suspended.delete(instance.pd.id);
    instance.agent?.stop();
    this.xen.release(instance.pd.id, instance.pd.name);
    this.hv.destroyPd(instance.pd);
    for (const sel of instance.rootSelectors) this.hv.revoke(this.hv.root, sel, ALL_PERMS, true);
    this.freeSels.push(...instance.rootSelectors);
    this.byDomid.delete(instance.pd.id);
  }

  /** A new vCPU EC (with its SC) in a running VM's domain, for a process of its PV kernel. */
  newThread(instance: VmInstance, vcpu: Vcpu): { ec: Ec; release: () => void } {
    const root = this.hv.root;
    const ecSel = this.sel();
    const scSel = this.sel();
    check(this.hv.createEc(root, ecSel, instance.rootSelectors[0], vcpu, GUEST_EVT_BASE), 'create a process vCPU');
    check(this.hv.createSc(root, scSel, ecSel, DEFAULT_PRIORITY, DEFAULT_QUANTUM), 'create a scheduling context');
    const ec = instance.pd.ecs[instance.pd.ecs.length - 1];
    return {
      ec,
      release: () => {
        if (ec.sc) this.hv.scheduler.dequeue(ec.sc);
        const at = instance.pd.ecs.indexOf(ec);
        if (at >= 0) instance.pd.ecs.splice(at, 1);
        for (const sel of [scSel, ecSel]) this.hv.revoke(root, sel, ALL_PERMS, true);
        ec.alive = false;
        this.freeSels.push(scSel, ecSel);
      },
    };
  }

  vchanHost(): VchanHost {
    return { evtchn: this.xen.evtchn, grants: this.xen.grants, xenstore: this.xen.store };
  }

  /** Event channels, grant tables, the store, and sched_poll, for the domain's guest code. */
  private registerHypercalls(instance: VmInstance): void {
    const table = instance.process.hypercalls;
    const domid = instance.pd.id;
    registerEvtchnHypercalls(table, domid, this.xen.evtchn);
    registerGnttabHypercalls(table, domid, this.xen.grants);
    registerXenstoreHypercalls(table, domid, this.xen.store, instance.watches);
    // sched_poll(ports, nr): returns once one of the ports is pending (SCHEDOP_poll, without timeout)
    table.register(Hypercall.sched_poll, (ctx, a) => {
      const ports = readU32s(ctx.memory, a[0] >>> 0, a[1] >>> 0);
      if (!ports || ports.length === 0) return returns(-22);
      return ports.some((p) => this.xen.evtchn.isPending(domid, p)) ? returns(0) : BLOCK;
    });
  }

  /** The kernel's vCPUs: one address space (the kernel's) shared by all of them. */
  private createVcpus(pd: Pd, pdSel: number, count: number, selectors: number[], space: AddressSpace): Ec[] {
    for (let i = 0; i < count; i++) {
      const ecSel = this.sel(selectors);
      check(this.hv.createEc(this.hv.root, ecSel, pdSel, new Vcpu(space, i), GUEST_EVT_BASE), 'create a vCPU');
      check(this.hv.createSc(this.hv.root, this.sel(selectors), ecSel, DEFAULT_PRIORITY, DEFAULT_QUANTUM), 'create a scheduling context');
    }
    return pd.ecs;
  }

  /** One portal per VM, delegated (call permission only) to each exit vector's event selector. */
  private installPortal(pd: Pd, instance: VmInstance, selectors: number[]): void {
    const ptSel = this.sel(selectors);
    check(this.hv.createPt(this.hv.root, ptSel, this.vmmEcSel, (ec, exit) => instance.handleExit(ec, exit)), 'create the exit portal');
    this.hv.ptCtrl(this.hv.root, ptSel, pd.id);
    for (const vector of EXIT_VECTORS) {
      check(this.hv.delegate(this.hv.root, ptSel, pd, GUEST_EVT_BASE + vector, PtPerm.CALL), 'delegate the exit portal');
    }
  }

  private sel(into?: number[]): number {
    const sel = this.freeSels.pop() ?? this.nextSel++;
    into?.push(sel);
    return sel;
  }
}

/** dom0's RAM, for the rings of the vchans it serves (lazily allocated: untouched pages cost nothing). */
export const DOM0_RAM_MIB = 256;
/** How long a qrexec end waits for its peer's vchan (Qubes' qrexec_timeout default is 60 s). */
export const QREXEC_TIMEOUT_MS = 60_000;

/** The upper half of the grant-mapping window: the lower half is the guest's own (its grant mappings). */
function agentSlots(): FrameRange {
  return new FrameRange(GRANT_MAP_WINDOW_BASE + GRANT_MAP_WINDOW_SIZE / 2, GRANT_MAP_WINDOW_SIZE / FRAME_SIZE / 2);
}

const callIo = (io: CallStreams): CallIo => ({ stdin: io.stdin as EndpointRef, stdout: io.stdout as EndpointRef, stderr: io.stderr as EndpointRef });

/** One of the VM's streams as the qrexec relays see it; its changes come from the VM. */
function kernelStream(vm: VmInstance, ref: EndpointRef, direction: 'input' | 'output'): ByteStream {
  // a pipe is named by either end: the relay takes the other one
  const pipe = ref.kind === 'pipe-r' || ref.kind === 'pipe-w' ? vm.objects.pipeById(ref.id) : null;
  const input = direction === 'input' ? (pipe?.reader ?? vm.objects.input(ref)) : null;
  const output = direction === 'output' ? (pipe?.writer ?? vm.objects.output(ref)) : null;
  return {
    reader: { read: (max) => (input ? input.read(max) : 'eof'), close: () => input?.close() },
    writer: { write: (bytes) => (output ? output.write(bytes) : bytes.length), close: () => output?.close() },
    watch: (fn) => vm.onChange(fn),
  };
}

function check(status: StatusCode, what: string): void {
  if (status !== Status.SUCCESS) throw new Error(`kernel refused to ${what}: ${statusName(status)}`);
}
