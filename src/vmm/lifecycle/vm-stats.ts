/** A running VM's counters: instructions, virtual and host CPU time, touched memory, syscalls and exits. */
import { FRAME_SIZE } from '../../vcpu/memory-layout.js';
import { virtualNs } from '../../vcpu/virtual-clock.js';
import type { GuestEnd, VmInstance } from '../../guest-kernel/vm-instance.js';

export interface VmStats {
  state: string;
  domid: number | null;
  instructions: number;
  virtual_time_ns: number;
  host_cpu_ms: number;
  memory_bytes: number;
  memory_touched_bytes: number;
  console_bytes: number;
  syscalls: Record<string, number>;
  unknown_syscalls: Record<string, number>;
  exits: Record<string, number>;
  vcpus: { id: number; state: string; instructions: number; pc: number }[];
  last_exit: GuestEnd | null;
}

/** Frames with any non-zero byte: what the guest has written (untouched pages read as zero). */
export function touchedBytes(i32: Int32Array): number {
  const words = FRAME_SIZE / 4;
  let touched = 0;
  for (let f = 0; f < i32.length; f += words) {
    for (let i = f; i < f + words; i++) {
      if (i32[i] !== 0) {
        touched++;
        break;
      }
    }
  }
  return touched * FRAME_SIZE;
}

export function statsOf(state: string, instance: VmInstance | null, lastEnd: GuestEnd | null): VmStats {
  if (!instance) {
    return {
      state, domid: null, instructions: 0, virtual_time_ns: 0, host_cpu_ms: 0, memory_bytes: 0, memory_touched_bytes: 0,
      console_bytes: 0, syscalls: {}, unknown_syscalls: {}, exits: {}, vcpus: [], last_exit: lastEnd,
    };
  }
  const memory = instance.pd.memory!;
  const vcpus = instance.ecs.map((ec, id) => ({ id, state: ec.state, instructions: ec.vcpu?.instret ?? 0, pc: (ec.vcpu?.pc ?? 0) >>> 0 }));
  return {
    state,
    domid: instance.pd.id,
    instructions: instance.instructions(),
    virtual_time_ns: Math.max(0, ...vcpus.map((v) => virtualNs(v.instructions))),
    host_cpu_ms: Math.round(instance.ecs.reduce((t, ec) => t + ec.hostMs, 0) * 1000) / 1000,
    memory_bytes: memory.size,
    memory_touched_bytes: touchedBytes(memory.i32),
    console_bytes: instance.console.total,
    syscalls: { ...instance.process.syscallCounts() },
    unknown_syscalls: { ...instance.process.unknownCounts() },
    exits: { ...instance.exitsByReason },
    vcpus,
    last_exit: lastEnd,
  };
}
