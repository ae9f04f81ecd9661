import { describe, expect, it } from 'vitest';
import { DOMID_SELF } from '../../../src/event-channels/evtchn-domain.js';
import { EventChannels } from '../../../src/event-channels/event-channels.js';
import { formatLsevtchn } from '../../../src/event-channels/lsevtchn.js';
import type { EventChannelsState } from '../../../src/event-channels/event-channels.persist.js';
import { VIRQ } from '../../../src/event-channels/virq.js';
import { restoreGuestMemory, saveGuestMemory } from '../../../src/vcpu/guest-memory.persist.js';
import { RAM_BASE } from '../../../src/vcpu/memory-layout.js';
import { TestDomain, world, type World } from './support.js';

function populated(): World {
  const w = world(3);
  w.ec.addDomain(3, { maxEventChannels: 40 });
  const a = w.ec.allocUnbound(1, DOMID_SELF, 2);
  w.ec.bindInterdomain(2, 1, a);
  w.ec.allocUnbound(3, DOMID_SELF, 1);
  w.ec.bindVirq(1, VIRQ.TIMER, 1);
  w.ec.bindVirq(0, VIRQ.DOM_EXC, 0);
  w.ec.bindIpi(2, 1);
  w.ec.registerSharedInfo(1, RAM_BASE + 0x4000);
  w.ec.table(2)!.sharedInfo.setMask(3);
  w.ec.send(2, 2);
  w.ec.send(1, a);
  return w;
}

/** A fresh world whose domains have the saved memories restored. */
function reload(w: World): { w2: World; state: EventChannelsState } {
  const state = JSON.parse(JSON.stringify(w.ec.save())) as EventChannelsState;
  const w2 = world(0);
  for (const [id, d] of w.doms) {
    if (id === 0) continue;
    w2.doms.set(id, new TestDomain(id, d.memory && restoreGuestMemory(saveGuestMemory(d.memory)), d.vcpuCount));
  }
  w2.ec.restore(state);
  return { w2, state };
}

describe('save and restore', () => {
  it('restores the same ports, bindings, limits and bits', () => {
    const w = populated();
    const { w2, state } = reload(w);
    for (const id of [0, 1, 2, 3]) expect(w2.ec.list(id)).toEqual(w.ec.list(id));
    expect(w2.ec.table(3)!.limit).toBe(41);
    expect(w2.ec.save()).toEqual(state);
    expect(w2.ec.bindVirq(1, VIRQ.TIMER, 1)).toBe(-17);
    expect(w2.ec.bindVirq(0, VIRQ.DOM_EXC, 0)).toBe(-17);
  });

  it('keeps working after restore exactly like the original', () => {
    const w = populated();
    const { w2 } = reload(w);
    for (const x of [w, w2]) {
      x.notes.length = 0;
      x.ec.send(2, 1);
      x.ec.unmask(2, 3);
      x.ec.domainDied(3);
      x.ec.close(1, 1);
    }
    expect(w2.notes).toEqual(w.notes);
    for (const id of [0, 1, 2]) expect(w2.ec.list(id)).toEqual(w.ec.list(id));
  });

  it('refuses a state whose interdomain pairs do not point back, or names an unknown domain', () => {
    const w = populated();
    const state = w.ec.save();
    const bad = structuredClone(state);
    bad.domains[2]!.ports[0]!.remotePort = 9;
    expect(() => new EventChannels({ domain: (id) => w.doms.get(id) }, { notify: () => undefined }).restore(bad)).toThrow(/point back/);
    expect(() => new EventChannels({ domain: () => undefined }, { notify: () => undefined }).restore(state)).toThrow(/no such domain/);
    const junk = { domains: [{ domid: 1 }], virqHandlers: [] } as unknown as EventChannelsState;
    expect(() => new EventChannels({ domain: (id) => w.doms.get(id) }, { notify: () => undefined }).restore(junk)).toThrow();
  });
});

describe('lsevtchn', () => {
  it('lists every port in use with state, vCPU, peer or VIRQ, pending and masked', () => {
    const w = populated();
    expect(w.ec.list(2)).toEqual([
      { port: 0, state: 'reserved', notifyVcpu: 0, pending: false, masked: false },
      { port: 1, state: 'interdomain', notifyVcpu: 0, remoteDom: 1, remotePort: 1, pending: true, masked: false },
      { port: 2, state: 'ipi', notifyVcpu: 1, pending: true, masked: false },
    ]);
    expect(formatLsevtchn(1, w.ec.list(1))).toBe([
      'dom1    0: reserved    vcpu=0',
      'dom1    1: interdomain vcpu=0 dom=2 port=1',
      'dom1    2: virq        vcpu=1 virq=0',
    ].join('\n'));
    expect(w.ec.list(3)[1]).toMatchObject({ state: 'unbound', remoteDom: 1 });
    expect(w.ec.domains()).toEqual([0, 1, 2, 3]);
  });
});
