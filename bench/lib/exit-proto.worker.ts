/**
 * Worker of the exit-design prototype: runs one vCPU. Design "worker": its PV kernel serves the
 * exits here. Design "main": each ECALL's registers go to the main thread through shared memory
 * (x0..x31, pc), the worker sleeps in Atomics.wait until the main thread's answer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BufferInput, BufferOutput } from '../../src/guest-kernel/buffer-endpoints.js';
import { stdioTable } from '../../src/guest-kernel/fd-endpoint.js';
import { startGuestProgram } from '../../src/guest-kernel/guest-program.js';

const { image, design, ctl: ctlBuf, regs: regsBuf, quantum } = workerData as {
  image: Uint8Array; design: 'worker' | 'main'; ctl: SharedArrayBuffer; regs: SharedArrayBuffer; quantum: number;
};
const out = new BufferOutput();
const p = startGuestProgram(image, { argv: ['proto'], fds: stdioTable(new BufferInput(), out, out), memoryMiB: 1 });
if ('code' in p) throw new Error(p.message);
const { vcpu } = p;
const ctl = new Int32Array(ctlBuf);
const regs = new Int32Array(regsBuf);
let exits = 0;
const t0 = performance.now();
if (design === 'worker') {
  for (;;) {
    const e = vcpu.run(quantum);
    if (e.reason === 'budget') { exits++; continue; }
    if (e.reason !== 'ecall') throw new Error(`stopped: ${e.reason}`);
    exits++;
    const o = p.process.handleEcall(vcpu);
    if (o.kind === 'exit') break;
  }
} else {
  let seq = 0;
  for (;;) {
    const e = vcpu.run(quantum);
    exits++;
    if (e.reason !== 'budget' && e.reason !== 'ecall') throw new Error(`stopped: ${e.reason}`);
    regs.set(vcpu.x, 0);
    regs[32] = vcpu.pc;
    regs[33] = e.reason === 'ecall' ? 1 : 0;
    Atomics.store(ctl, 0, ++seq);
    Atomics.notify(ctl, 0);
    while (Atomics.load(ctl, 1) !== seq) Atomics.wait(ctl, 1, seq - 1);
    vcpu.x.set(regs.subarray(0, 32));
    vcpu.pc = regs[32];
    if (regs[34] === 1) break;
  }
  Atomics.store(ctl, 0, -1);
  Atomics.notify(ctl, 0);
}
parentPort!.postMessage({ seconds: (performance.now() - t0) / 1000, instructions: vcpu.instret, exits });
