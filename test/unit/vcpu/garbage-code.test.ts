import { describe, expect, it } from 'vitest';
import { RAM_BASE } from '../../../src/vcpu/memory-layout.js';
import { SeededRandom } from '../../../src/guest-kernel/seeded-random.js';
import { wordsToBytes } from '../../../src/vcpu/elf/elf-writer.js';
import { bareMachine } from './support/bare-machine.js';

/** Random words, biased towards valid opcodes so that decode paths past the opcode are reached. */
function garbage(rnd: SeededRandom, n: number): number[] {
  const opcodes = [0x37, 0x17, 0x6f, 0x67, 0x63, 0x03, 0x23, 0x13, 0x33, 0x0f, 0x73];
  return Array.from({ length: n }, () => {
    const w = rnd.next();
    return rnd.next() % 4 === 0 ? w : (w & ~0x7f) | opcodes[rnd.next() % opcodes.length];
  });
}

describe('arbitrary machine code', () => {
  it('never raises a host exception and retires the same instructions compiled or interpreted', () => {
    const rnd = new SeededRandom(5150);
    for (let trial = 0; trial < 300; trial++) {
      const code = garbage(rnd, 64);
      const results = [0, 255].map((threshold) => {
        const { vcpu, memory } = bareMachine(code);
        vcpu.compileThreshold = threshold;
        const exits: string[] = [];
        for (let k = 0; k < 20; k++) {
          const exit = vcpu.run(500);
          exits.push(exit.reason);
          if (exit.reason === 'ecall') vcpu.completeEcall(-38);
          else if (exit.reason === 'fault' || exit.reason === 'breakpoint') break;
        }
        return { exits, state: vcpu.save(), code: memory.read(RAM_BASE, 256) };
      });
      expect(results[0], `trial ${trial}: ${Buffer.from(wordsToBytes(code)).toString('hex')}`).toEqual(results[1]);
    }
  });
});
