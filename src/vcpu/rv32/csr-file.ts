/** The machine-mode CSRs of one hart, with their WARL rules. */
import {
  Csr, MIP_MASK, MISA_RV32IM, MSTATUS_MIE, MSTATUS_MPIE, MSTATUS_MPP, isKnownCsr, isReadOnlyCsr,
} from './csr-numbers.js';
import { timeTicks } from '../virtual-clock.js';

/** Plain-data state of the CSR file. */
export interface CsrState {
  mstatus: number; mtvec: number; mepc: number; mcause: number; mtval: number;
  mscratch: number; mie: number; mip: number; mhartid: number;
}

const low = (v: number): number => v | 0;
const high = (v: number): number => Math.floor(v / 4294967296) | 0;

export class CsrFile {
  mstatus = MSTATUS_MPP;
  mtvec = 0;
  mepc = 0;
  mcause = 0;
  mtval = 0;
  mscratch = 0;
  mie = 0;
  mip = 0;

  constructor(readonly mhartid: number) {}

  /** Value of CSR `num` when `instret` instructions have retired, or undefined if it does not exist. */
  read(num: number, instret: number): number | undefined {
    switch (num) {
      case Csr.MSTATUS: return this.mstatus | MSTATUS_MPP;
      case Csr.MISA: return MISA_RV32IM;
      case Csr.MEDELEG: case Csr.MIDELEG: return 0;
      case Csr.MIE: return this.mie;
      case Csr.MTVEC: return this.mtvec;
      case Csr.MSCRATCH: return this.mscratch;
      case Csr.MEPC: return this.mepc;
      case Csr.MCAUSE: return this.mcause;
      case Csr.MTVAL: return this.mtval;
      case Csr.MIP: return this.mip;
      case Csr.MHARTID: return this.mhartid;
      case Csr.MVENDORID: case Csr.MARCHID: case Csr.MIMPID: return 0;
      default: return this.readCounter(num, instret);
    }
  }

  private readCounter(num: number, instret: number): number | undefined {
    switch (num) {
      case Csr.CYCLE: case Csr.INSTRET: case Csr.MCYCLE: case Csr.MINSTRET: return low(instret);
      case Csr.CYCLEH: case Csr.INSTRETH: case Csr.MCYCLEH: case Csr.MINSTRETH: return high(instret);
      case Csr.TIME: return low(timeTicks(instret));
      case Csr.TIMEH: return high(timeTicks(instret));
      default: return undefined;
    }
  }

  /** True when CSR `num` exists and may be written (writes may still be ignored, WARL). */
  writable(num: number): boolean {
    return isKnownCsr(num) && !isReadOnlyCsr(num);
  }

  /** Writes CSR `num` (callers check `writable` first); WARL fields keep legal values only. */
  write(num: number, value: number): void {
    switch (num) {
      case Csr.MSTATUS: this.mstatus = (value & (MSTATUS_MIE | MSTATUS_MPIE)) | MSTATUS_MPP; break;
      case Csr.MIE: this.mie = value & MIP_MASK; break;
      case Csr.MTVEC: this.mtvec = (value & 3) >= 2 ? (value & ~3) | (this.mtvec & 3) : value | 0; break;
      case Csr.MSCRATCH: this.mscratch = value | 0; break;
      case Csr.MEPC: this.mepc = value & ~3; break;
      case Csr.MCAUSE: this.mcause = value | 0; break;
      case Csr.MTVAL: this.mtval = value | 0; break;
      default: break; // misa, medeleg, mideleg, mip (host-driven), counters: writes ignored
    }
  }

  save(): CsrState {
    const { mstatus, mtvec, mepc, mcause, mtval, mscratch, mie, mip, mhartid } = this;
    return { mstatus, mtvec, mepc, mcause, mtval, mscratch, mie, mip, mhartid };
  }

  restore(s: CsrState): void {
    this.mstatus = (s.mstatus & (MSTATUS_MIE | MSTATUS_MPIE)) | MSTATUS_MPP;
    this.mtvec = s.mtvec | 0; this.mepc = s.mepc & ~3; this.mcause = s.mcause | 0; this.mtval = s.mtval | 0;
    this.mscratch = s.mscratch | 0; this.mie = s.mie & MIP_MASK; this.mip = s.mip & MIP_MASK;
  }
}
