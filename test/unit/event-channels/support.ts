import { EventChannels } from '../../../src/event-channels/event-channels.js';
import type { EvtchnDomain } from '../../../src/event-channels/evtchn-domain.js';
import { GuestMemory } from '../../../src/vcpu/guest-memory.js';

export class TestDomain implements EvtchnDomain {
  dying = false;
  paused = false;
  constructor(
    readonly domid: number,
    public memory: GuestMemory | null,
    public vcpuCount = 2,
  ) {}
  get privileged(): boolean { return this.domid === 0; }
}

export interface World {
  ec: EventChannels;
  doms: Map<number, TestDomain>;
  /** notify(domid, vcpu) calls, as "d<domid>v<vcpu>". */
  notes: string[];
  /** pending(domid, port) calls. */
  pendings: string[];
  add(domid: number, vcpus?: number): TestDomain;
}

/** dom0 (no RAM) plus domains 1..n with `ramBytes` of RAM each (1 MiB by default). */
export function world(n = 2, ramBytes = 1 << 20): World {
  const doms = new Map<number, TestDomain>();
  const notes: string[] = [];
  const pendings: string[] = [];
  const ec = new EventChannels(
    { domain: (id) => doms.get(id) },
    { notify: (d, v) => { notes.push(`d${d}v${v}`); }, pending: (d, p) => { pendings.push(`d${d}p${p}`); } },
  );
  const add = (domid: number, vcpus = 2): TestDomain => {
    const d = new TestDomain(domid, domid === 0 ? null : new GuestMemory(ramBytes), vcpus);
    doms.set(domid, d);
    return d;
  };
  add(0, 0);
  for (let i = 1; i <= n; i++) add(i);
  return { ec, doms, notes, pendings, add };
}
