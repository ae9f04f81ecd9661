/** Deterministic sample snapshots for the snapshot tests: seeded sparse memories, JSON sections, comparisons. */
import { GuestMemory } from '../../../../src/vcpu/guest-memory.js';
import { FRAME_SIZE } from '../../../../src/vcpu/memory-layout.js';
import { seeded } from '../../../helpers/seeded.js';
import type { SectionInput, SnapshotHeader, VerifiedSnapshot } from '../../../../src/vmm/suspend/format/index.js';

export { seeded };

/** A memory of `frames` frames where about `density` of them are not all zero (some with a single non-zero byte). */
export function sparseMemory(seed: number, frames: number, density: number): GuestMemory {
  const rnd = seeded(seed);
  const memory = new GuestMemory(frames * FRAME_SIZE);
  for (let f = 0; f < frames; f++) {
    if (rnd() / 2 ** 32 >= density) continue;
    const base = f * FRAME_SIZE;
    if (rnd() % 4 === 0) memory.u8[base + (rnd() % FRAME_SIZE)] = 1 + (rnd() % 255);
    else for (let i = 0; i < FRAME_SIZE; i += 4) memory.i32[(base + i) >>> 2] = rnd() | 0;
  }
  return memory;
}

export interface SampleShape {
  readonly frames: number;
  readonly density: number;
}

/** The header of sample version `seq`. */
export function sampleHeader(seq: number): SnapshotHeader {
  return { seq, uuid: `0000-${seq}`, config: { name: `vm${seq % 7}`, memoryMiB: 1, vcpus: 1 + (seq % 3) }, ids: { domid: 3 + (seq % 5) } };
}

/** JSON and memory sections of sample version `seq`, the way a VM's state will be laid out. */
export function sampleSections(seq: number, shape: SampleShape): SectionInput[] {
  return [
    { kind: 'json', name: 'dom3/vcpus', value: [{ pc: 0x8000_0000 + seq * 4, regs: Array.from({ length: 32 }, (_, i) => (i * seq) >>> 0) }] },
    { kind: 'json', name: 'dom3/event-channels', value: { ports: [{ port: 1, state: 2, remoteDom: 0, remotePort: seq % 1024 }] } },
    { kind: 'json', name: 'dom3/grants', value: { entries: [[seq % 512, 0, 17]] } },
    { kind: 'json', name: 'xenstore', value: { '/local/domain/3/name': `vm${seq}`, tx: null } },
    { kind: 'json', name: 'dom3/lifecycle', value: { value: 'paused', context: { since: seq } } },
    { kind: 'json', name: 'dom3/console', value: `boot ${seq}\nłódź ✓\n` },
    { kind: 'memory', name: 'dom3/memory', memory: sparseMemory(seq, shape.frames, shape.density) },
  ];
}

/** Differences between a verified snapshot and sample version `seq` (empty when it is exactly that version). */
export async function differencesFromSample(view: VerifiedSnapshot, seq: number, shape: SampleShape): Promise<string[]> {
  const out: string[] = [];
  if (JSON.stringify(view.header) !== JSON.stringify(sampleHeader(seq))) out.push('header');
  for (const section of sampleSections(seq, shape)) {
    if (section.kind === 'json') {
      const got = view.json(section.name);
      if (!got.ok || JSON.stringify(got.value) !== JSON.stringify(section.value)) out.push(section.name);
      continue;
    }
    const reader = view.memory(section.name);
    const fresh = new GuestMemory(section.memory.size);
    const restored = reader.ok ? await reader.value.restoreInto(fresh) : reader;
    const expected = 'u8' in section.memory ? section.memory.u8 : new Uint8Array(0);
    if (!restored.ok || Buffer.compare(Buffer.from(fresh.u8), Buffer.from(expected)) !== 0) out.push(section.name);
  }
  return out;
}
