/** A RISC-V RV32IM hart: registers, CSRs and counters, running guest code of an address space through compiled blocks. */
import type { AddressSpace } from './address-space.js';
import type { BlockFn } from './code-cache.js';
import type { GuestMemory } from './guest-memory.js';
import { StoreResult } from './guest-memory.js';
import { PTE, PTE_FRAME_MASK } from './page-table-entry.js';
import { JumpCache } from './jump-cache.js';
import { ACCESS_FAULT, type AccessSize } from './memory-layout.js';
import { compileBlock } from './rv32/block-compiler.js';
import { CsrFile } from './rv32/csr-file.js';
import { Csr, MIP_MASK, MIP_MEIP, MIP_MSIP, MSTATUS_MIE, MSTATUS_MPIE } from './rv32/csr-numbers.js';
import { BlockEvent } from './rv32/block-event.js';
import { TrapCause } from './rv32/trap-cause.js';
import { decode } from './rv32/decode.js';
import { endsBlock, isBranch } from './rv32/instruction.js';
import { execute } from './rv32/interpreter.js';
import type { VcpuExit } from './vcpu-exit.js';
import type { VcpuState } from './vcpu.persist.js';

/** Called before each instruction when tracing, with its pc (uint32). */
export type TraceFn = (pc: number) => void;

/** Below this budget, code not compiled yet is interpreted rather than compiled. */
const MIN_COMPILE_BUDGET = 16;

/** Traps in a row that retire nothing before the vCPU gives up with a fault exit (a double fault). */
const MAX_TRAPS_WITHOUT_PROGRESS = 3;

const RAM_BASE_I32 = -2147483648;

export class Vcpu {
  /** Integer registers x0..x31 (x0 stays 0). */
  readonly x = new Int32Array(32);
  /** Program counter as int32 (`pc >>> 0` is the address). */
  pc = RAM_BASE_I32;
  /** Retired instructions; also the cycle counter and the source of virtual time. */
  instret = 0;
  readonly csr: CsrFile;
  /** Set by compiled code for the run loop (BlockEvent). */
  event = 0;
  private cause = 0;
  private tval = 0;
  private trapsWithoutProgress = 0;
  /** Times a block entry runs interpreted before it is compiled (0: compile on first entry). */
  compileThreshold = 2;
  /** The memory the address space's frames belong to (its compiled code, its RAM views). */
  readonly memory: GuestMemory;
  /** The page table every fetch is translated through (compiled blocks read the space's keys). */
  readonly pt: Int32Array;
  private readonly jumps = new JumpCache<BlockFn<Vcpu>>();

  constructor(readonly space: AddressSpace, hartId = 0) {
    this.memory = space.memory;
    this.pt = space.pte;
    this.csr = new CsrFile(hartId);
  }

  /** Runs at most `budget` instructions; returns why it stopped. Pending enabled interrupts are taken first. */
  run(budget: number, trace?: TraceFn): VcpuExit {
    this.trapsWithoutProgress = 0;
    this.event = 0;
    this.jumps.validate(this.memory.code.generation, this.space.generation);
    this.takeInterrupt();
    let left = budget;
    while (left > 0) {
      let n: number;
      if (trace !== undefined) {
        trace(this.pc >>> 0);
        n = this.interpret(1);
      } else {
        n = this.runBlock(left);
      }
      left -= n;
      this.instret += n;
      if (this.event !== 0) {
        const exit = this.onEvent(budget - left, n);
        if (exit !== undefined) return exit;
      }
    }
    return { reason: 'budget', retired: budget - left };
  }

