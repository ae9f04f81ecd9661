import { describe, expect, it } from 'vitest';
import { VCHAN_CLOSED, VCHAN_TOO_BIG } from '../../../../src/qrexec/vchan/vchan-errors.js';
import { VCHAN_IFACE, VCHAN_NOTIFY_READ, VCHAN_NOTIFY_WRITE } from '../../../../src/qrexec/vchan/vchan-interface.js';
import { RAM_BASE } from '../../../../src/vcpu/memory-layout.js';
import { pattern, world } from './support.js';

function pair(leftMin = 1024, rightMin = 2048) {
  const w = world();
  const s = w.server(1, 2, 512, leftMin, rightMin);
  const c = w.client(2, 1, 512);
  w.pump();
  w.events.length = 0;
  return { w, s, c, mem: w.doms.get(1)!.memory!, ctrl: s.share!.ctrl.gpa };
}

describe('stream I/O', () => {
  it('carries bytes both ways across the wrap of a 1 KiB in-page ring with free-running indexes', () => {
    const { s, c, mem, ctrl } = pair();
    const data = pattern(1, 3000);
    let sent = 0, got = 0;
    const out = new Uint8Array(3000);
    while (got < data.length) {
      sent += Math.max(0, c.write(data, sent, Math.min(700, data.length - sent)));
      got += Math.max(0, s.readInto(out, got, 333));
    }
    expect(out).toEqual(data);
    expect(mem.load(ctrl + VCHAN_IFACE.LEFT_PROD, 4)).toBe(3000);
    expect(mem.load(ctrl + VCHAN_IFACE.LEFT_CONS, 4)).toBe(3000);
    expect(s.write(pattern(2, 5000))).toBe(2048);
    expect(c.read(5000)).toEqual(pattern(2, 2048));
  });

  it('accepts what fits and says would-block / 0 when empty or full', () => {
    const { s, c } = pair(4096, 4096);
    expect(s.read(10)).toBe('would-block');
    expect(s.readInto(new Uint8Array(4))).toBe(0);
    expect(c.write(pattern(3, 5000))).toBe(4096);
    expect(c.write(pattern(3, 1))).toBe(0);
    expect(c.bufferSpace()).toBe(0);
    expect(s.dataReady()).toBe(4096);
    expect(s.read(100)).toEqual(pattern(3, 100));
    expect(c.bufferSpace()).toBe(100);
  });

  it('keeps the data only in the server\'s frames: the client reads what is in the server\'s RAM', () => {
    const { s, c, mem } = pair(65536, 65536);
    const ring = s.share!.right!.gpa;
    expect(s.write(new Uint8Array([1, 2, 3, 4]))).toBe(4);
    expect(mem.load(ring, 4)).toBe(0x04030201);
    mem.store(ring + 1, 1, 0x77);
    expect(c.read(4)).toEqual(new Uint8Array([1, 0x77, 3, 4]));
  });

  it('drops the server\'s compiled code for a ring frame it writes into', () => {
    const { s, c, mem } = pair(65536, 65536);
    const off = s.share!.left!.gpa - RAM_BASE;
    mem.code.insert(off, 0, () => 0);
    const gen = mem.code.generation;
    c.write(new Uint8Array([1]));
    expect(mem.code.marks[off >>> 12]).toBe(0);
    expect(mem.code.generation).toBe(gen + 1);
  });
});

describe('packet I/O', () => {
  it('sends all or nothing and receives exactly n or nothing', () => {
    const { s, c } = pair(4096, 8192);
    expect(c.send(pattern(4, 4000))).toBe(4000);
    expect(c.send(pattern(5, 100))).toBe(0);
    expect(c.send(pattern(5, 96))).toBe(96);
    expect(s.recv(4097)).toBe('too-big');
    expect(s.recvInto(new Uint8Array(5000), 0, 4097)).toBe(VCHAN_TOO_BIG);
    expect(c.send(new Uint8Array(4097))).toBe(VCHAN_TOO_BIG);
    expect(s.recv(4000)).toEqual(pattern(4, 4000));
    expect(s.recv(97)).toBe('would-block');
    const dst = new Uint8Array(200);
    expect(s.recvInto(dst, 100, 96)).toBe(96);
    expect(dst.subarray(100, 196)).toEqual(pattern(5, 96));
  });

  it('returns eof for a packet that can no longer complete once the peer is gone', () => {
    const { s, c } = pair(4096, 4096);
    c.send(new Uint8Array([1, 2, 3]));
    c.close();
    expect(s.recv(4)).toBe('eof');
    expect(s.recv(3)).toEqual(new Uint8Array([1, 2, 3]));
    expect(s.send(new Uint8Array([1]))).toBe(VCHAN_CLOSED);
  });
});

