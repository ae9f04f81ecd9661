/** The server's shared frames (libvchan's gntalloc share): control page and ring frames of its RAM, granted to the peer. */
import type { GuestMemory } from '../../vcpu/guest-memory.js';
import { FRAME_SIZE } from '../../vcpu/memory-layout.js';
import type { FrameAllocator } from './frame-allocator.js';
import { ringFrames, type RingOrders } from './ring-orders.js';
import { vchanErr, vchanOk, type VchanResult } from './vchan-errors.js';
import type { VchanHost } from './vchan-host.js';

/** `refs.length` consecutive frames from `gpa`, frame i granted as refs[i]. */
export interface SharedRun { gpa: number; refs: number[] }

/** A grant still mapped by the peer when the server let go: its frame is freed once the grant can end. */
export interface PendingGrant { ref: number; gpa: number }

export interface ServerShareState {
  ctrl: SharedRun;
  left: SharedRun | null;
  right: SharedRun | null;
  pending: PendingGrant[];
}

export class ServerShare {
  constructor(
    private readonly host: VchanHost,
    readonly domid: number,
    readonly memory: GuestMemory,
    private readonly frames: FrameAllocator,
    readonly ctrl: SharedRun,
    readonly left: SharedRun | null,
    readonly right: SharedRun | null,
    /** Grants that outlived release() (Linux's deferred end of foreign access). */
    readonly pending: PendingGrant[] = [],
  ) {}

  /** Allocates and zeroes the control frame and the ring frames, and grants each to `peer` writable. */
  static create(host: VchanHost, domid: number, peer: number, frames: FrameAllocator, orders: RingOrders): VchanResult<ServerShare> {
    const memory = host.grants.domain(domid)?.memory ?? null;
    if (memory === null) return vchanErr('EINVAL', 'frames', `domain ${domid} has no RAM to share`);
    const runs: SharedRun[] = [];
    const undo = (): void => { for (const run of runs) releaseRun(host, domid, frames, run, []); };
    for (const count of [1, ringFrames(orders.left), ringFrames(orders.right)]) {
      if (count === 0) { runs.push({ gpa: 0, refs: [] }); continue; }
      const run = shareRun(host, domid, peer, memory, frames, count);
      if (!run.ok) { undo(); return run; }
      runs.push(run.value);
    }
    const [ctrl, left, right] = runs as [SharedRun, SharedRun, SharedRun];
    return vchanOk(new ServerShare(host, domid, memory, frames, ctrl, left.refs.length ? left : null, right.refs.length ? right : null));
  }

  /** Ends every grant; frames whose grant is still mapped by the peer wait in `pending`. */
  release(): void {
    for (const run of [this.ctrl, this.left, this.right]) if (run) releaseRun(this.host, this.domid, this.frames, run, this.pending);
  }

  /** Retries the pending grants; returns how many are still mapped by the peer. */
  reclaim(): number {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const p = this.pending[i]!;
      if (this.host.grants.endForeignAccess(this.domid, p.ref)) {
        this.frames.free(p.gpa, 1);
        this.pending.splice(i, 1);
      }
    }
    return this.pending.length;
  }

  save(): ServerShareState {
    const run = (r: SharedRun | null): SharedRun | null => (r ? { gpa: r.gpa, refs: [...r.refs] } : null);
    return { ctrl: run(this.ctrl)!, left: run(this.left), right: run(this.right), pending: this.pending.map((p) => ({ ...p })) };
  }
}

/** One run of consecutive frames, zeroed (no stale data reaches the peer) and granted frame by frame. */
function shareRun(host: VchanHost, domid: number, peer: number, memory: GuestMemory, frames: FrameAllocator, count: number): VchanResult<SharedRun> {
  const gpa = frames.alloc(count);
  if (gpa === undefined) return vchanErr('ENOMEM', 'frames', `no run of ${count} free frames`);
  if (memory.offsetOf(gpa, count * FRAME_SIZE) < 0) {
    frames.free(gpa, count);
    return vchanErr('EINVAL', 'frames', `frames at 0x${gpa.toString(16)} are not RAM of domain ${domid}`);
  }
  memory.zero(gpa, count * FRAME_SIZE);
  const run: SharedRun = { gpa, refs: [] };
  for (let i = 0; i < count; i++) {
    const ref = host.grants.freeRef(domid);
    if (ref < 0 || !host.grants.grantAccess(domid, ref, peer, gpa + i * FRAME_SIZE, false)) {
      releaseRun(host, domid, frames, run, []);
      frames.free(gpa + run.refs.length * FRAME_SIZE, count - run.refs.length);
      return vchanErr('ENOSPC', 'grant', `no free grant ref in domain ${domid}'s table`);
    }
    run.refs.push(ref);
  }
  return vchanOk(run);
}

function releaseRun(host: VchanHost, domid: number, frames: FrameAllocator, run: SharedRun, pending: PendingGrant[]): void {
  run.refs.forEach((ref, i) => {
    const gpa = run.gpa + i * FRAME_SIZE;
    if (host.grants.endForeignAccess(domid, ref)) frames.free(gpa, 1);
    else pending.push({ ref, gpa });
  });
}
