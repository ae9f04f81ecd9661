/** A portal (NOVA PT): the entry through which a vCPU's exits reach the VMM's handler. */
import type { VcpuExit } from '../vcpu/vcpu-exit.js';
import type { KernelObject } from './capability.js';
import type { Ec } from './ec.js';

/** What the handler decided about the vCPU that exited. */
export type ExitAction = 'resume' | 'block' | 'stop';

export type PortalHandler = (ec: Ec, exit: VcpuExit, pid: number) => ExitAction;

export class Pt implements KernelObject {
  readonly type = 'pt' as const;
  alive = true;
  /** Portal id, returned to the handler on every traversal (pt_ctrl sets it). */
  pid = 0;

  constructor(
    readonly id: number,
    /** The local EC of the VMM the portal is bound to. */
    readonly ec: Ec,
    readonly handler: PortalHandler,
    /** Message transfer descriptor: which state the handler sees (informational here). */
    readonly mtd: number,
  ) {}
}
