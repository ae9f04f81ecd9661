import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../../src/vcpu/address-space.js';
import { restoreAddressSpace, saveAddressSpace } from '../../../src/vcpu/address-space.persist.js';
import { restoreGuestMemory, saveGuestMemory } from '../../../src/vcpu/guest-memory.persist.js';
import { Vcpu } from '../../../src/vcpu/vcpu.js';
import { BufferInput, BufferOutput } from '../../../src/guest-kernel/buffer-endpoints.js';
import { stdioTable } from '../../../src/guest-kernel/fd-endpoint.js';
import { startGuestProgram, type GuestProgram } from '../../../src/guest-kernel/guest-program.js';
import { PvProcess } from '../../../src/guest-kernel/pv-process.js';
import { runToExit } from '../../../src/guest-kernel/run-to-exit.js';
import { SeededRandom } from '../../../src/guest-kernel/seeded-random.js';
import { IMAGES_DIR } from '../../../src/run-elf/image-path.js';

const image = new Uint8Array(readFileSync(`${IMAGES_DIR}cpubench.elf`));
const ARGS = ['cpubench', '4'];

function start(out: BufferOutput): GuestProgram {
  const p = startGuestProgram(image, { argv: ARGS, fds: stdioTable(new BufferInput(), out, out), memoryMiB: 4, seed: 3 });
  if ('code' in p) throw new Error(p.message);
  return p;
}

/** Saves everything to JSON text and builds a new program from it (fresh memory, page table, vCPU and process). */
function roundTrip(p: GuestProgram, out: BufferOutput): GuestProgram {
  const text = JSON.stringify({ memory: saveGuestMemory(p.memory), pages: saveAddressSpace(p.space), vcpu: p.vcpu.save(), process: p.process.save() });
  const state = JSON.parse(text);
  const memory = restoreGuestMemory(state.memory);
  const space = new AddressSpace(memory);
  restoreAddressSpace(space, state.pages);
  const vcpu = new Vcpu(space);
  vcpu.restore(state.vcpu);
  const fds = stdioTable(new BufferInput(), out, out);
  const process = new PvProcess(space, { fds, seed: 0, brk: state.process.brk });
  process.restore(state.process);
  return { memory, space, vcpu, process };
}

describe('save and restore of a running cpubench', () => {
  it('runs the same with a RAM size that is not a power of two (the other fast-path range check)', () => {
    const outs = [64, 3].map((mib) => {
      const out = new BufferOutput();
      const p = startGuestProgram(image, { argv: ARGS, fds: stdioTable(new BufferInput(), out, out), memoryMiB: mib });
      if ('code' in p) throw new Error(p.message);
      p.vcpu.compileThreshold = 0;
      expect(runToExit(p)).toEqual({ kind: 'exited', status: 0 });
      return [out.text(), p.vcpu.instret];
    });
    expect(outs[1]).toEqual(outs[0]);
  });

  it('at random instruction counts gives the same output and final state as an uninterrupted run', () => {
    const refOut = new BufferOutput();
    const ref = start(refOut);
    expect(runToExit(ref)).toEqual({ kind: 'exited', status: 0 });
    const total = ref.vcpu.instret;

    const rnd = new SeededRandom(99);
    for (let trial = 0; trial < 3; trial++) {
      const out = new BufferOutput();
      let p = start(out);
      const cuts = Array.from({ length: 4 }, () => rnd.next() % total).sort((a, b) => a - b);
      for (const cut of cuts) {
        expect(runToExit(p, { maxInstructions: cut - p.vcpu.instret })).toEqual({ kind: 'limit' });
        expect(p.vcpu.instret).toBe(cut);
        p = roundTrip(p, out);
      }
      expect(runToExit(p)).toEqual({ kind: 'exited', status: 0 });
      expect(out.text()).toBe(refOut.text());
      expect(p.vcpu.save()).toEqual(ref.vcpu.save());
      expect(p.process.save()).toEqual(ref.process.save());
      expect(saveGuestMemory(p.memory)).toEqual(saveGuestMemory(ref.memory));
    }
  });
});
