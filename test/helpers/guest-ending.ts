/** How a guest ended, as the bit-exact suspend tests compare it. */
import { createHash } from 'node:crypto';
import type { VmInstance } from '../../src/guest-kernel/vm-instance.js';

export interface Ending {
  console: string;
  instructions: number;
  /** SHA-256 of the kernel vCPU's registers and pc, and of the VM's RAM, when the guest ended. */
  registers: string;
  memory: string;
}

/** Watches `vm` end: the getter gives its console, instruction count and digests once it has. */
export function watchEnding(vm: VmInstance): () => Ending | null {
  let ending: Ending | null = null;
  vm.onEnd(() => {
    const vcpu = vm.ecs[0].vcpu!;
    ending ??= {
      console: Buffer.from(vm.console.tail(1 << 16)).toString(),
      instructions: vm.instructions(),
      registers: createHash('sha256').update(JSON.stringify({ pc: vcpu.pc >>> 0, x: Array.from(vcpu.x) })).digest('hex'),
      memory: createHash('sha256').update(vm.pd.memory!.u8).digest('hex'),
    };
  });
  return () => ending;
}
