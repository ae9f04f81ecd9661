/** An execution context (NOVA EC): a vCPU of a PD, or a local thread of the VMM that portals run on. */
import type { Vcpu } from '../vcpu/vcpu.js';
import type { VcpuEvent, VcpuRunState } from '../vcpu/vcpu-machine.js';
import { VcpuStateCell } from '../vcpu/vcpu-state-table.js';
import type { KernelObject } from './capability.js';
import type { Pd } from './pd.js';
import type { Sc } from './sc.js';

export class Ec implements KernelObject {
  readonly type = 'ec' as const;
  alive = true;
  sc: Sc | null = null;
  /** Host time spent running this vCPU, in milliseconds (performance.now deltas). */
  hostMs = 0;
  /** A recall (ec_ctrl) is pending: the vCPU leaves the run loop at the next boundary. */
  recall = false;
  private readonly cell = new VcpuStateCell();

  constructor(
    readonly id: number,
    readonly pd: Pd,
    /** The vCPU this EC runs; null for a local thread (portal handler). */
    readonly vcpu: Vcpu | null,
    /** Event selector base: exits go to the portal at evtBase + exit vector in the PD's space. */
    readonly evtBase: number,
  ) {}

  get state(): VcpuRunState {
    return this.cell.state;
  }

  /** Drives the vCPU machine; returns false when the event does not apply in the current state. */
  send(event: VcpuEvent): boolean {
    return this.cell.send(event.type);
  }

  /** xstate's persisted snapshot of the vCPU machine (plain JSON, for a suspend file). */
  persisted(): unknown {
    return this.cell.persisted();
  }

  /** Takes a persisted snapshot's state (a resume from a file); false when the machine never reaches it. */
  restore(persisted: { value: unknown; context: unknown }): boolean {
    return this.cell.restore(persisted);
  }
}
