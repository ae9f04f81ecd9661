/**
 * A domain's way into a suspend file and back: the capture (every vCPU stopped at an instruction
 * boundary, the kernel's state as data, the RAM as it was), the resume of a domain that waited in
 * this process, and the rebuild after a manager restart of domains from their files alone.
 */
import type { Ec } from '../../hypervisor/ec.js';
import type { Hypervisor } from '../../hypervisor/hypervisor.js';
import { GTF } from '../../grant-tables/grant-flags.js';
import type { KernelState } from '../../guest-kernel/kernel-state.js';
import type { PvProcess } from '../../guest-kernel/pv-process.js';
import type { VmInstance } from '../../guest-kernel/vm-instance.js';
import type { VmSpec } from '../../guest-kernel/vm-spec.js';
import { AddressSpace } from '../../vcpu/address-space.js';
import { restoreAddressSpace, saveAddressSpace, type AddressSpaceState } from '../../vcpu/address-space.persist.js';
import { GuestMemory } from '../../vcpu/guest-memory.js';
import { FRAME_SIZE, RAM_BASE } from '../../vcpu/memory-layout.js';
import type { DomainBuilder } from './domain-builder.js';
import { domainState, type DomainState } from './domain-state.js';
import type { Domids } from './domids.js';
import type { XenServices } from './xen-services.js';

/** A VM's kernel as a suspend file keeps it: its state, RAM and page table, and its processes' address spaces (memory and page table). */
export interface SavedKernel {
  readonly kernel: KernelState;
  readonly ram: SharedArrayBuffer;
  readonly pages: AddressSpaceState;
  readonly processes: (pid: number) => AddressSpace;
}

/** One VM to build again from a suspend file (a resume after a restart). */
export interface RestoreMember {
  readonly spec: VmSpec;
  /** It was paused when suspended: its vCPUs come back paused (and the caller records it paused). */
  readonly paused: boolean;
  readonly saved: SavedKernel & { domain: DomainState };
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

export class DomainRestore {
  /** Domains suspended in this process: their ports, grants and store entries stay; their runtime is in a file. */
  private readonly suspended = new Map<number, VmInstance>();

  constructor(
    private readonly hv: Hypervisor,
    private readonly xen: XenServices,
    private readonly builder: DomainBuilder,
    private readonly live: Map<number, VmInstance>,
    private readonly domids: Domids,
    /** A data port a call restored after a restart still uses (dom0's port table must not give it out). */
    private readonly keptDataPort: (server: number, client: number, port: number) => void,
  ) {}

  /** The domain is gone: it is no longer one that waits for a resume. */
  forget(domid: number): void {
    this.suspended.delete(domid);
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
    const kernel = saveKernel(instance);
    const domain = domainState(this.xen, domid);
    const memory = instance.pd.memory!;
    const ram = memory.u8;
    memory.replaceBacking(memory.copyFrames(this.residentFrames(domid)));
    const pages = saveAddressSpace(instance.process.space);
    const processes = new Map([...instance.processes.entries()].map((p) => [p.pid, p.space]));
    this.detach(instance);
    this.live.delete(domid);
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
      this.detach(instance);
      restoreAddressSpace(space, pagesBefore);
      memory.replaceBacking(sparse);
      throw err;
    }
    this.suspended.delete(domid);
    this.live.set(domid, instance);
    this.goOn(instance, saved.kernel.vcpus, paused);
  }

  /**
   * Resume after a restart (cold): the domains of VMs suspended by an earlier run of the manager
   * (one VM, or members of one file resumed together) are built again from the file under their
   * saved domids, with their RAM, vCPUs (each back in its machine state), processes, port numbers,
   * grant refs and XenStore homes. Everything between them comes back: event channels, grant
   * mappings, the qrexec calls on their agents' vchans (whose data ports are kept). What tied them
   * to domains not among them is gone with those: such ports are left unbound, the grants those
   * had mapped are unpinned, the calls with them end (exit 125). Each agent serves a new control
   * vchan for the new dom0 daemon. Throws, with nothing left of any of the domains, when the saved
   * state does not fit; `destroy` takes a half-built one down.
   */
  restore(members: readonly RestoreMember[], destroy: (instance: VmInstance) => void): VmInstance[] {
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
        instances.push(this.builder.shell(spec, space, { start: saved.kernel.process.brk.start, limit: saved.kernel.process.brk.limit }).instance);
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
        this.detach(instance);
        destroy(instance);
      }
      throw err;
    }
    members.forEach(({ spec, saved, paused }, i) => {
      this.domids.unreserve(spec.domid);
      this.goOn(instances[i], saved.kernel.vcpus, paused);
      // the data ports of the calls that go on between them stay taken in dom0's table
      for (const p of instances[i].agent.dataPorts()) this.keptDataPort(p.server, p.client, p.port);
    });
    return instances;
  }

  /** Takes the kernel's runtime down without closing anything (suspend, or a resume that failed). */
  detach(instance: VmInstance): void {
    instance.kernel?.detach((ec: Ec) => this.hv.pause(ec));
    instance.detachKernel();
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

  /** Restores the kernel's state into the instance (its vCPU ECs exist; process threads are made anew). */
  private restoreKernel(instance: VmInstance, k: KernelState, spaces: (pid: number) => AddressSpace, present?: (domid: number) => boolean): void {
    const kernelEcs = instance.ecs.filter((ec) => !instance.kernel?.processes.byEc.has(ec));
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
    instance.startKernel(this.builder.objectsFor(instance), this.builder.kernelEnv(instance), { saved: k, spaces, present });
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
}

/** The kernel's state as data (its vCPUs stopped). */
function saveKernel(instance: VmInstance): KernelState {
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
    ...instance.kernel!.save(),
  };
}