describe('notifications', () => {
  it('sends an event only when the peer armed the bit, once per arming', () => {
    const { w, s, c, mem, ctrl } = pair(4096, 4096);
    // The client armed srv_notify = WRITE when it connected.
    s.write(new Uint8Array([1]));
    expect(w.events).toEqual([`2:${c.port}`]);
    expect(mem.load(ctrl + VCHAN_IFACE.SRV_NOTIFY, 1)).toBe(0);
    s.write(new Uint8Array([2]));
    expect(w.events).toHaveLength(1);
    c.onEvent();
    expect(c.read(10)).toEqual(new Uint8Array([1, 2]));
    expect(c.read(10)).toBe('would-block');
    expect(mem.load(ctrl + VCHAN_IFACE.SRV_NOTIFY, 1)).toBe(VCHAN_NOTIFY_WRITE);
    s.write(new Uint8Array([3]));
    expect(w.events).toEqual([`2:${c.port}`, `2:${c.port}`]);
  });

  it('wakes a writer that found the ring full when the reader consumes', () => {
    const { w, s, c, mem, ctrl } = pair(4096, 4096);
    s.read(1);
    w.events.length = 0;
    expect(c.write(pattern(6, 5000))).toBe(4096);
    expect(mem.load(ctrl + VCHAN_IFACE.SRV_NOTIFY, 1) & VCHAN_NOTIFY_READ).toBe(VCHAN_NOTIFY_READ);
    const events: string[] = [];
    c.onWritable(() => events.push('writable'));
    const off = c.onReadable(() => events.push('readable'));
    s.read(10);
    expect(w.events.at(-1)).toBe(`2:${c.port}`);
    w.pump();
    expect(events).toEqual(['writable']);
    off();
    c.close();
    expect(w.events.at(-1)).toBe(`1:${s.port}`);
  });

  it('acknowledges its port in onEvent so that later events are delivered again', () => {
    const { w, s, c } = pair(4096, 4096);
    s.write(new Uint8Array([1]));
    expect(w.host.evtchn.isPending(2, c.port)).toBe(true);
    c.onEvent();
    expect(w.host.evtchn.isPending(2, c.port)).toBe(false);
  });
});

describe('peer domain death', () => {
  it('the server drains what a dead client wrote, then sees eof; writes fail', () => {
    const { w, s, c } = pair(4096, 4096);
    c.write(pattern(7, 300));
    const seen: string[] = [];
    s.onReadable(() => seen.push('readable'));
    w.events.length = 0;
    w.kill(2);
    expect(w.events).toEqual([]);
    s.onEvent();
    expect(seen).toEqual(['readable']);
    expect(s.isOpen()).toBe(false);
    expect(s.write(new Uint8Array([1]))).toBe(VCHAN_CLOSED);
    expect(s.read(1000)).toEqual(pattern(7, 300));
    expect(s.read(1000)).toBe('eof');
    s.close();
    expect(s.reclaim()).toBe(0);
    expect(w.frames.get(1)!.inUse()).toBe(0);
  });

  it('the client drains a dead server\'s ring from the frames it still maps, then sees eof', () => {
    const { w, s, c } = pair(65536, 65536);
    s.write(pattern(8, 40000));
    w.kill(1);
    expect(c.isOpen()).toBe(false);
    expect(c.write(new Uint8Array([1]))).toBe(VCHAN_CLOSED);
    expect(c.read(65536)).toEqual(pattern(8, 40000));
    expect(c.read(1)).toBe('eof');
    expect(w.host.grants.dump().find((d) => d.domid === 1)?.zombie).toBe(true);
    c.close();
    expect(w.host.grants.dump().find((d) => d.domid === 1)).toBeUndefined();
    expect(w.slots.get(2)!.inUse()).toBe(0);
  });
});

describe('before the client connects', () => {
  it('buffers the server\'s writes (cli_live 2 counts as open) and delivers them on connect', () => {
    const w = world();
    const s = w.server(1, 2, 512, 4096, 4096);
    expect(s.write(new Uint8Array([5, 6]))).toBe(2);
    const c = w.client(2, 1, 512);
    expect(c.read(5)).toEqual(new Uint8Array([5, 6]));
  });
});

describe('caller buffers', () => {
  it('clamps stream calls to the buffer and throws for a packet call whose buffer is too small', () => {
    const { s, c } = pair(4096, 4096);
    expect(c.write(new Uint8Array(10), 4, 100)).toBe(6);
    expect(s.readInto(new Uint8Array(3), 1, 50)).toBe(2);
    expect(() => c.send(new Uint8Array(10), 4, 7)).toThrow(RangeError);
    expect(() => s.recvInto(new Uint8Array(3), 0, 4)).toThrow(RangeError);
    expect(s.read(10)).toEqual(new Uint8Array(4));
  });
});
