import { describe, expect, it } from 'vitest';
import { ForeignFrameWindow } from '../../../src/vcpu/foreign-frame-window.js';
import { RAM_BASE } from '../../../src/vcpu/memory-layout.js';
import { TrapCause } from '../../../src/vcpu/rv32/trap-cause.js';
import { GuestMemory } from '../../../src/vcpu/guest-memory.js';
import { R, bareMachine, enc, li } from './support/bare-machine.js';

const WINDOW = 0x4000_0000;

describe('ForeignFrameWindow', () => {
  it('lets a guest read and write a peer\'s frame in place, and faults writes to read-only mappings', () => {
    const peer = GuestMemory.ofMiB(1);
    peer.write(RAM_BASE + 0x3000, new Uint8Array([0x11, 0x22, 0x33, 0x44]));
    const { vcpu, memory } = bareMachine([
      ...li(R.t0, WINDOW), enc.load('lw', R.a0, R.t0, 0), ...li(R.t1, 0x5a), enc.store('sb', R.t1, R.t0, 5),
      ...li(R.t2, WINDOW + 0x1000), enc.load('lhu', R.a1, R.t2, 1), enc.store('sw', R.t1, R.t2, 0),
    ]);
    const window = new ForeignFrameWindow();
    memory.outside = window;
    expect(window.map(WINDOW, peer, RAM_BASE + 0x3000, true)).toBeUndefined();
    expect(window.map(WINDOW + 0x1000, peer, RAM_BASE + 0x3000, false)).toBeUndefined();
    expect(window.map(WINDOW, peer, RAM_BASE, true)).toMatchObject({ code: 'EBUSY' });
    expect(vcpu.run(100)).toMatchObject({ reason: 'fault', cause: TrapCause.STORE_ACCESS_FAULT, tval: WINDOW + 0x1000 });
    expect(vcpu.x[R.a0]).toBe(0x44332211);
    expect(peer.u8[0x3005]).toBe(0x5a);
    expect(vcpu.x[R.a1]).toBe(0x3322);
  });

  it('drops the peer\'s compiled code for a frame the guest writes through the window', () => {
    const peer = GuestMemory.ofMiB(1);
    peer.code.insert(0x3000, 0, () => 0);
    const window = new ForeignFrameWindow();
    window.map(WINDOW, peer, RAM_BASE + 0x3000, true);
    expect(window.write(WINDOW + 8, 4, 1)).toBe(true);
    expect(peer.code.lookup(0x3000, 0)).toBeUndefined();
    window.unmap(WINDOW);
    expect(window.read(WINDOW, 4)).toBe(-1);
  });
});
