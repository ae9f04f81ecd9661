/**
 * `cella run-elf` on programs linked as for Linux (guests/linux, built by guests/Makefile with the
 * cross compiler's default linker script) against qemu-riscv32: same stdout, same exit status.
 * And the paths qemu cannot run either: a directory, a file that cannot be read.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeElf32, wordsToBytes } from '../../../src/vcpu/elf/elf-writer.js';
import { RAM_BASE } from '../../../src/vcpu/memory-layout.js';
import { enc, li } from '../../../src/vcpu/rv32/encode.js';
import { HAVE_QEMU } from './support/qemu.js';

const LINUX = fileURLToPath(new URL('../../../guests/linux/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cella-linux-elf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run { stdout: Buffer; stderr: string; status: number | null }

/** Runs `cmd`; a process killed by a signal has the status a shell reports, 128 + the signal. */
function run(cmd: string[], input: string): Run {
  const r = spawnSync(cmd[0], cmd.slice(1), { input, maxBuffer: 1 << 24 });
  const status = r.signal ? 128 + constants.signals[r.signal] : r.status;
  return { stdout: r.stdout, stderr: r.stderr.toString(), status };
}

const cella = (args: string[], input = ''): Run => run([process.execPath, 'bin/cella.mjs', 'run-elf', ...args], input);
const qemu = (args: string[], input = ''): Run => run(['qemu-riscv32', ...args], input);

const CASES: { name: string; what: string; args: string[]; stdin: string }[] = [
  { name: 'probe', what: 'linked at 0x10000 by the default linker script: argv, data, bss, the break, stdin', args: ['one', 'two words'], stdin: 'line 1\nline 2 without newline' },
  { name: 'echo', what: 'a sample program linked at 0x10000', args: [], stdin: 'x'.repeat(10_000) },
  { name: 'probe-pie', what: 'a static-pie (ET_DYN) loaded at a base', args: ['pie'], stdin: 'from stdin\n' },
  { name: 'bss-rwx', what: 'an executable, writable segment with memsz > filesz', args: [], stdin: '' },
  { name: 'bss-rx', what: 'an executable, read-only segment with memsz > filesz (killed by SIGSEGV while loading)', args: [], stdin: '' },
];

describe.skipIf(!HAVE_QEMU)('cella run-elf runs Linux-linked programs as qemu-riscv32 does', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.what}`, () => {
      const path = join(LINUX, `${c.name}.elf`);
      const ref = qemu([path, ...c.args], c.stdin);
      const ours = cella([path, ...c.args], c.stdin);
      expect(ours.stderr.split('\n').filter((l) => l !== '').length, ours.stderr).toBeLessThanOrEqual(1);
      expect(ours.status).toBe(ref.status);
      expect(ours.stdout.toString()).toBe(ref.stdout.toString());
    });
  }

  it('probe\'s output is what its source says (so the comparison above compares something)', () => {
    const r = cella([join(LINUX, 'probe.elf'), 'a'], 'in');
    expect(r.stdout.toString()).toBe('probe: linked where Linux links programs\narg: a\ndata: initialised\nbss: zero\nbreak: 12 KiB written and read back\nin');
    expect(r.status).toBe(42);
  });
});

/** write(1, "ok\n") and exit(7), at `base`. */
const okAndExit = (base: number): number[] => [
  ...li(10, 1), ...li(11, base + 64), ...li(12, 3), ...li(17, 64), enc.ecall(), ...li(10, 7), ...li(17, 93), enc.ecall(),
];

function generated(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes, { mode: 0o755 });
  return path;
}

/** A program whose code is followed (at +64) by "ok\n", linked in RAM. */
function inRam(memsz: number | undefined): Uint8Array {
  const code = wordsToBytes(okAndExit(RAM_BASE));
  const bytes = new Uint8Array(68);
  bytes.set(code);
  bytes.set(new TextEncoder().encode('ok\n'), 64);
  return writeElf32(RAM_BASE, [{ vaddr: RAM_BASE, bytes, memsz, flags: 5 }]);
}

/** `inRam` with `n` program headers: the LOAD one last, PT_NULL before it, the code moved past them. */
function withPhnum(n: number): Uint8Array {
  const one = inRam(undefined);
  const out = new Uint8Array(0x2000 + 4096);
  out.set(one.subarray(0, 52));
  out.set(one.subarray(0x1000, 0x1000 + 68), 0x2000);
  const v = new DataView(out.buffer);
  v.setUint16(44, n, true);
  out.set(one.subarray(52, 84), 52 + 32 * (n - 1));
  v.setUint32(52 + 32 * (n - 1) + 4, 0x2000, true);
  return out;
}

describe.skipIf(!HAVE_QEMU)('ELF files Linux loads (or kills while loading) as qemu-riscv32 does', () => {
  const cases: [string, Uint8Array, number][] = [
    ['a read-only executable segment with memsz > filesz (SIGSEGV before the first instruction)', inRam(0x3000), 139],
    ['67 program headers', withPhnum(67), 7],
    ['128 program headers (one page of them)', withPhnum(128), 7],
  ];
  cases.forEach(([what, bytes, status], i) => {
    it(`${what}: exit ${status}`, () => {
      const path = generated(`gen-${i}.elf`, bytes);
      const ref = qemu([path]);
      const ours = cella([path]);
      expect(ref.status).toBe(status);
      expect(ours.status).toBe(ref.status);
      expect(ours.stdout.toString()).toBe(ref.stdout.toString());
    });
  });
});

describe('cella run-elf on paths that are not a runnable file', () => {
  // a shell reports 126 for these (qemu-riscv32 exits 1); the guest prints nothing either way
  it.skipIf(!HAVE_QEMU)('a directory: one line on stderr, exit 126, and no output as under qemu', () => {
    const ours = cella([dir]);
    expect(ours.status).toBe(126);
    expect(ours.stderr).toBe(`cella: ${dir}: is a directory\n`);
    expect(ours.stdout.toString()).toBe(qemu([dir]).stdout.toString());
    expect(run(['sh', '-c', dir], '').status).toBe(126);
  });

  it('a file that cannot be read: one line, exit 126', () => {
    const eio = cella(['/proc/self/mem']);
    expect(eio).toMatchObject({ status: 126, stderr: 'cella: /proc/self/mem: cannot be read (EIO)\n' });
    expect(eio.stdout.length).toBe(0);
  });

  it.skipIf(process.getuid?.() === 0)('a file without read permission: one line, exit 126', () => {
    const path = join(dir, 'no-read.elf');
    copyFileSync(join(LINUX, 'probe.elf'), path);
    chmodSync(path, 0o000);
    expect(cella([path])).toMatchObject({ status: 126, stderr: `cella: ${path}: permission denied\n` });
  });
});
