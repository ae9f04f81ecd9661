import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IMAGES_DIR } from '../../../src/run-elf/image-path.js';
import { SeededRandom } from '../../../src/guest-kernel/seeded-random.js';
import { HAVE_QEMU, runCella, runQemu } from './support/qemu.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

const CASES: { name: string; args: string[]; stdin: Uint8Array }[] = [
  { name: 'hello', args: [], stdin: new Uint8Array() },
  { name: 'echo', args: [], stdin: text('one line\nand another, without newline') },
  { name: 'echo', args: [], stdin: new SeededRandom(1).bytes(100_000) },
  { name: 'sha256sum', args: [], stdin: new Uint8Array() },
  { name: 'sha256sum', args: [], stdin: new SeededRandom(2).bytes(50_001) },
  { name: 'cpubench', args: ['3'], stdin: new Uint8Array() },
  { name: 'isa-digest', args: [], stdin: new Uint8Array() },
];

describe.skipIf(!HAVE_QEMU)('sample guests against qemu-riscv32', () => {
  for (const c of CASES) {
    it(`${c.name} ${c.args.join(' ')} (${c.stdin.length} bytes in) gives qemu's stdout and exit status`, () => {
      const path = `${IMAGES_DIR}${c.name}.elf`;
      const ref = runQemu(path, c.args, c.stdin);
      const ours = runCella(new Uint8Array(readFileSync(path)), c.args, c.stdin);
      expect(ours.status).toBe(ref.status);
      expect(ours.stdout.equals(ref.stdout), `stdout differs:\nqemu: ${ref.stdout.subarray(0, 300).toString()}\nours: ${ours.stdout.subarray(0, 300).toString()}`).toBe(true);
    });
  }
});
