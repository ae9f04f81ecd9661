/**
 * Building a VM's domain in the hypervisor: its PD around the kernel's address space, one vCPU EC
 * with its SC per vCPU, the kernel process, the portal its exits go through (delegated into the
 * domain's event selectors), its hypercalls; new vCPU threads for its processes; and the
 * environment its PV kernel runtime talks to.
 */
import { ALL_PERMS, PtPerm } from '../../hypervisor/capability.js';
import type { Ec } from '../../hypervisor/ec.js';
import { EXIT_VECTORS } from '../../hypervisor/exit-vector.js';
import { ROOT_PD_SEL, type Hypervisor } from '../../hypervisor/hypervisor.js';
import type { Pd } from '../../hypervisor/pd.js';
import { DEFAULT_PRIORITY, DEFAULT_QUANTUM } from '../../hypervisor/sc.js';
import { Status, statusName, type StatusCode } from '../../hypervisor/status.js';
import { ConsoleRing } from '../../guest-kernel/console-ring.js';
import { stdioTable } from '../../guest-kernel/fd-endpoint.js';
import type { KernelEnv } from '../../guest-kernel/guest-kernel.js';
import { Hypercall } from '../../guest-kernel/hypercall-numbers.js';
import { registerEvtchnHypercalls } from '../../guest-kernel/hypercalls/evtchn-hypercalls.js';
import { registerGnttabHypercalls } from '../../guest-kernel/hypercalls/gnttab-hypercalls.js';
import { readU32s } from '../../guest-kernel/hypercalls/guest-buffers.js';
import { registerXenstoreHypercalls } from '../../guest-kernel/hypercalls/xenstore-hypercalls.js';
import { KernelObjects } from '../../guest-kernel/kernel-objects.js';
import { PvProcess } from '../../guest-kernel/pv-process.js';
import { BLOCK, returns } from '../../guest-kernel/syscall-outcome.js';
import { VmInstance } from '../../guest-kernel/vm-instance.js';
import type { VmSpec } from '../../guest-kernel/vm-spec.js';
import type { CallOutcome } from '../../qrexec/data-call.js';
import type { VchanHost } from '../../qrexec/vchan/index.js';
import type { AddressSpace } from '../../vcpu/address-space.js';
import { ForeignFrameWindow } from '../../vcpu/foreign-frame-window.js';
import { Vcpu } from '../../vcpu/vcpu.js';
import type { Selectors } from './selectors.js';
import type { XenServices } from './xen-services.js';

/** Event selector base of every guest EC: exits go to the portals at 0x1000 + vector. */
export const GUEST_EVT_BASE = 0x1000;
/** How long a qrexec end waits for its peer's vchan (Qubes' qrexec_timeout default is 60 s). */
export const QREXEC_TIMEOUT_MS = 60_000;

export function check(status: StatusCode, what: string): void {
  if (status !== Status.SUCCESS) throw new Error(`kernel refused to ${what}: ${statusName(status)}`);
}

export class DomainBuilder {
  constructor(
    private readonly hv: Hypervisor,
    private readonly xen: XenServices,
    private readonly selectors: Selectors,
    /** The VMM's own EC, which the exit portals run on. */
    private readonly vmmEcSel: number,
    /** The live domains, by domid (an exit portal finds its VM there). */
    private readonly live: Map<number, VmInstance>,
    /** A guest's own qrexec call ended. */
    private readonly guestCallEnded: (domid: number, ident: string, outcome: CallOutcome) => void,
  ) {}

  /** The domain of `spec` around the kernel's address space (and its memory), with its vCPU ECs (not started), kernel process and portal. */
  shell(spec: VmSpec, space: AddressSpace, brk: { start: number; limit: number }): { instance: VmInstance; objects: KernelObjects } {
    const memory = space.memory;
    const root = this.hv.root;
    const owned: number[] = [];
    const pdSel = this.selectors.take(owned);
    check(this.hv.createPd(root, pdSel, ROOT_PD_SEL, spec.domid, spec.name, memory), 'create the domain');
    const pd = this.hv.domain(spec.domid)!;
    pd.foreignFrames = new ForeignFrameWindow();
    memory.outside = pd.foreignFrames;
    const ecs = this.createVcpus(pd, pdSel, spec.vcpus, owned, space);
    const console = new ConsoleRing(spec.consoleBuffer);
    const files = new Map<string, Uint8Array>();
    let instance: VmInstance | null = null;
    const objects = kernelObjects(files, console, () => instance?.wakeBlocked());
    const consoleOut = objects.output({ kind: 'console' });
    const process = new PvProcess(space, { fds: stdioTable(objects.empty, consoleOut, consoleOut), seed: spec.seed, brk });
    instance = new VmInstance(this.hv, pd, ecs, process, console, owned, spec.image, files, spec);
    this.live.set(spec.domid, instance);
    this.registerHypercalls(instance);
    this.installPortal(pd, instance, owned);
    return { instance, objects };
  }

