/**
 * Forged suspend files for the tests: a real file decoded into its header and sections, one field
 * changed, and encoded again through the real writer (so the SHA-256 is right and only the meaning
 * checks can refuse it); or patched byte by byte and resealed.
 */
import { GuestMemory } from '../../src/vcpu/guest-memory.js';
import { readSnapshot, writeSnapshot, type SectionInput } from '../../src/vmm/suspend/format/index.js';

export interface DecodedSnapshot {
  header: Record<string, unknown>;
  /** The JSON sections by name, in file order, then the memory sections. */
  json: Map<string, unknown>;
  memory: Map<string, GuestMemory>;
  cellaVersion: string;
}

export async function decodeSnapshot(path: string): Promise<DecodedSnapshot> {
  const view = await readSnapshot(path);
  if (!view.ok) throw new Error(view.error.message);
  const v = view.value;
  const json = new Map<string, unknown>();
  const memory = new Map<string, GuestMemory>();
  for (const s of v.sections) {
    if (s.kind === 'json') json.set(s.name, structuredClone((v.json(s.name) as { value: unknown }).value));
    if (s.kind === 'memory') {
      const reader = v.memory(s.name);
      if (!reader.ok) throw new Error(reader.error.message);
      const m = new GuestMemory(reader.value.ramSize);
      const r = await reader.value.restoreInto(m);
      if (!r.ok) throw new Error(r.error.message);
      memory.set(s.name, m);
    }
  }
  await v.close();
  return { header: structuredClone(v.header) as Record<string, unknown>, json, memory, cellaVersion: v.cellaVersion };
}

/** Writes `d` (with `extra` sections after its own) to `path`, checksum and all, as suspend would. */
export async function encodeSnapshot(path: string, d: DecodedSnapshot, extra: SectionInput[] = []): Promise<void> {
  const sections: SectionInput[] = [
    ...[...d.json].map(([name, value]): SectionInput => ({ kind: 'json', name, value })),
    ...[...d.memory].map(([name, memory]): SectionInput => ({ kind: 'memory', name, memory })),
    ...extra,
  ];
  const w = await writeSnapshot(path, d.header, sections, { cellaVersion: d.cellaVersion });
  if (!w.ok) throw new Error(w.error.message);
}

/** `d` decoded again from `path` and changed by `change` (on a deep copy), then written to `to`. */
export async function forgeFrom(path: string, to: string, change: (d: DecodedSnapshot) => void, extra: SectionInput[] = []): Promise<void> {
  const d = await decodeSnapshot(path);
  change(d);
  await encodeSnapshot(to, d, extra);
}
