/**
 * The VM monitor's side of the kernel: it holds the root PD's selectors, builds a domain for a VM
 * (PD, vCPU ECs with their SCs, a portal for the VM's exits delegated into the domain's event
 * selectors, the guest image loaded) and tears it down again.
 */
import { loadElf } from '../../vcpu/elf/elf-loader.js';
import { GuestMemory } from '../../vcpu/guest-memory.js';
import { Vcpu } from '../../vcpu/vcpu.js';
import { fail } from '../errors.js';
import type { GuestImage } from '../images/guest-image.js';
import { ALL_PERMS, PtPerm } from '../kernel/capability.js';
import type { Ec } from '../kernel/ec.js';
import { EXIT_VECTORS } from '../kernel/exit-vector.js';
import { Hypervisor, ROOT_PD_SEL } from '../kernel/hypervisor.js';
import type { Pd } from '../kernel/pd.js';
import { DEFAULT_PRIORITY, DEFAULT_QUANTUM } from '../kernel/sc.js';
import { Status, statusName, type StatusCode } from '../kernel/status.js';
import { stdioTable, type InputEndpoint } from '../pv/fd-endpoint.js';
import { PvProcess } from '../pv/pv-process.js';
import { SeededRandom } from '../pv/seeded-random.js';
import { ForeignFrameWindow } from '../../vcpu/foreign-frame-window.js';
import { FRAME_SIZE, RAM_BASE } from '../../vcpu/memory-layout.js';
import { GRANT_MAP_WINDOW_BASE, GRANT_MAP_WINDOW_SIZE } from '../kernel/grant-domain.js';
import { QrexecAgent } from '../../qrexec/agent.js';
import type { CallOutcome } from '../../qrexec/data-call.js';
import type { VchanHost } from '../../qrexec/vchan/index.js';
import type { Pipe } from '../pv/pipe.js';
import { PvServices } from './pv-services.js';
import { registerQrexecHypercalls } from './hypercalls/qrexec-hypercalls.js';
import { FrameRange } from '../../qrexec/vchan/frame-allocator.js';
import { ConsoleRing } from './console-ring.js';
import { registerEvtchnHypercalls } from './hypercalls/evtchn-hypercalls.js';
import { registerGnttabHypercalls } from './hypercalls/gnttab-hypercalls.js';
import { readU32s } from './hypercalls/guest-buffers.js';
import { registerXenstoreHypercalls } from './hypercalls/xenstore-hypercalls.js';
import { VmInstance, Wake } from './vm-instance.js';
import { XenServices } from './xen-services.js';
import { Hypercall } from '../pv/hypercall-numbers.js';
import { BLOCK, returns } from '../pv/syscall-outcome.js';

/** Event selector base of every guest EC: exits go to the portals at 0x1000 + vector. */
export const GUEST_EVT_BASE = 0x1000;

export interface VmSpec {
  readonly name: string;
  readonly domid: number;
  readonly memoryMiB: number;
  readonly vcpus: number;
  readonly image: GuestImage;
  readonly consoleBuffer: number;
  /** Seed of the guest's deterministic random generator. */
  readonly seed: number;
  /** Highest event-channel port the domain may allocate. */
  readonly maxEventChannels: number;
  /** Written to the domain's store home under vm-config/ (Qubes' vm-config.* features). */
  readonly vmConfig: Record<string, string>;
}

const SP = 2;
const EMPTY_INPUT: InputEndpoint = { read: () => 'eof' };

