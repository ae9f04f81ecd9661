/** An execution context (NOVA EC): a vCPU of a PD, or a local thread of the VMM that portals run on. */
import { createActor, type Actor } from 'xstate';
import type { Vcpu } from '../../vcpu/vcpu.js';
import { vcpuMachine, type VcpuEvent, type VcpuRunState } from '../../vcpu/vcpu-machine.js';
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
  private readonly actor: Actor<typeof vcpuMachine>;

  constructor(
    readonly id: number,
    readonly pd: Pd,
    /** The vCPU this EC runs; null for a local thread (portal handler). */
    readonly vcpu: Vcpu | null,
    /** Event selector base: exits go to the portal at evtBase + exit vector in the PD's space. */
    readonly evtBase: number,
  ) {
    this.actor = createActor(vcpuMachine).start();
  }

  get state(): VcpuRunState {
    return this.actor.getSnapshot().value as VcpuRunState;
  }

  /** Drives the vCPU machine; returns false when the event does not apply in the current state. */
  send(event: VcpuEvent): boolean {
    const snapshot = this.actor.getSnapshot();
    if (!snapshot.can(event)) return false;
    this.actor.send(event);
    return true;
  }

  persisted(): unknown {
    return this.actor.getPersistedSnapshot();
  }
}
