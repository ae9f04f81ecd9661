import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RAM_BASE } from '../../../src/vcpu/memory-layout.js';
import { writeElf32, wordsToBytes } from '../../../src/vcpu/elf/elf-writer.js';
import { enc, li } from '../../../src/vcpu/rv32/encode.js';

const dir = mkdtempSync(join(tmpdir(), 'cella-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cella(args: string[], input = ''): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, ['bin/cella.mjs', 'run-elf', ...args], { input, encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function program(name: string, words: number[]): string {
  const path = join(dir, name);
  writeFileSync(path, writeElf32(RAM_BASE, [{ vaddr: RAM_BASE, bytes: wordsToBytes(words), flags: 5 }]));
  return path;
}

describe('cella run-elf', () => {
  it('runs a prebuilt image by name with stdin and stdout passed through', () => {
    expect(cella(['hello'])).toMatchObject({ stdout: 'Hello from a Cella guest!\n', status: 0 });
    expect(cella(['echo'], 'piped text\n')).toMatchObject({ stdout: 'piped text\n', status: 0 });
  });

  it('exits with the guest\'s status, and with 128+signal on a guest fault as a shell reports qemu', () => {
    expect(cella([program('exit7', [...li(17, 94), ...li(10, 7), enc.ecall()])]).status).toBe(7);
    const fault = cella([program('fault', [...li(5, 0x1000), enc.load('lw', 6, 5, 0)])]);
    expect(fault.status).toBe(139);
    expect(fault.stderr).toContain('load access fault at pc 0x80000008, tval 0x00001000');
  });

  it('stops at --max-instructions with status 124, and traces and counts on stderr', () => {
    const r = cella(['--max-instructions', '5', '--trace', '--stats', 'cpubench', '1']);
    expect(r.status).toBe(124);
    const trace = r.stderr.split('\n').filter((l) => /^[0-9a-f]{8}: /.test(l));
    expect(trace).toHaveLength(5);
    expect(trace[0]).toBe('80000000: auipc gp, 0x2');
    expect(r.stderr).toMatch(/instructions: 5\n/);
    const stats = cella(['--stats', 'hello']).stderr;
    expect(stats).toMatch(/MIPS: /);
    expect(stats).toMatch(/64 write +1\n/);
    expect(stats).toMatch(/94 exit_group +1\n/);
  });

  it('refuses missing programs and malformed files with a clear message', () => {
    expect(cella(['no-such-image'])).toMatchObject({ status: 127 });
    const bad = cella(['package.json']);
    expect(bad.status).toBe(126);
    expect(bad.stderr).toContain('not an ELF file (ELF_BAD_MAGIC)');
  });
});
