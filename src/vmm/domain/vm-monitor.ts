/**
 * The VM monitor's side of the kernel: it holds the hypervisor with the root PD, the Xen services
 * and dom0's qrexec frames, builds a domain for a VM (domain-builder.ts), takes it into a suspend
 * file and back (domain-restore.ts), keeps the domain ids (domids.ts), and tears domains down.
 */
import { ROOT_PD_SEL, Hypervisor } from '../../hypervisor/hypervisor.js';
import type { CallOutcome } from '../../qrexec/data-call.js';
import { FrameRange } from '../../qrexec/vchan/frame-allocator.js';
import type { VchanHost } from '../../qrexec/vchan/index.js';
import { GRANT_MAP_WINDOW_BASE, GRANT_MAP_WINDOW_SIZE } from '../../grant-tables/grant-domain.js';
import { KERNEL_DYN_BASE, KERNEL_GRANT_FRAMES, kernelRegion } from '../../guest-kernel/kernel-region.js';
import { SeededRandom } from '../../guest-kernel/seeded-random.js';
import { Wake, type VmInstance } from '../../guest-kernel/vm-instance.js';
import type { VmSpec } from '../../guest-kernel/vm-spec.js';
import { loadElf } from '../../vcpu/elf/elf-loader.js';
import { GuestMemory } from '../../vcpu/guest-memory.js';
import { FRAME_SIZE, RAM_BASE } from '../../vcpu/memory-layout.js';
import { fail } from '../errors.js';
import { check, DomainBuilder } from './domain-builder.js';
import { DomainRestore, type RestoreMember, type SavedKernel, type SuspendCapture } from './domain-restore.js';
import { Domids } from './domids.js';
import { Selectors } from './selectors.js';
import { XenServices } from './xen-services.js';

export type { VmSpec, RestoreMember, SavedKernel, SuspendCapture };
export { GUEST_EVT_BASE, QREXEC_TIMEOUT_MS } from './domain-builder.js';

/** dom0's RAM, for the rings of the vchans it serves (lazily allocated: untouched pages cost nothing). */
export const DOM0_RAM_MIB = 256;

const SP = 2;

export class VmMonitor {
  readonly hv: Hypervisor;
  readonly xen: XenServices;
  /** dom0's RAM for the vchans it serves (qrexec calls it makes), after its grant-table frames. */
  readonly dom0Frames: FrameRange;
  /** Slot addresses for dom0's client mappings (it reaches the frames host-side). */
  readonly dom0Slots = new FrameRange(GRANT_MAP_WINDOW_BASE, GRANT_MAP_WINDOW_SIZE / FRAME_SIZE);
  /** A data port a call restored after a restart still uses (dom0's port table must not give it out). */
  onKeptDataPort: (server: number, client: number, port: number) => void = () => undefined;
  /** Called when a guest's own qrexec call ends (for the call's event). */
  onGuestCall: (domid: number, ident: string, outcome: CallOutcome) => void = () => undefined;
  private readonly live = new Map<number, VmInstance>();
  private readonly domids: Domids;
  private readonly builder: DomainBuilder;
  private readonly saving: DomainRestore;

  /** `cpus`: CPU workers for the vCPUs (0: the event loop runs them). */
  constructor(cpus = 0) {
    this.hv = new Hypervisor(GuestMemory.ofMiB(DOM0_RAM_MIB), { cpus });
    this.xen = new XenServices(this.hv, {
      eventPending: (domid) => this.live.get(domid)?.raise(Wake.EVENT),
      watchFired: (domid, path, token) => this.live.get(domid)?.watchFired(path, token),
    });
    const dom0Table = Array.from({ length: KERNEL_GRANT_FRAMES }, (_, i) => RAM_BASE + i * FRAME_SIZE);
    this.xen.grants.setupTable(0, 0, dom0Table);
    this.dom0Frames = new FrameRange(RAM_BASE + KERNEL_GRANT_FRAMES * FRAME_SIZE, (DOM0_RAM_MIB * 256) - KERNEL_GRANT_FRAMES);
    const selectors = new Selectors();
    const vmmEcSel = selectors.take();
    check(this.hv.createEc(this.hv.root, vmmEcSel, ROOT_PD_SEL, null, 0), 'create the VMM thread');
    this.domids = new Domids(this.hv);
    this.builder = new DomainBuilder(this.hv, this.xen, selectors, vmmEcSel, this.live, (domid, ident, outcome) => this.onGuestCall(domid, ident, outcome));
    this.saving = new DomainRestore(this.hv, this.xen, this.builder, this.live, this.domids, (s, c, p) => this.onKeptDataPort(s, c, p));
    this.hv.onUnhandledExit = (ec, exit, vector) =>
      this.live.get(ec.pd.id)?.end({ kind: 'crashed', reason: `no portal for exit vector 0x${vector.toString(16)} (${exit.reason})` });
    this.hv.onCpuLost = (_cpu, domains, reason) => {
      for (const pd of domains) this.live.get(pd.id)?.end({ kind: 'crashed', reason });
    };
  }

  instance(domid: number): VmInstance | undefined {
    return this.live.get(domid);
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
    const { instance, objects } = this.builder.shell(spec, loaded.space, { start: loaded.brkStart, limit: kernel.base });
    instance.process.random.restore(random.save());
    this.xen.introduce(spec.domid, spec.name, spec.maxEventChannels, spec.vmConfig);
    this.xen.grants.setupTable(spec.domid, spec.domid, kernel.grantTable);
    instance.startKernel(objects, this.builder.kernelEnv(instance), { fresh: { frames: kernel.frames, slots: agentSlots() } });
    const boot = instance.ecs[0].vcpu!;
    boot.pc = loaded.entry | 0;
    boot.x[SP] = loaded.sp | 0;
    this.hv.startEc(instance.ecs[0]);
    return instance;
  }

  /** Suspend's first half: the capture (domain-restore.ts). */
  suspend(instance: VmInstance): SuspendCapture {
    return this.saving.suspend(instance);
  }

  /** Resume of a domain suspended in this process (domain-restore.ts). */
  resume(instance: VmInstance, saved: SavedKernel, paused = false): void {
    this.saving.resume(instance, saved, paused);
  }

  /** Resume after a manager restart: the domains built again from their files (domain-restore.ts). */
  restore(members: readonly RestoreMember[]): VmInstance[] {
    return this.saving.restore(members, (instance) => this.destroy(instance));
  }

  reserveDomid(domid: number): void {
    this.domids.reserve(domid);
  }

  unreserveDomid(domid: number): void {
    this.domids.unreserve(domid);
  }

  /** The lowest domid that is neither in use nor kept for a suspended VM, or null. */
  freeDomid(): number | null {
    return this.domids.free();
  }

  /** Ends the domain, running or suspended, and drops every capability the root held to its objects. */
  destroy(instance: VmInstance): void {
    this.saving.forget(instance.pd.id);
    instance.kernel?.stop();
    this.builder.tearDown(instance);
  }

  vchanHost(): VchanHost {
    return this.builder.vchanHost();
  }
}

/** The upper half of the grant-mapping window: the lower half is the guest's own (its grant mappings). */
function agentSlots(): FrameRange {
  return new FrameRange(GRANT_MAP_WINDOW_BASE + GRANT_MAP_WINDOW_SIZE / 2, GRANT_MAP_WINDOW_SIZE / FRAME_SIZE / 2);
}
