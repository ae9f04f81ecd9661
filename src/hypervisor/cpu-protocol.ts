/**
 * The messages between the scheduler (main thread) and a CPU worker. A vCPU's architectural state
 * goes to the worker with each run and comes back with its exit; guest memory and page tables are
 * shared buffers, sent once per worker (and again when a memory's backing was replaced).
 */
import type { VcpuExit } from '../vcpu/vcpu-exit.js';
import type { VcpuState } from '../vcpu/vcpu.persist.js';
import type { SharedSpaceTables } from '../vcpu/address-space.js';

/** A guest memory as a worker's replica is made from it (`buffer` only when the worker lacks it or it moved). */
export interface MemoryRef {
  readonly id: number;
  readonly size: number;
  readonly backing: number;
  readonly buffer?: SharedArrayBuffer;
  readonly marks?: Uint8Array;
}

/** An address space (its tables only the first time this worker sees it). */
export interface SpaceRef {
  readonly id: number;
  readonly generation: number;
  readonly shared?: SharedSpaceTables;
}

/** The grant-mapping window of a memory (sent when it changed since this worker last saw it). */
export interface WindowRef {
  readonly generation: number;
  readonly maps: readonly { readonly addr: number; readonly peer: MemoryRef; readonly peerAddr: number; readonly writable: boolean }[];
}

export type ToCpu =
  | {
      readonly t: 'run';
      readonly ec: number;
      readonly hart: number;
      readonly memory: MemoryRef;
      readonly space: SpaceRef;
      readonly window?: WindowRef;
      /** Frames whose compiled code is stale (written from another thread). */
      readonly drops: readonly number[] | null;
      readonly state: VcpuState;
      readonly budget: number;
    }
  | { readonly t: 'forget'; readonly ecs: readonly number[]; readonly spaces: readonly number[]; readonly memories: readonly number[] }
  /** Test hook: the worker dies as a bug in it would kill it. */
  | { readonly t: 'die'; readonly reason: string };

export type FromCpu = {
  readonly t: 'exit';
  readonly ec: number;
  readonly exit: VcpuExit;
  readonly state: VcpuState;
  /** Host milliseconds the run took on the worker. */
  readonly ms: number;
  /** Frames whose compiled code the worker dropped (its vCPU's stores, peers written through the grant window): memory id → frames. */
  readonly drops: readonly (readonly [number, readonly number[]])[] | null;
};
