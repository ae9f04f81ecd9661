/**
 * A CPU worker: runs vCPUs for the scheduler on the main thread, one at a time, each until its
 * next exit or the end of its budget. It keeps a replica of every guest memory, address space and
 * vCPU it ran: the same shared RAM and page tables as the main thread's objects, with compiled
 * code of its own. The vCPU's registers come with each run and go back with its exit, so the
 * main thread's vCPU object is the truth whenever the vCPU is not on a CPU.
 */
import { parentPort } from 'node:worker_threads';
import { AddressSpace } from '../vcpu/address-space.js';
import { ForeignFrameWindow } from '../vcpu/foreign-frame-window.js';
import { GuestMemory } from '../vcpu/guest-memory.js';
import { Vcpu } from '../vcpu/vcpu.js';
import type { FromCpu, MemoryRef, ToCpu, WindowRef } from './cpu-protocol.js';

const memories = new Map<number, GuestMemory>();
const spaces = new Map<number, AddressSpace>();
const vcpus = new Map<number, Vcpu>();
const windows = new Map<number, number>();

function memoryOf(ref: MemoryRef): GuestMemory {
  let m = memories.get(ref.id);
  if (m === undefined) {
    if (!ref.buffer || !ref.marks) throw new Error(`memory ${ref.id} was never sent to this CPU`);
    m = new GuestMemory(ref.size, { buffer: ref.buffer, marks: ref.marks });
    m.code.shared = true;
    m.backing = ref.backing;
    memories.set(ref.id, m);
  } else if (m.backing !== ref.backing && ref.buffer) {
    m.replaceBacking(ref.buffer);
    m.backing = ref.backing;
  }
  return m;
}

function windowInto(memory: GuestMemory, memoryId: number, w: WindowRef): void {
  if (windows.get(memoryId) === w.generation) return;
  const window = new ForeignFrameWindow();
  for (const m of w.maps) window.map(m.addr, memoryOf(m.peer), m.peerAddr, m.writable);
  memory.outside = window;
  windows.set(memoryId, w.generation);
}

function run(msg: Extract<ToCpu, { t: 'run' }>): FromCpu {
  const memory = memoryOf(msg.memory);
  if (msg.window) windowInto(memory, msg.memory.id, msg.window);
  if (msg.drops) for (const f of msg.drops) memory.code.dropFrame(f);
  let space = spaces.get(msg.space.id);
  if (space === undefined) {
    if (!msg.space.shared) throw new Error(`address space ${msg.space.id} was never sent to this CPU`);
    space = new AddressSpace(memory, msg.space.shared);
    spaces.set(msg.space.id, space);
  }
  space.generation = msg.space.generation;
  let vcpu = vcpus.get(msg.ec);
  if (vcpu === undefined || vcpu.space !== space) {
    vcpu = new Vcpu(space, msg.hart);
    vcpus.set(msg.ec, vcpu);
  }
  vcpu.restore(msg.state);
  const t0 = performance.now();
  const exit = vcpu.run(msg.budget);
  const ms = performance.now() - t0;
  // code this worker dropped (its vCPU's stores, a peer written through a grant): the main thread's caches drop it too
  let drops: [number, number[]][] | null = null;
  for (const [id, m] of memories) {
    const d = m.code.takeDrops();
    if (d) (drops ??= []).push([id, d]);
  }
  return { t: 'exit', ec: msg.ec, exit, state: vcpu.save(), ms, drops };
}

parentPort!.on('message', (msg: ToCpu) => {
  switch (msg.t) {
    case 'run':
      parentPort!.postMessage(run(msg));
      return;
    case 'forget':
      for (const ec of msg.ecs) vcpus.delete(ec);
      for (const s of msg.spaces) spaces.delete(s);
      for (const m of msg.memories) {
        memories.delete(m);
        windows.delete(m);
      }
      return;
    case 'die':
      throw new Error(msg.reason);
  }
});
