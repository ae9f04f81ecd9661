import { describe, expect, it } from 'vitest';
import { Csr, MIP_MEIP } from '../../../src/vcpu/rv32/csr-numbers.js';
import { TrapCause } from '../../../src/vcpu/rv32/trap-cause.js';
import { RAM_BASE } from '../../../src/vcpu/memory-layout.js';
import { wordsToBytes } from '../../../src/vcpu/elf/elf-writer.js';
import { DATA, R, bareMachine, enc, li } from './support/bare-machine.js';

/** t0 counts down from `n`, a0 accumulates; then ecall. */
const countdown = (n: number): number[] => [
  ...li(R.t0, n), enc.imm('addi', R.a0, 0, 0),
  enc.reg('add', R.a0, R.a0, R.t0), enc.imm('addi', R.t0, R.t0, -1), enc.branch('bne', R.t0, 0, -8),
  enc.ecall(),
];

describe('Vcpu.run', () => {
  it('retires exactly the budget and resumes where it stopped', () => {
    for (const threshold of [0, 2, 255]) {
      const { vcpu } = bareMachine(countdown(1000));
      vcpu.compileThreshold = threshold;
      expect(vcpu.run(1001)).toEqual({ reason: 'budget', retired: 1001 });
      expect(vcpu.instret).toBe(1001);
      const exit = vcpu.run(1e6);
      expect(exit).toMatchObject({ reason: 'ecall', retired: 2 + 3000 - 1001, pc: RAM_BASE + 20 });
      expect(vcpu.x[R.a0]).toBe(500500);
    }
  });

  it('stops at ECALL without retiring it until the host completes it', () => {
    const { vcpu } = bareMachine([...li(R.a7, 64), enc.ecall(), enc.imm('addi', R.a1, R.a0, 1), enc.ecall()]);
    expect(vcpu.run(100)).toMatchObject({ reason: 'ecall', pc: RAM_BASE + 4, retired: 1 });
    expect(vcpu.run(100)).toMatchObject({ reason: 'ecall', pc: RAM_BASE + 4, retired: 0 });
    vcpu.completeEcall(41);
    expect(vcpu.run(100)).toMatchObject({ reason: 'ecall', pc: RAM_BASE + 12 });
    expect(vcpu.x[R.a1]).toBe(42);
    expect(vcpu.instret).toBe(3);
  });

  it('exits with cause, pc and value on illegal instructions, bad accesses and bad jumps', () => {
    const cases: [number[], number, number, number][] = [
      [[0xffffffff], TrapCause.ILLEGAL_INSTRUCTION, 0, 0xffffffff],
      [[...li(R.t0, 0x1000), enc.load('lw', R.a0, R.t0, 4)], TrapCause.LOAD_ACCESS_FAULT, 8, 0x1004],
      [[...li(R.t0, 0x1000), enc.store('sb', R.a0, R.t0, -1)], TrapCause.STORE_ACCESS_FAULT, 8, 0xfff],
      [[...li(R.t0, RAM_BASE + 0x102), enc.jalr(R.ra, R.t0, 0)], TrapCause.INSTRUCTION_ADDRESS_MISALIGNED, 8, RAM_BASE + 0x102],
      [[...li(R.t0, 0x4000), enc.jalr(0, R.t0, 0)], TrapCause.INSTRUCTION_ACCESS_FAULT, 0x4000, 0x4000],
    ];
    for (const [code, cause, pc, tval] of cases) {
      const { vcpu } = bareMachine(code);
      const at = pc >= 0x1000 ? pc : RAM_BASE + pc;
      expect(vcpu.run(100)).toMatchObject({ reason: 'fault', cause, pc: at, tval });
    }
  });

  it('reports EBREAK as a breakpoint exit', () => {
    const { vcpu } = bareMachine([enc.imm('addi', R.a0, 0, 1), enc.ebreak()]);
    expect(vcpu.run(10)).toMatchObject({ reason: 'breakpoint', pc: RAM_BASE + 4, retired: 1 });
  });

  it('serves misaligned loads and stores in RAM', () => {
    const { vcpu, memory } = bareMachine([...li(R.t0, DATA + 1), ...li(R.t1, 0x11223344),
      enc.store('sw', R.t1, R.t0, 0), enc.load('lhu', R.a0, R.t0, 1), enc.ecall()]);
    vcpu.run(100);
    expect(memory.readU32(DATA)).toBe(0x22334400);
    expect(vcpu.x[R.a0]).toBe(0x2233);
  });

  it('takes exceptions through mtvec when the guest set one, and MRET returns', () => {
    const handler = 0x40;
    const code = [...li(R.t0, RAM_BASE + handler), enc.csr('csrrw', 0, Csr.MTVEC, R.t0), 0x0, enc.ecall()];
    const words = [...code, ...new Array(handler / 4 - code.length).fill(0x13),
      enc.csr('csrrs', R.a0, Csr.MCAUSE, 0), enc.csr('csrrs', R.a1, Csr.MEPC, 0), enc.csr('csrrs', R.a2, Csr.MTVAL, 0),
      enc.imm('addi', R.t1, R.a1, 4), enc.csr('csrrw', 0, Csr.MEPC, R.t1), enc.mret()];
    const { vcpu } = bareMachine(words);
    expect(vcpu.run(100)).toMatchObject({ reason: 'ecall', pc: RAM_BASE + 16 });
    expect([vcpu.x[R.a0], vcpu.x[R.a1] >>> 0, vcpu.x[R.a2]]).toEqual([TrapCause.ILLEGAL_INSTRUCTION, RAM_BASE + 12, 0]);
  });

  it('gives up with a fault exit when the trap handler itself cannot be fetched', () => {
    const { vcpu } = bareMachine([...li(R.t0, 0x100), enc.csr('csrrw', 0, Csr.MTVEC, R.t0), 0x0]);
    expect(vcpu.run(100)).toMatchObject({ reason: 'fault', cause: TrapCause.INSTRUCTION_ACCESS_FAULT, pc: 0x100 });
  });

  it('returns at WFI and takes a pending enabled interrupt at the next run', () => {
    const handler = 0x40;
    const code = [...li(R.t0, RAM_BASE + handler), enc.csr('csrrw', 0, Csr.MTVEC, R.t0),
      ...li(R.t0, MIP_MEIP), enc.csr('csrrs', 0, Csr.MIE, R.t0), enc.csr('csrrsi', 0, Csr.MSTATUS, 8), enc.wfi(), enc.ecall()];
    const words = [...code, ...new Array(handler / 4 - code.length).fill(0x13),
      enc.csr('csrrs', R.a0, Csr.MCAUSE, 0), enc.csr('csrrs', R.a1, Csr.MEPC, 0), enc.ecall()];
    const { vcpu } = bareMachine(words);
    expect(vcpu.run(100)).toMatchObject({ reason: 'wfi' });
    expect(vcpu.run(100)).toMatchObject({ reason: 'ecall', pc: RAM_BASE + 4 * code.length - 4 });
    vcpu.completeEcall();
    vcpu.pc = (RAM_BASE + 4 * code.length - 4) | 0;
    vcpu.setInterruptPending(MIP_MEIP, true);
    expect(vcpu.run(100)).toMatchObject({ reason: 'ecall', pc: RAM_BASE + handler + 8 });
    expect(vcpu.x[R.a0] >>> 0).toBe(0x8000000b);
    expect(vcpu.x[R.a1] >>> 0).toBe(RAM_BASE + 4 * code.length - 4);
    expect(vcpu.csr.read(Csr.MSTATUS, 0)! & 0x88).toBe(0x80);
  });

  it('implements the machine CSRs with their WARL rules and read-only counters', () => {
    const { vcpu } = bareMachine([
      enc.csr('csrrs', R.a0, Csr.MISA, 0), enc.csr('csrrs', R.a1, Csr.MHARTID, 0),
      enc.csr('csrrwi', 0, Csr.MSTATUS, 31), enc.csr('csrrs', R.a2, Csr.MSTATUS, 0),
      enc.csr('csrrwi', 0, Csr.MEDELEG, 31), enc.csr('csrrs', R.a3, Csr.MEDELEG, 0),
      enc.csr('csrrs', R.t0, Csr.INSTRET, 0), enc.csr('csrrs', R.t1, Csr.CYCLE, 0), enc.csr('csrrs', R.t2, Csr.TIME, 0),
      enc.csr('csrrw', 0, Csr.CYCLE, R.a0),
    ]);
    expect(vcpu.run(100)).toMatchObject({ reason: 'fault', cause: TrapCause.ILLEGAL_INSTRUCTION, pc: RAM_BASE + 36 });
    expect(vcpu.x[R.a0]).toBe(0x40001100);
    expect(vcpu.x[R.a1]).toBe(0);
    expect(vcpu.x[R.a2]).toBe(0x1808);
    expect(vcpu.x[R.a3]).toBe(0);
    expect([vcpu.x[R.t0], vcpu.x[R.t1], vcpu.x[R.t2]]).toEqual([6, 7, 8]);
  });

  it('runs code the guest just wrote over compiled code, with or without fence.i', () => {
    for (const fence of [true, false]) {
      // loop: a0 += 1 (patched to a0 += 100 on the 3rd pass), 5 passes
      const patch = enc.imm('addi', R.a0, R.a0, 100);
      const { vcpu } = bareMachine([
        ...li(R.t0, 5), ...li(R.s0, RAM_BASE + 36), ...li(R.s1, patch),
        enc.imm('addi', R.t1, R.t0, -3), enc.branch('bne', R.t1, 0, 8), enc.store('sw', R.s1, R.s0, 0),
        fence ? enc.fenceI() : enc.fence(),
        enc.imm('addi', R.a0, R.a0, 1), enc.imm('addi', R.t0, R.t0, -1), enc.branch('bne', R.t0, 0, -24), enc.ecall(),
      ]);
      vcpu.compileThreshold = 0;
      expect(vcpu.run(1000)).toMatchObject({ reason: 'ecall' });
      expect(vcpu.x[R.a0]).toBe(1 + 1 + 100 + 100 + 100);
    }
  });

  it('sees host writes into code it has compiled', () => {
    const { vcpu, memory } = bareMachine(countdown(10));
    vcpu.compileThreshold = 0;
    vcpu.run(1000);
    expect(vcpu.x[R.a0]).toBe(55);
    memory.write(RAM_BASE + 8, wordsToBytes([enc.reg('sub', R.a0, R.a0, R.t0)]));
    vcpu.pc = RAM_BASE | 0;
    vcpu.run(1000);
    expect(vcpu.x[R.a0]).toBe(-55);
  });

  it('saves to plain data and restores to run on as if never stopped', () => {
    const straight = bareMachine(countdown(300));
    straight.vcpu.run(1e6);
    const { vcpu, memory } = bareMachine(countdown(300));
    vcpu.run(377);
    const state = JSON.parse(JSON.stringify(vcpu.save()));
    const again = bareMachine([], 1);
    again.memory.write(RAM_BASE, memory.read(RAM_BASE, 64) as Uint8Array);
    again.vcpu.restore(state);
    again.vcpu.run(1e6);
    expect(again.vcpu.save()).toEqual(straight.vcpu.save());
  });
});
