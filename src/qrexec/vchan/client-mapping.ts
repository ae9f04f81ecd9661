/** The client's grant mappings (libvchan's gntdev maps) of the server's control page and ring frames. */
import type { GuestMemory } from '../../vcpu/guest-memory.js';
import { FRAME_SIZE } from '../../vcpu/memory-layout.js';
import { GNTMAP } from '../../grant-tables/grant-flags.js';
import { GNTST, gntStatusName } from '../../grant-tables/grant-status.js';
import type { FrameAllocator } from './frame-allocator.js';
import { vchanErr, vchanOk, type VchanResult } from './vchan-errors.js';
import type { VchanHost } from './vchan-host.js';

/** `handles.length` consecutive slots of the client's mapping window from `hostAddr`, slot i mapped as handles[i]. */
export interface MappedRun { hostAddr: number; handles: number[]; readonly: boolean }

export interface ClientMappingState { ctrl: MappedRun; left: MappedRun | null; right: MappedRun | null }

/** Where a mapped frame's bytes are: the granter's memory and the RAM offset of the frame in it. */
export interface FrameLocation { memory: GuestMemory; off: number }

export class ClientMapping {
  left: MappedRun | null = null;
  right: MappedRun | null = null;

  constructor(
    private readonly host: VchanHost,
    readonly domid: number,
    readonly server: number,
    private readonly slots: FrameAllocator,
    readonly ctrl: MappedRun,
  ) {}

  /** Maps the control page read/write. */
  static mapControl(host: VchanHost, domid: number, server: number, slots: FrameAllocator, ref: number): VchanResult<ClientMapping> {
    const run = mapRun(host, domid, server, slots, [ref], false);
    return run.ok ? vchanOk(new ClientMapping(host, domid, server, slots, run.value)) : run;
  }

  /** Maps a ring's frames: the client's write ring read/write, its read ring read-only. */
  mapRing(refs: readonly number[], readonly: boolean): VchanResult<MappedRun> {
    return mapRun(this.host, this.domid, this.server, this.slots, refs, readonly);
  }

  /** The bytes behind each mapping of a run (host code of the mapper reaches them this way, window or not). */
  locate(run: MappedRun): FrameLocation[] | undefined {
    const out: FrameLocation[] = [];
    for (const handle of run.handles) {
      const f = this.host.grants.mappedFrame(this.domid, handle);
      const off = f ? f.memory.offsetOf(f.addr, FRAME_SIZE) : -1;
      if (!f || off < 0 || (out.length > 0 && f.memory !== out[0]!.memory)) return undefined;
      out.push({ memory: f.memory, off });
    }
    return out;
  }

  /** Unmaps everything (rings first, then the control page) and gives the window slots back. */
  release(): void {
    for (const run of [this.left, this.right, this.ctrl]) if (run) unmapRun(this.host, this.domid, this.slots, run);
    this.left = this.right = null;
  }

  save(): ClientMappingState {
    const run = (r: MappedRun | null): MappedRun | null => (r ? { hostAddr: r.hostAddr, handles: [...r.handles], readonly: r.readonly } : null);
    return { ctrl: run(this.ctrl)!, left: run(this.left), right: run(this.right) };
  }

  static fromState(host: VchanHost, domid: number, server: number, slots: FrameAllocator, s: ClientMappingState): ClientMapping {
    const m = new ClientMapping(host, domid, server, slots, s.ctrl);
    m.left = s.left;
    m.right = s.right;
    return m;
  }
}

function mapRun(
  host: VchanHost, domid: number, server: number, slots: FrameAllocator, refs: readonly number[], readonly: boolean,
): VchanResult<MappedRun> {
  const hostAddr = slots.alloc(refs.length);
  if (hostAddr === undefined) return vchanErr('ENOMEM', 'map_grant_ref', `no run of ${refs.length} free window slots`);
  const flags = GNTMAP.host_map | (readonly ? GNTMAP.readonly : 0);
  const ops = refs.map((ref, i) => ({ hostAddr: hostAddr + i * FRAME_SIZE, flags, ref, dom: server }));
  const results = host.grants.mapGrantRef(domid, ops);
  const run: MappedRun = { hostAddr, handles: results.map((r) => r.handle), readonly };
  const bad = results.find((r) => r.status !== GNTST.okay);
  if (bad) {
    run.handles = results.map((r) => (r.status === GNTST.okay ? r.handle : -1));
    unmapRun(host, domid, slots, run);
    return vchanErr(`GNTST_${gntStatusName(bad.status) ?? 'general_error'}`, 'map_grant_ref', `mapping a grant of domain ${server} failed`);
  }
  return vchanOk(run);
}

function unmapRun(host: VchanHost, domid: number, slots: FrameAllocator, run: MappedRun): void {
  const ops = run.handles.flatMap((handle, i) => (handle < 0 ? [] : [{ hostAddr: run.hostAddr + i * FRAME_SIZE, devBusAddr: 0, handle }]));
  if (ops.length > 0) host.grants.unmapGrantRef(domid, ops);
  slots.free(run.hostAddr, run.handles.length);
}
