/**
 * The vCPU machine compiled into a transition table: xstate's own `transition()` explores every
 * reachable (state, context) of `vcpuMachine` once, at load time; the scheduler then moves a vCPU
 * by an array lookup. The machine stays the one definition; the table is how the hot path reads it
 * (an actor's send costs microseconds, and the scheduler moves vCPUs on every slice).
 */
import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import { vcpuMachine, type VcpuEvent, type VcpuRunState } from './vcpu-machine.js';

type Snapshot = SnapshotFrom<typeof vcpuMachine>;

export const VCPU_EVENTS = ['start', 'schedule', 'preempt', 'block', 'wake', 'pause', 'unpause', 'stop'] as const satisfies readonly VcpuEvent['type'][];
export type VcpuEventType = (typeof VCPU_EVENTS)[number];
const EVENT_INDEX = new Map<VcpuEventType, number>(VCPU_EVENTS.map((e, i) => [e, i]));

const keyOf = (s: Snapshot): string => JSON.stringify([s.value, s.context]);

function compile(): { next: Int16Array; values: VcpuRunState[]; snapshots: Snapshot[]; index: Map<string, number> } {
  const [initial] = initialTransition(vcpuMachine);
  const snapshots: Snapshot[] = [initial];
  const index = new Map([[keyOf(initial), 0]]);
  const edges: [number, number, number][] = [];
  for (let i = 0; i < snapshots.length; i++) {
    VCPU_EVENTS.forEach((type, e) => {
      if (!snapshots[i].can({ type })) return;
      const [after] = transition(vcpuMachine, snapshots[i], { type });
      const key = keyOf(after);
      if (!index.has(key)) {
        index.set(key, snapshots.length);
        snapshots.push(after);
      }
      edges.push([i, e, index.get(key)!]);
    });
  }
  const next = new Int16Array(snapshots.length * VCPU_EVENTS.length).fill(-1);
  for (const [from, e, to] of edges) next[from * VCPU_EVENTS.length + e] = to;
  return { next, values: snapshots.map((s) => s.value as VcpuRunState), snapshots, index };
}

const TABLE = compile();

/** The state of one vCPU under the table: an index into the compiled states. */
export class VcpuStateCell {
  private at = 0;

  get state(): VcpuRunState {
    return TABLE.values[this.at];
  }

  /** Applies `type`; false (and no change) when the current state does not take it. */
  send(type: VcpuEventType): boolean {
    const to = TABLE.next[this.at * VCPU_EVENTS.length + EVENT_INDEX.get(type)!];
    if (to < 0) return false;
    this.at = to;
    return true;
  }

  can(type: VcpuEventType): boolean {
    return TABLE.next[this.at * VCPU_EVENTS.length + EVENT_INDEX.get(type)!] >= 0;
  }

  /** xstate's persisted snapshot of the current state (plain JSON). */
  persisted(): unknown {
    return vcpuMachine.getPersistedSnapshot(TABLE.snapshots[this.at]);
  }

  /** Takes the state of a persisted snapshot; false when it is not one the machine reaches. */
  restore(persisted: { value: unknown; context: unknown }): boolean {
    const at = TABLE.index.get(JSON.stringify([persisted.value, persisted.context]));
    if (at === undefined) return false;
    this.at = at;
    return true;
  }
}

/** Reachable (state, context) combinations: for tests. */
export const COMPILED_STATE_COUNT = TABLE.values.length;