  /** Runs the compiled block at pc, or interprets up to the end of the basic block while it is cold. */
  private runBlock(left: number): number {
    let fn = this.jumps.get(this.pc);
    if (fn === undefined) {
      const o = this.fetchOffset(this.pc);
      if (o < 0) return 0;
      const cache = this.memory.code;
      fn = cache.lookup(o, this.pc, this.space.id) as BlockFn<Vcpu> | undefined;
      if (fn === undefined) {
        if (left < MIN_COMPILE_BUDGET || cache.warm(o) <= this.compileThreshold) return this.interpret(left);
        fn = compileBlock<Vcpu>(this.space, o, this.pc);
        cache.insert(o, this.pc, fn as BlockFn<unknown>, this.space.id);
      }
      this.jumps.set(this.pc, fn);
    }
    const n = fn(this.x, this, left);
    return n === 0 && this.event === 0 ? this.interpret(1) : n;
  }

  /** Interprets at most `max` instructions, stopping after a control transfer or system instruction. */
  private interpret(max: number): number {
    let n = 0;
    while (n < max) {
      const pc = this.pc;
      const o = this.fetchOffset(pc);
      if (o < 0) break;
      const inst = decode(this.memory.i32[o >> 2]);
      n += execute(this, inst, pc, n);
      if (this.event !== 0 || endsBlock(inst.op) || isBranch(inst.op)) break;
    }
    return n;
  }

  /** RAM offset of an instruction fetch at `pc` (through the page table), or -1 after raising the fetch exception. */
  private fetchOffset(pc: number): number {
    if ((pc & 3) !== 0) { this.raise(TrapCause.INSTRUCTION_ADDRESS_MISALIGNED, pc, pc); return -1; }
    const e = this.pt[pc >>> 12];
    if ((e & PTE.EXEC) === 0) { this.raise(TrapCause.INSTRUCTION_ACCESS_FAULT, pc, pc); return -1; }
    return (e & PTE_FRAME_MASK) | (pc & 0xfff);
  }

  private onEvent(retired: number, n: number): VcpuExit | undefined {
    const event = this.event;
    this.event = 0;
    if (n > 0) this.trapsWithoutProgress = 0;
    const pc = this.pc >>> 0;
    switch (event) {
      case BlockEvent.ECALL: return { reason: 'ecall', retired, pc };
      case BlockEvent.WFI: return { reason: 'wfi', retired, pc };
      case BlockEvent.CHECK_INTERRUPTS: this.takeInterrupt(); return undefined;
      default: return this.exception(retired);
    }
  }

  private exception(retired: number): VcpuExit | undefined {
    const pc = this.pc >>> 0;
    if (this.csr.mtvec !== 0 && ++this.trapsWithoutProgress < MAX_TRAPS_WITHOUT_PROGRESS) {
      this.enterTrap(this.cause, this.tval, this.csr.mtvec & ~3);
      return undefined;
    }
    if (this.cause === TrapCause.BREAKPOINT) return { reason: 'breakpoint', retired, pc };
    return { reason: 'fault', retired, cause: this.cause, pc, tval: this.tval >>> 0 };
  }

  private enterTrap(cause: number, tval: number, target: number): void {
    const csr = this.csr;
    csr.mepc = this.pc & ~3;
    csr.mcause = cause | 0;
    csr.mtval = tval | 0;
    csr.mstatus = (csr.mstatus & MSTATUS_MIE ? MSTATUS_MPIE : 0) | (csr.mstatus & ~(MSTATUS_MIE | MSTATUS_MPIE));
    this.pc = target | 0;
  }

  /** Takes the highest-priority pending enabled interrupt (MEI, MSI, MTI), if interrupts are on. */
  private takeInterrupt(): void {
    const csr = this.csr;
    const pending = csr.mip & csr.mie & MIP_MASK;
    if (pending === 0 || (csr.mstatus & MSTATUS_MIE) === 0 || csr.mtvec === 0) return;
    const num = pending & MIP_MEIP ? 11 : pending & MIP_MSIP ? 3 : 7;
    const base = csr.mtvec & ~3;
    this.enterTrap(0x8000_0000 | num, 0, (csr.mtvec & 3) === 1 ? base + 4 * num : base);
  }

  // ---- host interface ----