  /** Fresh kernel objects over the instance's files and console, for a kernel runtime built from a suspend file. */
  objectsFor(instance: VmInstance): KernelObjects {
    return kernelObjects(instance.files, instance.console, () => instance.wakeBlocked());
  }

  /** What the VM's PV kernel runtime talks to outside its domain. */
  kernelEnv(instance: VmInstance): KernelEnv {
    const domid = instance.pd.id;
    return {
      newThread: (vcpu) => this.newThread(instance, vcpu),
      pause: (ec) => this.hv.pause(ec),
      start: (ec) => this.hv.startEc(ec),
      vchan: this.vchanHost(),
      listen: (port, fn) => this.xen.onPort(domid, port, fn),
      timeoutMs: QREXEC_TIMEOUT_MS,
      onGuestCall: (ident, outcome) => this.guestCallEnded(domid, ident, outcome),
    };
  }

  vchanHost(): VchanHost {
    return { evtchn: this.xen.evtchn, grants: this.xen.grants, xenstore: this.xen.store };
  }

  /** A new vCPU EC (with its SC) in a running VM's domain, for a process of its PV kernel. */
  newThread(instance: VmInstance, vcpu: Vcpu): { ec: Ec; release: () => void } {
    const root = this.hv.root;
    const ecSel = this.selectors.take();
    const scSel = this.selectors.take();
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
        this.hv.forgetEc(ec);
        this.selectors.give([scSel, ecSel]);
      },
    };
  }

  /** Ends the domain's PD and drops every capability the root held to its objects. */
  tearDown(instance: VmInstance): void {
    this.xen.release(instance.pd.id, instance.pd.name);
    this.hv.destroyPd(instance.pd);
    for (const sel of instance.rootSelectors) this.hv.revoke(this.hv.root, sel, ALL_PERMS, true);
    this.selectors.give(instance.rootSelectors);
    this.live.delete(instance.pd.id);
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
  private createVcpus(pd: Pd, pdSel: number, count: number, owned: number[], space: AddressSpace): Ec[] {
    for (let i = 0; i < count; i++) {
      const ecSel = this.selectors.take(owned);
      check(this.hv.createEc(this.hv.root, ecSel, pdSel, new Vcpu(space, i), GUEST_EVT_BASE), 'create a vCPU');
      check(this.hv.createSc(this.hv.root, this.selectors.take(owned), ecSel, DEFAULT_PRIORITY, DEFAULT_QUANTUM), 'create a scheduling context');
    }
    return pd.ecs;
  }

  /** One portal per VM, delegated (call permission only) to each exit vector's event selector. */
  private installPortal(pd: Pd, instance: VmInstance, owned: number[]): void {
    const ptSel = this.selectors.take(owned);
    check(this.hv.createPt(this.hv.root, ptSel, this.vmmEcSel, (ec, exit) => instance.handleExit(ec, exit)), 'create the exit portal');
    this.hv.ptCtrl(this.hv.root, ptSel, pd.id);
    for (const vector of EXIT_VECTORS) {
      check(this.hv.delegate(this.hv.root, ptSel, pd, GUEST_EVT_BASE + vector, PtPerm.CALL), 'delegate the exit portal');
    }
  }
}

/** A kernel's pipes and files over `files`, writing the console; a pipe's change wakes the VM. */
function kernelObjects(files: Map<string, Uint8Array>, console: ConsoleRing, wake: () => void): KernelObjects {
  const consoleOut = { write: (b: Uint8Array) => console.write(b), close: () => undefined };
  return new KernelObjects(files, consoleOut, (pipe) => pipe.watch(wake));
}
