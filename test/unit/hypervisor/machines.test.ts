import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { vcpuMachine } from '../../../src/vcpu/vcpu-machine.js';
import { refusal, vmMachine, type VmEvent } from '../../../src/vmm/lifecycle/vm-machine.js';

function vmAfter(events: VmEvent['type'][]) {
  const actor = createActor(vmMachine).start();
  for (const type of events) actor.send({ type } as VmEvent);
  return actor;
}

describe('VM lifecycle machine', () => {
  it.each([
    [[], 'halted'],
    [['start'], 'starting'],
    [['start', 'spawned'], 'running'],
    [['start', 'start-failed'], 'halted'],
    [['start', 'spawned', 'pause'], 'paused'],
    [['start', 'spawned', 'pause', 'unpause'], 'running'],
    [['start', 'spawned', 'shutdown'], 'halting'],
    [['start', 'spawned', 'shutdown', 'guest-ended'], 'halted'],
    [['start', 'spawned', 'shutdown', 'kill'], 'halted'],
    [['start', 'spawned', 'crash'], 'crashed'],
    [['start', 'spawned', 'crash', 'start'], 'starting'],
    [['start', 'spawned', 'pause', 'kill'], 'halted'],
    [['start', 'spawned', 'pause', 'shutdown'], 'paused'],
    [['start', 'spawned', 'start'], 'running'],
  ] as [VmEvent['type'][], string][])('%j ends in %s', (events, state) => {
    expect(vmAfter(events).getSnapshot().value).toBe(state);
  });

  it('names every refused command', () => {
    expect(vmAfter(['start', 'spawned']).getSnapshot().can({ type: 'start' })).toBe(false);
    expect(refusal('start', 'running')).toBe('Domain is already running');
    expect(refusal('shutdown', 'halted')).toBe('Domain is powered off');
    expect(refusal('unpause', 'running')).toBe('Domain is not paused');
    expect(refusal('shutdown', 'paused')).toBe('Domain is paused');
  });

  it('round-trips its persisted snapshot', () => {
    const snapshot = vmAfter(['start', 'spawned', 'pause']).getPersistedSnapshot();
    const restored = createActor(vmMachine, { snapshot: JSON.parse(JSON.stringify(snapshot)) }).start();
    expect(restored.getSnapshot().value).toBe('paused');
    restored.send({ type: 'unpause' });
    expect(restored.getSnapshot().value).toBe('running');
  });
});

describe('vCPU machine', () => {
  it('goes stopped → runnable ⇄ running → blocked → runnable', () => {
    const a = createActor(vcpuMachine).start();
    for (const [type, state] of [['start', 'runnable'], ['schedule', 'running'], ['preempt', 'runnable'], ['schedule', 'running'], ['block', 'blocked'], ['wake', 'runnable']] as const) {
      a.send({ type });
      expect(a.getSnapshot().value).toBe(state);
    }
  });

  it('remembers a blocked vCPU across a pause unless it was woken meanwhile', () => {
    const a = createActor(vcpuMachine).start();
    a.send({ type: 'start' });
    a.send({ type: 'schedule' });
    a.send({ type: 'block' });
    a.send({ type: 'pause' });
    a.send({ type: 'unpause' });
    expect(a.getSnapshot().value).toBe('blocked');
    a.send({ type: 'pause' });
    a.send({ type: 'wake' });
    a.send({ type: 'unpause' });
    expect(a.getSnapshot().value).toBe('runnable');
  });

  it('refuses events a state does not take', () => {
    const a = createActor(vcpuMachine).start();
    expect(a.getSnapshot().can({ type: 'schedule' })).toBe(false);
    expect(a.getSnapshot().can({ type: 'stop' })).toBe(true);
  });
});

describe('compiled vCPU state table', () => {
  it('agrees with the xstate actor on random event sequences', async () => {
    const fc = await import('fast-check');
    const { VcpuStateCell, VCPU_EVENTS, COMPILED_STATE_COUNT } = await import('../../../src/vcpu/vcpu-state-table.js');
    expect(COMPILED_STATE_COUNT).toBeGreaterThan(5);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...VCPU_EVENTS), { maxLength: 60 }), (events) => {
        const actor = createActor(vcpuMachine).start();
        const cell = new VcpuStateCell();
        for (const type of events) {
          const accepted = actor.getSnapshot().can({ type });
          expect(cell.send(type)).toBe(accepted);
          if (accepted) actor.send({ type });
          expect(cell.state).toBe(actor.getSnapshot().value);
        }
        const restored = new VcpuStateCell();
        expect(restored.restore(JSON.parse(JSON.stringify(cell.persisted())))).toBe(true);
        expect(restored.state).toBe(cell.state);
      }),
    );
  });
});
