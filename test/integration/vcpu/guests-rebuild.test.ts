import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { IMAGE_NAMES } from '../../../src/run-elf/image-path.js';
import { onPath } from './support/qemu.js';

describe.skipIf(!onPath('riscv64-unknown-elf-gcc'))('guest images', () => {
  it('rebuild byte-identical to the committed images, those linked as for Linux too', () => {
    const r = spawnSync('make', ['-s', '-C', 'guests', 'check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    for (const name of IMAGE_NAMES) expect(r.stdout).toContain(`${name}.elf: identical`);
    for (const name of ['probe', 'probe-pie', 'echo', 'idle', 'cpubench', 'qrexec-client-vm', 'bss-rwx', 'bss-rx']) expect(r.stdout).toContain(`linux/${name}.elf: identical`);
    expect(r.stdout).not.toContain('DIFFERS');
    expect(r.status).toBe(0);
  });
});
