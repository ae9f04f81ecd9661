/** A protection domain (NOVA PD, Xen domain): guest memory, execution contexts and an object space. */
import type { ForeignFrameWindow } from '../vcpu/foreign-frame-window.js';
import type { GuestMemory } from '../vcpu/guest-memory.js';
import type { KernelObject } from './capability.js';
import { CapSpace } from './cap-space.js';
import type { Ec } from './ec.js';

export class Pd implements KernelObject {
  readonly type = 'pd' as const;
  alive = true;
  /** Set when the domain is being torn down (Xen's is_dying). */
  dying = false;
  readonly caps = new CapSpace();
  readonly ecs: Ec[] = [];
  /** Where other domains' granted frames appear in this domain (its memory's outside-RAM handler). */
  foreignFrames: ForeignFrameWindow | null = null;
  /** The host CPU its vCPUs run on (all of them: one domain's vCPUs take turns, so its run is deterministic). */
  cpu = 0;

  constructor(
    /** The domain id (Xen domid); 0 is the root PD, the VMM's own (dom0). */
    readonly id: number,
    readonly name: string,
    /** Guest RAM; the root PD has none. */
    readonly memory: GuestMemory | null,
  ) {}

  get domid(): number {
    return this.id;
  }

  get privileged(): boolean {
    return this.id === 0;
  }

  /** Paused by the controller: every vCPU is paused. */
  get paused(): boolean {
    return this.ecs.length > 0 && this.ecs.every((ec) => ec.vcpu === null || ec.state === 'paused');
  }

  get vcpuCount(): number {
    return this.ecs.filter((ec) => ec.vcpu !== null).length;
  }
}