  /** Sets or clears interrupt-pending bits in mip (e.g. MIP_MEIP for an event-channel upcall). */
  setInterruptPending(bits: number, pending: boolean): void {
    this.csr.mip = pending ? (this.csr.mip | bits) & MIP_MASK : this.csr.mip & ~bits;
  }

  /** Finishes the ECALL the vCPU stopped at: a0 = result (when given), pc past it, one more retired. */
  completeEcall(result?: number): void {
    if (result !== undefined) this.x[10] = result;
    this.pc = (this.pc + 4) | 0;
    this.instret += 1;
  }

  save(): VcpuState {
    return { pc: this.pc >>> 0, x: Array.from(this.x), csr: this.csr.save(), instret: this.instret };
  }

  restore(state: VcpuState): void {
    this.x.set(state.x.map((v) => v | 0));
    this.x[0] = 0;
    this.pc = state.pc | 0;
    this.csr.restore(state.csr);
    this.instret = state.instret;
    this.event = 0;
  }

  // ---- called by compiled blocks ----

  /** Slow-path load; on a fault records it and returns 0. */
  ld(addr: number, size: AccessSize, signed: number): number {
    const v = this.space.load(addr, size);
    if (v === ACCESS_FAULT) { this.fault(TrapCause.LOAD_ACCESS_FAULT, addr); return 0; }
    if (signed === 0 || size === 4) return v | 0;
    return size === 1 ? (v << 24) >> 24 : (v << 16) >> 16;
  }

  /** Slow-path store; returns non-zero when the block must stop (fault, or code was written). */
  st(addr: number, size: AccessSize, value: number): number {
    const r = this.space.store(addr, size, value);
    if (r === StoreResult.FAULT) this.fault(TrapCause.STORE_ACCESS_FAULT, addr);
    else if (r === StoreResult.CODE_WRITTEN) this.jumps.clear();
    return r;
  }

  /** After a store that stopped its block at `pc`: retired count, and the pc to go on from. */
  afterStore(pc: number, before: number): number {
    if (this.event !== 0) { this.pc = pc; return before; }
    this.pc = (pc + 4) | 0;
    return before + 1;
  }

  private fault(cause: number, tval: number): void {
    this.event = BlockEvent.EXCEPTION;
    this.cause = cause;
    this.tval = tval;
  }

  /** Raises exception `cause` at `pc`. */
  raise(cause: number, pc: number, tval: number): void {
    this.fault(cause, tval);
    this.pc = pc;
  }

  /** Executes a CSR instruction (`word`) with source value `src`; returns the old value for rd. */
  csrOp(word: number, src: number, pc: number, before: number): number {
    const f3 = (word >>> 12) & 3;
    const num = word >>> 20;
    const writes = f3 === 1 || ((word >>> 15) & 31) !== 0;
    const old = this.csr.read(num, this.instret + before);
    if (old === undefined || (writes && !this.csr.writable(num))) {
      this.raise(TrapCause.ILLEGAL_INSTRUCTION, pc, word);
      return 0;
    }
    if (writes) {
      this.csr.write(num, f3 === 1 ? src : f3 === 2 ? old | src : old & ~src);
      if (num === Csr.MSTATUS || num === Csr.MIE) this.event = BlockEvent.CHECK_INTERRUPTS;
    }
    return old | 0;
  }

  /** MRET: back to mepc with MIE restored from MPIE. */
  mret(): void {
    const csr = this.csr;
    csr.mstatus = (csr.mstatus & MSTATUS_MPIE ? MSTATUS_MIE : 0) | MSTATUS_MPIE | (csr.mstatus & ~MSTATUS_MIE);
    this.pc = csr.mepc | 0;
    this.event = BlockEvent.CHECK_INTERRUPTS;
  }

  /** FENCE.I: drop all compiled code of this memory. */
  fenceI(): void {
    this.memory.code.flush();
    this.jumps.clear();
  }
}
