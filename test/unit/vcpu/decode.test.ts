import { describe, expect, it } from 'vitest';
import { decode } from '../../../src/vcpu/rv32/decode.js';
import { disassemble } from '../../../src/vcpu/rv32/disassemble.js';
import { enc } from '../../../src/vcpu/rv32/encode.js';
import { Op } from '../../../src/vcpu/rv32/instruction.js';

describe('decode', () => {
  it('decodes each format with sign-extended immediates', () => {
    expect(decode(enc.imm('addi', 10, 11, -5))).toMatchObject({ op: Op.ADDI, rd: 10, rs1: 11, imm: -5 });
    expect(decode(enc.store('sw', 5, 2, -2048))).toMatchObject({ op: Op.SW, rs1: 2, rs2: 5, imm: -2048 });
    expect(decode(enc.branch('bltu', 1, 2, -4096))).toMatchObject({ op: Op.BLTU, imm: -4096 });
    expect(decode(enc.jal(1, 0xffffe))).toMatchObject({ op: Op.JAL, rd: 1, imm: 0xffffe });
    expect(decode(enc.lui(3, 0xfffff000))).toMatchObject({ op: Op.LUI, imm: -4096 });
    expect(decode(enc.reg('mulhsu', 1, 2, 3))).toMatchObject({ op: Op.MULHSU, rd: 1, rs1: 2, rs2: 3 });
  });

  it('treats words outside RV32IM/Zicsr/Zifencei as illegal', () => {
    for (const w of [0, 0xffffffff, 0x4501, /* c.li */ 0x02b50533 | (0x7f << 25), /* slli shamt[5] */ 0x02051513,
      /* ld */ 0x0005b503, /* amoadd.w */ 0x00b5202f, /* sret */ 0x10200073, /* csrr funct3=4 */ 0x30004573]) {
      expect(decode(w).op, `0x${w.toString(16)}`).toBe(Op.ILLEGAL);
    }
  });

  it('disassembles to GNU mnemonics', () => {
    expect(disassemble(decode(enc.imm('addi', 10, 10, 1)), 0)).toBe('addi a0, a0, 1');
    expect(disassemble(decode(enc.load('lw', 5, 2, 8)), 0)).toBe('lw t0, 8(sp)');
    expect(disassemble(decode(enc.fenceI()), 0)).toBe('fence.i');
    expect(disassemble(decode(0), 0)).toBe('.word 0x0');
  });
});
