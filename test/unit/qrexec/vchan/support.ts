import { EventChannels } from '../../../../src/event-channels/event-channels.js';
import type { EvtchnDomain } from '../../../../src/event-channels/evtchn-domain.js';
import { libxenvchanClientInit } from '../../../../src/qrexec/vchan/client-init.js';
import { FrameRange } from '../../../../src/qrexec/vchan/frame-allocator.js';
import type { Libxenvchan } from '../../../../src/qrexec/vchan/libxenvchan.js';
import { libxenvchanServerInit } from '../../../../src/qrexec/vchan/server-init.js';
import type { VchanHost } from '../../../../src/qrexec/vchan/vchan-host.js';
import { GuestMemory } from '../../../../src/vcpu/guest-memory.js';
import { RAM_BASE } from '../../../../src/vcpu/memory-layout.js';
import { GRANT_MAP_WINDOW_BASE } from '../../../../src/grant-tables/grant-domain.js';
import { GrantTables } from '../../../../src/grant-tables/grant-tables.js';
import { XenStore } from '../../../../src/xenstore/xenstore.js';
import { seeded } from '../../../helpers/seeded.js';
import { TestGrantDomain } from '../../grant-tables/support.js';

/** Grant-table frames of each test domain (1024 refs) and the first frame the vchan may use. */
export const TABLE_FRAMES = [RAM_BASE + 0x1000, RAM_BASE + 0x2000];
export const FRAMES_BASE = RAM_BASE + 0x10000;
export const RAM_BYTES = 4 << 20;
export const WINDOW_SLOTS = 1024;

/** A grant-table test domain that event channels can reach too. */
export class VDomain extends TestGrantDomain implements EvtchnDomain {
  readonly vcpuCount = 1;
}

export interface World {
  host: VchanHost & { evtchn: EventChannels; grants: GrantTables; xenstore: XenStore };
  doms: Map<number, VDomain>;
  /** Per domain: the RAM frames its vchan servers may take. */
  frames: Map<number, FrameRange>;
  /** Per domain: its grant-mapping window slots. */
  slots: Map<number, FrameRange>;
  /** Event-channel ports (as "domid:port") whose pending bit went 0→1, in order. */
  events: string[];
  /** Work the test schedules between events (a slow reader's next bite). */
  tasks: (() => void)[];
  ends: Map<string, Libxenvchan>;
  server(domid: number, peer: number, port: number, leftMin: number, rightMin: number): Libxenvchan;
  client(domid: number, server: number, port: number): Libxenvchan;
  /** Delivers events (calling onEvent of the end owning the port) and runs tasks until nothing is left. */
  pump(maxSteps?: number): number;
  /** Runs at most `n` steps of the pump; true when nothing was left. */
  steps(n: number): boolean;
  kill(domid: number): void;
  /** Registers an end (after a restore) for event delivery. */
  register(end: Libxenvchan): void;
}

export function makeHost(doms: Map<number, VDomain>, events: string[]): World['host'] {
  const directory = { domain: (id: number) => doms.get(id) };
  const evtchn = new EventChannels(directory, { notify: () => undefined, pending: (d, p) => { events.push(`${d}:${p}`); } });
  return { evtchn, grants: new GrantTables(directory), xenstore: new XenStore() };
}

/** dom0 (no RAM, no window) and domains 1..n with 4 MiB of RAM, a two-frame grant table and a window. */
export function world(n = 2): World {
  const doms = new Map<number, VDomain>();
  const events: string[] = [];
  const host = makeHost(doms, events);
  const frames = new Map<number, FrameRange>();
  const slots = new Map<number, FrameRange>();
  doms.set(0, new VDomain(0, null));
  slots.set(0, new FrameRange(GRANT_MAP_WINDOW_BASE, WINDOW_SLOTS));
  host.xenstore.introduceDomain(0);
  for (let i = 1; i <= n; i++) {
    doms.set(i, new VDomain(i, new GuestMemory(RAM_BYTES)));
    host.grants.setupTable(i, i, TABLE_FRAMES);
    host.xenstore.introduceDomain(i);
    frames.set(i, new FrameRange(FRAMES_BASE, (RAM_BASE + RAM_BYTES - FRAMES_BASE) / 4096));
    slots.set(i, new FrameRange(GRANT_MAP_WINDOW_BASE, WINDOW_SLOTS));
  }
  return assemble(host, doms, events, frames, slots);
}

/** A world around existing parts (a fresh one, or one rebuilt from saved state). */
export function assemble(
  host: World['host'], doms: Map<number, VDomain>, events: string[], frames: Map<number, FrameRange>, slots: Map<number, FrameRange>,
): World {
  const ends = new Map<string, Libxenvchan>();
  const tasks: (() => void)[] = [];
  const w: World = {
    host, doms, frames, slots, events, tasks, ends,
    server(domid, peer, port, leftMin, rightMin) {
      const r = libxenvchanServerInit(host, { domid, peer, port, leftMin, rightMin, frames: frames.get(domid) ?? new FrameRange(FRAMES_BASE, 1) });
      if (!r.ok) throw new Error(`server init: ${JSON.stringify(r.error)}`);
      w.register(r.value);
      return r.value;
    },
    client(domid, server, port) {
      const r = libxenvchanClientInit(host, { domid, server, port, slots: slots.get(domid)! });
      if (!r.ok) throw new Error(`client init: ${JSON.stringify(r.error)}`);
      w.register(r.value);
      return r.value;
    },
    register(end) { ends.set(`${end.domid}:${end.port}`, end); },
    pump(maxSteps = 1_000_000) {
      let steps = 0;
      for (; steps < maxSteps; steps++) {
        const ev = events.shift();
        if (ev !== undefined) { ends.get(ev)?.onEvent(); continue; }
        const task = tasks.shift();
        if (task === undefined) return steps;
        task();
      }
      throw new Error('pump did not settle');
    },
    steps(n) {
      for (let i = 0; i < n; i++) {
        const ev = events.shift();
        if (ev !== undefined) { ends.get(ev)?.onEvent(); continue; }
        const task = tasks.shift();
        if (task === undefined) return true;
        task();
      }
      return events.length === 0 && tasks.length === 0;
    },
    kill(domid) {
      const d = doms.get(domid)!;
      d.dying = true;
      host.grants.domainDied(domid);
      host.evtchn.domainDied(domid);
      host.xenstore.domainDied(domid);
      doms.delete(domid);
      for (const [key, end] of ends) if (end.domid === domid) ends.delete(key);
    },
  };
  return w;
}

/** The tests' seeded generator: decisions inside a run, fixed by the run's seed. */
export { seeded as rng };

/** A deterministic byte pattern (xorshift) so large payloads need no fast-check arrays. */
export function pattern(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const next = seeded(seed);
  for (let i = 0; i < length; i++) out[i] = next() & 0xff;
  return out;
}

/** Appends chunks into one array. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

/** Minimum sizes that make a server pick exactly these orders (10/11 only as the in-page pair). */
export function minsFor(left: number, right: number): { leftMin: number; rightMin: number } {
  return { leftMin: 2 ** left, rightMin: 2 ** right };
}


/** Byte equality without vitest's element-wise deep compare (slow for large arrays). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
