/** Domain ids: the lowest free one for a new domain, and those kept for VMs suspended by an earlier run of the manager. */
import { MAX_DOMID } from '../../hypervisor/domid.js';
import type { Hypervisor } from '../../hypervisor/hypervisor.js';

export class Domids {
  /** Domain ids kept for VMs suspended by an earlier run of the manager: a resume needs its own back. */
  private readonly reserved = new Set<number>();

  constructor(private readonly hv: Hypervisor) {}

  reserve(domid: number): void {
    this.reserved.add(domid);
  }

  unreserve(domid: number): void {
    this.reserved.delete(domid);
  }

  /** The lowest domid that is neither in use nor kept for a suspended VM, or null. */
  free(): number | null {
    for (let id = 1; id <= MAX_DOMID; id++) if (!this.hv.domain(id) && !this.reserved.has(id)) return id;
    return null;
  }
}
