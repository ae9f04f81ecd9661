import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { IMAGE_NAMES } from '../../../src/vmm/run-elf/image-path.js';
import { onPath } from './support/qemu.js';

describe.skipIf(!onPath('riscv64-unknown-elf-gcc'))('guest images', () => {
  it('rebuild byte-identical to the committed images', () => {
    const r = spawnSync('make', ['-s', '-C', 'guests', 'check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    for (const name of IMAGE_NAMES) expect(r.stdout).toContain(`${name}.elf: identical`);
    expect(r.status).toBe(0);
  });
});
