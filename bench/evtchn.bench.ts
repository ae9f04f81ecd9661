/**
 * bench:evtchn: event round trips per second between two guest vCPUs (the ping/pong demo guests,
 * through the real scheduler), between TypeScript endpoints (two domains' ports, no guest), and
 * grant map+unmap per second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { GuestMemory } from '../src/vcpu/guest-memory.js';
import { GRANT_MAP_WINDOW_BASE } from '../src/grant-tables/grant-domain.js';
import { GNTMAP, GTF } from '../src/grant-tables/grant-flags.js';
import { Hypervisor, ROOT_PD_SEL } from '../src/hypervisor/hypervisor.js';
import { Store } from '../src/store/store.js';
import { Manager } from '../src/vmm/manager.js';
import { XenServices } from '../src/vmm/domain/xen-services.js';
import { ForeignFrameWindow } from '../src/vcpu/foreign-frame-window.js';
import { machine, today, writeSection } from './lib/report.js';

async function guestRoundTrips(manager: Manager, rounds: number, tag: string): Promise<number> {
  const ping = `ping-${tag}`;
  const pong = `pong-${tag}`;
  for (const [name, kernel, peer] of [[pong, 'pong', ping], [ping, 'ping', pong]]) {
    await manager.execute({ type: 'vm.create', name, klass: 'StandaloneVM', label: 'red', properties: { kernel, memory: 4, vcpus: 1 } });
    await manager.execute({ type: 'vm.feature.set', name, feature: 'vm-config.peer', value: peer });
    await manager.execute({ type: 'vm.feature.set', name, feature: 'vm-config.rounds', value: String(rounds) });
  }
  const t0 = performance.now();
  await manager.execute({ type: 'vm.start', name: pong });
  await manager.execute({ type: 'vm.start', name: ping });
  for (;;) {
    const states = await Promise.all([ping, pong].map(async (name) => (await manager.execute({ type: 'vm.get', name })).state));
    if (states.every((s) => s === 'halted')) break;
    await new Promise((r) => setImmediate(r));
  }
  return performance.now() - t0;
}

/** Two domains whose TypeScript code bounces an event back and forth. */
function tsRoundTrips(): Bench {
  const hv = new Hypervisor();
  let other = 0;
  const xen = new XenServices(hv, { eventPending: (domid, port) => (other = domid === 1 ? port : -port), watchFired: () => undefined });
  for (const domid of [1, 2]) {
    hv.createPd(hv.root, domid + 100, ROOT_PD_SEL, domid, `d${domid}`, GuestMemory.ofMiB(1));
    xen.introduce(domid, `d${domid}`, 1023, {});
  }
  const unbound = xen.evtchn.allocUnbound(1, 1, 2);
  const p2 = xen.evtchn.bindInterdomain(2, 1, unbound);
  const t1 = xen.evtchn.table(1)!;
  const t2 = xen.evtchn.table(2)!;
  t2.sharedInfo.clearPending(p2);
  const bench = new Bench({ time: 1000 });
  bench.add('TypeScript endpoints: send, see pending, clear, send back', () => {
    xen.evtchn.send(1, unbound);
    if (!t2.sharedInfo.isPending(p2)) throw new Error('not delivered');
    t2.sharedInfo.clearPending(p2);
    xen.evtchn.send(2, p2);
    t1.sharedInfo.clearPending(unbound);
  });
  void other;
  return bench;
}

function grantMaps(): Bench {
  const hv = new Hypervisor();
  const xen = new XenServices(hv, { eventPending: () => undefined, watchFired: () => undefined });
  for (const domid of [1, 2]) {
    hv.createPd(hv.root, domid + 100, ROOT_PD_SEL, domid, `d${domid}`, GuestMemory.ofMiB(1));
    const pd = hv.domain(domid)!;
    pd.foreignFrames = new ForeignFrameWindow();
    pd.memory!.outside = pd.foreignFrames;
    xen.introduce(domid, `d${domid}`, 1023, {});
  }
  const tableGpa = 0x8000_1000;
  xen.grants.setupTable(1, 1, [tableGpa]);
  const m = hv.domain(1)!.memory!;
  m.store(tableGpa + 8 * 8 + 2, 2, 2);
  m.store(tableGpa + 8 * 8 + 4, 4, 0x80010);
  m.store(tableGpa + 8 * 8, 2, GTF.permit_access);
  const bench = new Bench({ time: 1000 });
  bench.add('grant map + unmap (one frame)', () => {
    const [r] = xen.grants.mapGrantRef(2, [{ hostAddr: GRANT_MAP_WINDOW_BASE, flags: GNTMAP.host_map, ref: 8, dom: 1 }]);
    if (r.status !== 0) throw new Error(`map: ${r.status}`);
    xen.grants.unmapGrantRef(2, [{ hostAddr: GRANT_MAP_WINDOW_BASE, devBusAddr: 0, handle: r.handle }]);
  });
  return bench;
}

const dir = mkdtempSync(join(tmpdir(), 'cella-bench-evtchn-'));
try {
  const manager = await Manager.open(await Store.open(`file:${join(dir, 'cella.db')}`));
  const SMALL = 1_000;
  const LARGE = 101_000;
  const small = await guestRoundTrips(manager, SMALL, 'a');
  const large = await guestRoundTrips(manager, LARGE, 'b');
  const guestRate = ((LARGE - SMALL) * 1000) / (large - small);
  await manager.close();
  const ts = tsRoundTrips();
  await ts.run();
  const gm = grantMaps();
  await gm.run();
  const hz = (b: Bench) => Math.round((b.tasks[0].result as unknown as { throughput: { mean: number } }).throughput.mean);
  const markdown = `## Event channels and grants (bench:evtchn)

Measured ${today()} on ${machine()}, \`npm run bench:evtchn\`.

| what | figure |
|---|---|
| event round trips between two guest vCPUs (ping/pong demo guests: 64-byte message in a granted page, event-channel send and sched_poll each way) | **${Math.round(guestRate).toLocaleString('en')} per second** (${((large - small) / (LARGE - SMALL) * 1000).toFixed(1)} µs each; from runs of ${SMALL.toLocaleString('en')} and ${LARGE.toLocaleString('en')} rounds, start-up subtracted) |
| event round trips between TypeScript endpoints (send, pending bit seen and cleared, send back) | **${hz(ts).toLocaleString('en')} per second** |
| grant map + unmap of one frame (GNTTABOP_map_grant_ref + unmap_grant_ref, checks and pin counts included) | **${hz(gm).toLocaleString('en')} per second** |

A guest round trip is two hypercall exits for the sends, two blocking sched_polls, and the scheduler
switching between the two vCPUs: the figure is bounded by exits and the run loop, not by the event-channel model.`;
  console.log(markdown);
  writeSection('evtchn', markdown);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
