/** --trace output: one line per instruction (pc and disassembly), buffered to a host fd. */
import { writeSync } from 'node:fs';
import type { AddressSpace } from '../vcpu/address-space.js';
import { decode } from '../vcpu/rv32/decode.js';
import { disassemble } from '../vcpu/rv32/disassemble.js';

const FLUSH_AT = 1 << 16;

export class TraceWriter {
  private lines: string[] = [];
  private size = 0;

  constructor(private readonly memory: AddressSpace, private readonly fd: number) {}

  /** Records the instruction at `pc` (called before it executes). */
  readonly trace = (pc: number): void => {
    const word = this.memory.readU32(pc);
    const text = word === undefined ? '<no memory>' : disassemble(decode(word), pc);
    const line = `${pc.toString(16).padStart(8, '0')}: ${text}\n`;
    this.lines.push(line);
    this.size += line.length;
    if (this.size >= FLUSH_AT) this.flush();
  };

  flush(): void {
    if (this.lines.length === 0) return;
    writeSync(this.fd, this.lines.join(''));
    this.lines = [];
    this.size = 0;
  }
}
