/** What the grant-table model needs of a domain (the kernel's PD implements it), and where mappings appear. */
import type { ForeignFrameWindow } from '../vcpu/foreign-frame-window.js';
import type { GuestMemory } from '../vcpu/guest-memory.js';

export { DOMID_SELF } from '../hypervisor/domid.js';

/** A domain as the grant-table model sees it. */
export interface GrantDomain {
  readonly domid: number;
  /** Guest RAM; null for a domain without RAM (the root PD, dom0, whose code is the host's). */
  readonly memory: GuestMemory | null;
  /** Xen's is_dying: no new grants are mapped from a dying domain. */
  readonly dying: boolean;
  /** dom0 (the control domain): may set up and query other domains' tables. */
  readonly privileged: boolean;
  /**
   * The window outside RAM where this domain's grant mappings appear (installed as its memory's
   * outside-RAM handler by the kernel). Without one, mappings exist only host-side
   * (GrantTables.mappedFrame), which is how dom0's TypeScript code reaches granted frames.
   */
  readonly foreignFrames?: ForeignFrameWindow | null;
}

export interface GrantDomainDirectory {
  domain(domid: number): GrantDomain | undefined;
}

/** Guest-physical range where a mapper's host_addr must lie: below RAM, 1 GiB, frame-aligned slots. */
export const GRANT_MAP_WINDOW_BASE = 0x4000_0000;
export const GRANT_MAP_WINDOW_SIZE = 0x4000_0000;

/** True when `addr` is a frame-aligned slot of the grant-mapping window. */
export const inGrantMapWindow = (addr: number): boolean =>
  Number.isInteger(addr) && addr >= GRANT_MAP_WINDOW_BASE && addr < GRANT_MAP_WINDOW_BASE + GRANT_MAP_WINDOW_SIZE &&
  (addr & 0xfff) === 0;
