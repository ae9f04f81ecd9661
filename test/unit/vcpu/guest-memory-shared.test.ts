import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../../src/vcpu/guest-memory.js';
import { FRAME_SIZE, RAM_BASE } from '../../../src/vcpu/memory-layout.js';

// a worker that writes its message's bytes at an offset of the RAM it is handed, then reads back a word the main thread wrote
const WRITER = `
const { parentPort, workerData } = require('node:worker_threads');
const u8 = new Uint8Array(workerData.ram);
const flag = new Int32Array(workerData.flag);
u8.set(workerData.bytes, workerData.off);
Atomics.store(flag, 0, 1); Atomics.notify(flag, 0);
Atomics.wait(flag, 0, 1);
parentPort.postMessage(u8[workerData.off + 8]);
`;

describe('guest memory across threads', () => {
  it('is one SharedArrayBuffer: a worker\'s store is the host\'s load, and the other way', async () => {
    const m = GuestMemory.ofMiB(1);
    expect(m.buffer).toBeInstanceOf(SharedArrayBuffer);
    const flag = new SharedArrayBuffer(4);
    const off = 3 * FRAME_SIZE + 16;
    const w = new Worker(WRITER, { eval: true, workerData: { ram: m.buffer, flag, off, bytes: new Uint8Array([1, 2, 3, 4]) } });
    const back = new Promise<number>((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
    const f = new Int32Array(flag);
    while (Atomics.load(f, 0) === 0) await new Promise((r) => setTimeout(r, 1));
    expect(m.readU32(RAM_BASE + off)).toBe(0x04030201);
    expect(m.writeU32(RAM_BASE + off + 8, 0x2a)).toBeUndefined();
    Atomics.store(f, 0, 2); Atomics.notify(f, 0);
    expect(await back).toBe(0x2a);
    await w.terminate();
  });

  it('keeps a shared backing through a suspend\'s sparse copy and refuses a private one', () => {
    const m = GuestMemory.ofMiB(1);
    m.writeU32(RAM_BASE + 2 * FRAME_SIZE, 7);
    const sparse = m.copyFrames([2]);
    expect(sparse).toBeInstanceOf(SharedArrayBuffer);
    const ram = m.buffer;
    m.replaceBacking(sparse);
    expect(m.readU32(RAM_BASE + 2 * FRAME_SIZE)).toBe(7);
    m.replaceBacking(ram);
    expect(() => m.replaceBacking(new ArrayBuffer(m.size) as unknown as SharedArrayBuffer)).toThrow(/SharedArrayBuffer/);
  });
});
