import { describe, expect, it } from 'vitest';
import { RAM_BASE } from '../../../src/vcpu/memory-layout.js';
import { BufferInput, BufferOutput } from '../../../src/guest-kernel/buffer-endpoints.js';
import { Errno } from '../../../src/guest-kernel/errno.js';
import { stdioTable } from '../../../src/guest-kernel/fd-endpoint.js';
import { Hypercall } from '../../../src/guest-kernel/hypercall-numbers.js';
import { LinuxSyscall } from '../../../src/guest-kernel/linux-syscalls.js';
import { PvProcess } from '../../../src/guest-kernel/pv-process.js';
import { returns } from '../../../src/guest-kernel/syscall-outcome.js';
import { DATA, bareMachine, enc } from './support/bare-machine.js';

const BRK = RAM_BASE + 0x20000;

function machine(seed = 1, stdin = new BufferInput(new Uint8Array([1, 2, 3]))) {
  const { memory, vcpu } = bareMachine([enc.ecall()]);
  const out = new BufferOutput();
  const fds = stdioTable(stdin, out, out);
  const proc = new PvProcess(vcpu.space, { fds, seed, brk: { start: BRK, limit: BRK + 0x10000 } });
  const call = (nr: number, ...args: number[]) => {
    vcpu.pc = RAM_BASE | 0;
    vcpu.x[17] = nr;
    args.forEach((a, i) => { vcpu.x[10 + i] = a; });
    const outcome = proc.handleEcall(vcpu);
    return { outcome, a0: vcpu.x[10], pc: vcpu.pc >>> 0 };
  };
  return { memory, vcpu, proc, call, out, stdin };
}

describe('PvProcess', () => {
  it('moves the program break within its limits and zeroes released pages', () => {
    const { call, memory } = machine();
    expect(call(LinuxSyscall.brk, 0).a0 >>> 0).toBe(BRK);
    expect(call(LinuxSyscall.brk, BRK + 0x3000).a0 >>> 0).toBe(BRK + 0x3000);
    expect(call(LinuxSyscall.brk, BRK + 0x20000).a0 >>> 0).toBe(BRK + 0x3000);
    memory.write(BRK + 0x2000, new Uint8Array([5]));
    call(LinuxSyscall.brk, BRK + 0x1000);
    call(LinuxSyscall.brk, BRK + 0x3000);
    expect(memory.u8[BRK + 0x2000 - RAM_BASE]).toBe(0);
  });

  it('reads into guest memory, blocks when input would block, and completes the ECALL only when done', () => {
    const stdin = new BufferInput(new Uint8Array([1, 2, 3]), { open: true });
    const { call, memory, vcpu } = machine(1, stdin);
    expect(call(LinuxSyscall.read, 0, DATA, 2)).toMatchObject({ a0: 2, pc: RAM_BASE + 4 });
    expect(call(LinuxSyscall.read, 0, DATA + 2, 8)).toMatchObject({ a0: 1 });
    expect(Array.from(memory.read(DATA, 3) as Uint8Array)).toEqual([1, 2, 3]);
    const before = vcpu.instret;
    expect(call(LinuxSyscall.read, 0, DATA, 8)).toMatchObject({ outcome: { kind: 'block' }, pc: RAM_BASE });
    expect(vcpu.instret).toBe(before);
    stdin.close();
    expect(call(LinuxSyscall.read, 0, DATA, 8)).toMatchObject({ a0: 0 });
  });

  it('writes guest bytes to the fd endpoint and reports bad fds and buffers', () => {
    const { call, memory, out } = machine();
    memory.write(DATA, new TextEncoder().encode('hi!'));
    expect(call(LinuxSyscall.write, 1, DATA, 3).a0).toBe(3);
    expect(out.text()).toBe('hi!');
    expect(call(LinuxSyscall.write, 7, DATA, 3).a0).toBe(-Errno.EBADF);
    expect(call(LinuxSyscall.write, 1, 0x1000, 3).a0).toBe(-Errno.EFAULT);
  });

  it('answers clock_gettime64 from the virtual clock, 10 ns per retired instruction', () => {
    const { call, memory, vcpu } = machine();
    vcpu.instret = 250_000_123;
    expect(call(LinuxSyscall.clock_gettime64, 1, DATA).a0).toBe(0);
    expect([memory.readU32(DATA), memory.readU32(DATA + 4), memory.readU32(DATA + 8)]).toEqual([2, 0, 500_001_230]);
    expect(call(LinuxSyscall.clock_gettime64, 99, DATA).a0).toBe(-Errno.EINVAL);
  });

  it('gives deterministic random bytes per seed, and its generator state saves and restores', () => {
    const a = machine(7), b = machine(7), c = machine(8);
    for (const m of [a, b, c]) expect(m.call(LinuxSyscall.getrandom, DATA, 16, 0).a0).toBe(16);
    expect(a.memory.read(DATA, 16)).toEqual(b.memory.read(DATA, 16));
    expect(a.memory.read(DATA, 16)).not.toEqual(c.memory.read(DATA, 16));
    const saved = JSON.parse(JSON.stringify(a.proc.save()));
    a.call(LinuxSyscall.getrandom, DATA, 16, 0);
    c.proc.restore(saved);
    c.call(LinuxSyscall.getrandom, DATA, 16, 0);
    expect(c.memory.read(DATA, 16)).toEqual(a.memory.read(DATA, 16));
  });

  it('answers unknown syscalls and unregistered hypercalls with -ENOSYS and counts them', () => {
    const { call, proc } = machine();
    expect(call(222, 0).a0).toBe(-Errno.ENOSYS);
    expect(call(222, 0).a0).toBe(-Errno.ENOSYS);
    expect(call(Hypercall.evtchn_send, 1).a0).toBe(-Errno.ENOSYS);
    expect(proc.unknownCounts()).toEqual({ 222: 2, [Hypercall.evtchn_send]: 1 });
    expect(proc.syscallCounts()).toMatchObject({ 222: 2 });
  });

  it('dispatches hypercalls through its table, which later components extend', () => {
    const { call, proc } = machine();
    expect(call(Hypercall.version).a0).toBe(1);
    proc.hypercalls.register(Hypercall.evtchn_send, (_ctx, [port]) => returns(port * 2));
    expect(call(Hypercall.evtchn_send, 21).a0).toBe(42);
  });

  it('ends the process on exit_group with the low 8 bits of the status', () => {
    const { call, proc } = machine();
    expect(call(LinuxSyscall.exit_group, 0x1ff).outcome).toEqual({ kind: 'exit', status: 0xff });
    expect(proc.exitStatus).toBe(0xff);
  });
});
