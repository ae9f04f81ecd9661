/**
 * The header of a VM suspend file, with the bounds of what it describes: each VM's build (the VM
 * property catalogue's bounds for memory, vCPUs, image, console and event channels), its domain id,
 * processes and lifecycle; and the sections the file holds, which must be exactly those the header
 * names (known kinds only). On a warm resume the spec must be the running domain's.
 */
import { pagesSectionName } from '../page-table-sections.js';
import { z } from 'zod';
import { PROPERTY_BY_NAME } from '../../config/properties.js';
import { VM_NAME_MAX, VM_NAME_PATTERN } from '../../config/vm-name.js';
import type { VmSpec } from '../../domain/vm-monitor.js';
import { XENSTORE_PAYLOAD_MAX } from '../../../xenstore/xs-path.js';
import type { SectionInfo } from '../format/index.js';
import { distinct, positiveId, u32, where } from './bounds.js';

export const SNAPSHOT_KIND = 'cella-vms';

/** A property's bounds, as the catalogue declares them (what start would accept). */
const property = <T>(name: string) => PROPERTY_BY_NAME.get(name)!.schema as unknown as z.ZodType<T>;

export const specSchema = z.strictObject({
  memoryMiB: property<number>('memory'),
  vcpus: property<number>('vcpus'),
  image: property<string>('kernel'),
  consoleBuffer: property<number>('console_buffer'),
  seed: u32,
  maxEventChannels: property<number>('max_event_channels'),
  vmConfig: z.record(
    z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'not a vm-config name (letters, digits, _ . -, at most 64)'),
    z.string().max(XENSTORE_PAYLOAD_MAX, `longer than a XenStore value (${XENSTORE_PAYLOAD_MAX})`),
  ).refine((r) => Object.keys(r).length <= 1024, 'more than 1024 entries'),
});
export type SnapshotSpec = z.infer<typeof specSchema>;

/**
 * xstate's persisted snapshot of a VM's lifecycle machine, which files of earlier versions carry
 * beside `from`. Nothing needs it (`from` says what the VM goes back to), so it is no longer
 * written; in older files it is accepted in the one shape they hold.
 */
const lifecycleSchema = z.object({ status: z.literal('active'), value: z.literal('suspending', 'not the suspending state') }).passthrough();

const headerVmSchema = z.strictObject({
  uuid: z.string().regex(/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, 'not a uuid'),
  name: z.string().max(VM_NAME_MAX).regex(VM_NAME_PATTERN, 'not a VM name'),
  domid: z.number().int().min(1, 'not a guest domain id').max(0x7fef, 'above 32751: not a domain id'),
  spec: specSchema,
  /** The power state it was suspended from. */
  from: z.enum(['running', 'paused']),
  lifecycle: lifecycleSchema.optional(),
  processes: where(z.array(positiveId).max(4096), (p) => new Set(p).size === p.length, () => 'a pid is given twice'),
});
export type SnapshotVmHeader = z.infer<typeof headerVmSchema>;

export const snapshotHeaderSchema = z.strictObject({
  kind: z.literal(SNAPSHOT_KIND, `not a Cella VM snapshot (kind ${SNAPSHOT_KIND})`),
  created: z.iso.datetime('not an ISO date'),
  vms: where(
    distinct(headerVmSchema, (v) => v.uuid, 'VM uuid', 1000).refine((v) => v.length > 0, 'no VM'),
    (vms) => new Set(vms.map((v) => v.domid)).size === vms.length && new Set(vms.map((v) => v.name)).size === vms.length,
    () => 'two VMs share a domain id or a name',
  ),
});
export type VmSnapshotHeader = z.infer<typeof snapshotHeaderSchema>;

/** What each section name of a file must be, by the header: kind, and whether a file may lack it. */
function expectedSections(header: VmSnapshotHeader): Map<string, { kind: 'json' | 'memory'; optional: boolean }> {
  const out = new Map<string, { kind: 'json' | 'memory'; optional: boolean }>();
  for (const vm of header.vms) {
    out.set(`${vm.uuid}/kernel`, { kind: 'json', optional: false });
    // absent in files written before it was added
    out.set(`${vm.uuid}/domain`, { kind: 'json', optional: true });
    out.set(`${vm.uuid}/memory`, { kind: 'memory', optional: false });
    // page tables: absent in version-1 files, which read as identity maps (a version-2 file needs them: page-table-sections.ts)
    out.set(pagesSectionName(vm.uuid), { kind: 'json', optional: true });
    for (const pid of vm.processes) {
      out.set(`${vm.uuid}/p${pid}/memory`, { kind: 'memory', optional: false });
      out.set(pagesSectionName(vm.uuid, pid), { kind: 'json', optional: true });
    }
  }
  return out;
}

/** Why the file's sections are not exactly those its header names, or null. */
export function sectionProblem(header: VmSnapshotHeader, sections: readonly SectionInfo[]): string | null {
  const expected = expectedSections(header);
  for (const s of sections) {
    const want = expected.get(s.name);
    if (!want) return `section ${JSON.stringify(s.name)} (kind ${s.kindId}) is not one the header names`;
    if (s.kind !== want.kind) return `section ${JSON.stringify(s.name)} is of kind ${s.kind === 'unknown' ? s.kindId : s.kind}, not ${want.kind}`;
  }
  const names = new Set(sections.map((s) => s.name));
  for (const [name, want] of expected) if (!want.optional && !names.has(name)) return `the section ${JSON.stringify(name)} is missing`;
  return null;
}

/** On a warm resume, where the header's spec differs from the build of the domain that waited (field and both values), or null. */
export function specDisagreement(saved: SnapshotSpec, live: VmSpec): string | null {
  const now = specOf(live);
  for (const key of Object.keys(now) as (keyof SnapshotSpec)[]) {
    const [a, b] = [JSON.stringify(saved[key]), JSON.stringify(now[key])];
    if (a !== b) return `spec.${key}: ${a}, the suspended domain has ${b}`;
  }
  return null;
}

/** What a header records of a domain's build. */
export function specOf(spec: VmSpec): SnapshotSpec {
  return {
    memoryMiB: spec.memoryMiB, vcpus: spec.vcpus, image: spec.image.name, consoleBuffer: spec.consoleBuffer,
    seed: spec.seed, maxEventChannels: spec.maxEventChannels, vmConfig: { ...spec.vmConfig },
  };
}
