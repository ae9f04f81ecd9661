/** Numbers and names of the CSRs the vCPU implements (RISC-V privileged spec, machine mode). */

export const Csr = {
  MSTATUS: 0x300, MISA: 0x301, MEDELEG: 0x302, MIDELEG: 0x303, MIE: 0x304, MTVEC: 0x305,
  MSCRATCH: 0x340, MEPC: 0x341, MCAUSE: 0x342, MTVAL: 0x343, MIP: 0x344,
  MCYCLE: 0xb00, MINSTRET: 0xb02, MCYCLEH: 0xb80, MINSTRETH: 0xb82,
  CYCLE: 0xc00, TIME: 0xc01, INSTRET: 0xc02, CYCLEH: 0xc80, TIMEH: 0xc81, INSTRETH: 0xc82,
  MVENDORID: 0xf11, MARCHID: 0xf12, MIMPID: 0xf13, MHARTID: 0xf14,
} as const;

const NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(Csr).map(([name, num]) => [num, name.toLowerCase()]),
);

/** The CSR's name, or its number in hex when unknown. */
export function csrName(num: number): string {
  return NAMES.get(num) ?? '0x' + num.toString(16);
}

/** True when the CSR number is one the vCPU implements. */
export const isKnownCsr = (num: number): boolean => NAMES.has(num);

/** CSR numbers whose bits [11:10] are 0b11 are read-only. */
export const isReadOnlyCsr = (num: number): boolean => (num >>> 10) === 3;

/** mstatus bits kept by the vCPU (M-mode only: MPP reads as 3). */
export const MSTATUS_MIE = 1 << 3;
export const MSTATUS_MPIE = 1 << 7;
export const MSTATUS_MPP = 3 << 11;

/** Interrupt bits in mie/mip: machine software, timer and external. */
export const MIP_MSIP = 1 << 3;
export const MIP_MTIP = 1 << 7;
export const MIP_MEIP = 1 << 11;
export const MIP_MASK = MIP_MSIP | MIP_MTIP | MIP_MEIP;

/** misa for RV32IM: MXL=1, extensions I and M. */
export const MISA_RV32IM = (1 << 30) | (1 << 8) | (1 << 12);