export class VmMonitor {
  readonly hv = new Hypervisor(GuestMemory.ofMiB(DOM0_RAM_MIB));
  readonly xen: XenServices;
  /** dom0's RAM for the vchans it serves (qrexec calls it makes), after its grant-table frames. */
  readonly dom0Frames: FrameRange;
  /** Slot addresses for dom0's client mappings (it reaches the frames host-side). */
  readonly dom0Slots = new FrameRange(GRANT_MAP_WINDOW_BASE, GRANT_MAP_WINDOW_SIZE / FRAME_SIZE);
  /** Called when a guest's own qrexec call ends (for the call's event). */
  onGuestCall: (domid: number, ident: string, outcome: CallOutcome) => void = () => undefined;
  private nextSel = 1;
  private readonly freeSels: number[] = [];
  private readonly vmmEcSel: number;
  private readonly byDomid = new Map<number, VmInstance>();

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
    const loaded = loadElf(memory, elf, { argv: [spec.name], envp: [`CELLA_VM=${spec.name}`], random: random.bytes(16) });
    if ('code' in loaded) fail('IMAGE_INVALID', `kernel of image '${spec.image.name}': ${loaded.message}`);
    const root = this.hv.root;
    const selectors: number[] = [];
    const pdSel = this.sel(selectors);
    check(this.hv.createPd(root, pdSel, ROOT_PD_SEL, spec.domid, spec.name, memory), 'create the domain');
    const pd = this.hv.domain(spec.domid)!;
    pd.foreignFrames = new ForeignFrameWindow();
    memory.outside = pd.foreignFrames;
    const ecs = this.createVcpus(pd, pdSel, spec.vcpus, selectors);
    const console = new ConsoleRing(spec.consoleBuffer);
    const kernel = kernelRegion(loaded.brkStart, loaded.brkLimit);
    const process = new PvProcess(memory, {
      fds: stdioTable(EMPTY_INPUT, console, console),
      seed: spec.seed,
      brk: { start: loaded.brkStart, limit: kernel.base },
    });
    process.random.restore(random.save());
    const instance = new VmInstance(this.hv, pd, ecs, process, console, selectors, spec.image, kernel.frames);
    this.byDomid.set(spec.domid, instance);
    this.xen.introduce(spec.domid, spec.name, spec.maxEventChannels, spec.vmConfig);
    this.xen.grants.setupTable(spec.domid, spec.domid, kernel.grantTable);
    this.registerHypercalls(instance);
    this.installPortal(pd, instance, selectors);
    this.startKernelServices(instance, spec);
    const boot = ecs[0].vcpu!;
    boot.pc = loaded.entry | 0;
    boot.x[SP] = loaded.sp | 0;
    this.hv.startEc(ecs[0]);
    return instance;
  }

  /** Ends the domain and drops every capability the root held to its objects. */
  destroy(instance: VmInstance): void {
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

  /** The PV kernel's qrexec agent and services: the control vchan dom0's daemon connects to. */
  private startKernelServices(instance: VmInstance, spec: VmSpec): void {
    const domid = instance.pd.id;
    const services = new PvServices(instance, (vcpu) => this.newThread(instance, vcpu), spec.seed ^ 0x5eed, spec.memoryMiB);
    instance.services = services;
    instance.agent = new QrexecAgent({
      vchan: this.vchanHost(),
      domid,
      frames: instance.kernelFrames,
      // the upper half of the window: the lower half is the guest's own (its grant mappings)
      slots: new FrameRange(GRANT_MAP_WINDOW_BASE + GRANT_MAP_WINDOW_SIZE / 2, GRANT_MAP_WINDOW_SIZE / FRAME_SIZE / 2),
      listen: (port, fn) => this.xen.onPort(domid, port, fn),
      pipe: () => services.pipe(),
      runService: (r) => services.run({ ...r, stdin: r.stdin as Pipe, stdout: r.stdout.writer, stderr: r.stderr.writer }),
      runCommand: (line, source, io) => services.runCommandLine(line, { source, stdin: io.stdin as Pipe, stdout: io.stdout.writer, stderr: io.stderr.writer }),
      timeoutMs: QREXEC_TIMEOUT_MS,
    });
    registerQrexecHypercalls(instance, (ident, outcome) => this.onGuestCall(domid, ident, outcome));
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

  private createVcpus(pd: Pd, pdSel: number, count: number, selectors: number[]): Ec[] {
    for (let i = 0; i < count; i++) {
      const ecSel = this.sel(selectors);
      check(this.hv.createEc(this.hv.root, ecSel, pdSel, new Vcpu(pd.memory!, i), GUEST_EVT_BASE), 'create a vCPU');
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

/** RAM the PV kernel keeps for itself, below the guest's stack: grant-table frames and frames for vchan rings. */
export const KERNEL_GRANT_FRAMES = 16;
export const KERNEL_RESERVED_MAX = 8 * 1024 * 1024;

function kernelRegion(brkStart: number, brkLimit: number): { base: number; grantTable: number[]; frames: FrameRange } {
  const room = Math.floor((brkLimit - brkStart) / 4 / FRAME_SIZE) * FRAME_SIZE;
  const size = Math.max(2 * KERNEL_GRANT_FRAMES * FRAME_SIZE, Math.min(KERNEL_RESERVED_MAX, room));
  const base = brkLimit - size;
  const grantTable = Array.from({ length: KERNEL_GRANT_FRAMES }, (_, i) => base + i * FRAME_SIZE);
  return { base, grantTable, frames: new FrameRange(base + KERNEL_GRANT_FRAMES * FRAME_SIZE, size / FRAME_SIZE - KERNEL_GRANT_FRAMES) };
}

function check(status: StatusCode, what: string): void {
  if (status !== Status.SUCCESS) throw new Error(`kernel refused to ${what}: ${statusName(status)}`);
}
