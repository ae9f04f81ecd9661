/**
 * Suspend files of VMs, over the file layer (format/): a header naming the VMs (uuid, name, domid,
 * what each was built from, its lifecycle machine) and, per VM, sections `<uuid>/kernel` (the PV
 * kernel's state, JSON), `<uuid>/domain` (its Xen-side tables, JSON), `<uuid>/memory` (its RAM),
 * `<uuid>/pages` (its kernel's page table, JSON), and per process `<uuid>/p<pid>/memory` and `<uuid>/p<pid>/pages`.
 * One file holds one VM or a group suspended together. Reading verifies the whole file first, then
 * checks every JSON part with zod: nothing is restored from a file that is not whole and well formed.
 */
import { z } from 'zod';
import { AddressSpace } from '../../vcpu/address-space.js';
import { restoreAddressSpace, saveAddressSpace, type AddressSpaceState } from '../../vcpu/address-space.persist.js';
import { GuestMemory } from '../../vcpu/guest-memory.js';
import { pagesSection, readPages } from './page-table-sections.js';
import { kernelStateSchema, type KernelState } from '../runtime/kernel-state.js';
import { domainStateSchema, type DomainState } from '../runtime/domain-state.js';
import type { SuspendCapture, VmSpec } from '../runtime/vm-monitor.js';
import { readSnapshot, writeSnapshot, type ProgressCallback, type SectionInput, type SnapshotResult, type VerifiedSnapshot, type WriteSnapshotSummary } from './format/index.js';
import { snapErr, snapOk } from './format/snapshot-errors.js';

export const SNAPSHOT_KIND = 'cella-vms';

const specSchema = z.object({
  memoryMiB: z.number().int().positive(),
  vcpus: z.number().int().positive(),
  image: z.string().min(1),
  consoleBuffer: z.number().int().positive(),
  seed: z.number().int(),
  maxEventChannels: z.number().int().positive(),
  vmConfig: z.record(z.string(), z.string()),
});

const headerVmSchema = z.object({
  uuid: z.string().min(1),
  name: z.string().min(1),
  domid: z.number().int().positive().max(0x7fef),
  spec: specSchema,
  /** The power state it was suspended from. */
  from: z.enum(['running', 'paused']),
  /** xstate's persisted snapshot of its lifecycle machine. */
  lifecycle: z.unknown(),
  processes: z.array(z.number().int().positive()),
});
export type SnapshotVmHeader = z.infer<typeof headerVmSchema>;

export const snapshotHeaderSchema = z.object({
  kind: z.literal(SNAPSHOT_KIND),
  created: z.string(),
  vms: z.array(headerVmSchema).min(1),
});
export type VmSnapshotHeader = z.infer<typeof snapshotHeaderSchema>;

/** One VM to write: who it is and what suspend captured. */
export interface VmToWrite {
  readonly uuid: string;
  readonly name: string;
  readonly domid: number;
  readonly spec: VmSpec;
  readonly from: 'running' | 'paused';
  readonly lifecycle: unknown;
  readonly capture: SuspendCapture;
}

export function specOf(spec: VmSpec): SnapshotVmHeader['spec'] {
  return {
    memoryMiB: spec.memoryMiB, vcpus: spec.vcpus, image: spec.image.name, consoleBuffer: spec.consoleBuffer,
    seed: spec.seed, maxEventChannels: spec.maxEventChannels, vmConfig: { ...spec.vmConfig },
  };
}

/** Writes the VMs into one file (crash-safely, see format/); memory is streamed from the captured RAM. */
export function writeVmSnapshot(path: string, vms: readonly VmToWrite[], onProgress?: ProgressCallback): Promise<SnapshotResult<WriteSnapshotSummary>> {
  const header: VmSnapshotHeader = {
    kind: SNAPSHOT_KIND,
    created: new Date().toISOString(),
    vms: vms.map((vm) => ({
      uuid: vm.uuid, name: vm.name, domid: vm.domid, spec: specOf(vm.spec), from: vm.from, lifecycle: vm.lifecycle,
      processes: [...vm.capture.processes.keys()],
    })),
  };
  const sections: SectionInput[] = [];
  for (const vm of vms) {
    sections.push({ kind: 'json', name: `${vm.uuid}/kernel`, value: vm.capture.kernel });
    sections.push({ kind: 'json', name: `${vm.uuid}/domain`, value: vm.capture.domain });
    sections.push({ kind: 'memory', name: `${vm.uuid}/memory`, memory: { size: vm.capture.ram.length, u8: vm.capture.ram } });
    sections.push(pagesSection(vm.uuid, undefined, vm.capture.pages));
    for (const [pid, space] of vm.capture.processes) {
      sections.push({ kind: 'memory', name: `${vm.uuid}/p${pid}/memory`, memory: space.memory });
      sections.push(pagesSection(vm.uuid, pid, saveAddressSpace(space)));
    }
  }
  return writeSnapshot(path, header, sections, { onProgress });
}

/** A verified suspend file, its header checked. */
export interface OpenedVmSnapshot {
  readonly view: VerifiedSnapshot;
  readonly header: VmSnapshotHeader;
}

export async function openVmSnapshot(path: string): Promise<SnapshotResult<OpenedVmSnapshot>> {
  const read = await readSnapshot(path);
  if (!read.ok) return read;
  const header = snapshotHeaderSchema.safeParse(read.value.header);
  if (!header.success) {
    await read.value.close();
    return snapErr('SNAPSHOT_CORRUPT', `snapshot ${path}: the header is not a Cella VM snapshot header: ${header.error.issues[0]?.message ?? 'invalid'}`);
  }
  return snapOk({ view: read.value, header: header.data });
}

/** What one VM of a file restores from: its kernel state, RAM and page table, and its processes' address spaces, all read and checked. */
export interface LoadedVm {
  readonly header: SnapshotVmHeader;
  readonly kernel: KernelState;
  /** The domain's Xen-side tables at suspend (null in a file written before they were saved). */
  readonly domain: DomainState | null;
  readonly ram: ArrayBuffer;
  readonly pages: AddressSpaceState;
  /** Each process's memory with its page table. */
  readonly processes: ReadonlyMap<number, AddressSpace>;
}

/** Reads one VM's parts from a verified file into fresh memory. */
export async function loadVm(s: OpenedVmSnapshot, uuid: string): Promise<SnapshotResult<LoadedVm>> {
  const path = s.view.path;
  const header = s.header.vms.find((v) => v.uuid === uuid);
  if (!header) return snapErr('SNAPSHOT_NO_SECTION', `snapshot ${path} holds no VM ${uuid}`);
  const json = s.view.json(`${uuid}/kernel`);
  if (!json.ok) return json;
  const kernel = kernelStateSchema.safeParse(json.value);
  if (!kernel.success) {
    const issue = kernel.error.issues[0];
    return snapErr('SNAPSHOT_CORRUPT', `snapshot ${path}: the kernel state of ${header.name} is malformed at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`);
  }
  const pids = kernel.data.processes.processes.map((p) => p.pid);
  if (pids.length !== header.processes.length || pids.some((p) => !header.processes.includes(p))) {
    return snapErr('SNAPSHOT_CORRUPT', `snapshot ${path}: the processes of ${header.name} do not match its header`);
  }
  let domain: DomainState | null = null;
  const domainJson = s.view.json(`${uuid}/domain`);
  if (domainJson.ok) {
    const parsed = domainStateSchema.safeParse(domainJson.value);
    if (!parsed.success || parsed.data.domid !== header.domid) {
      return snapErr('SNAPSHOT_CORRUPT', `snapshot ${path}: the domain state of ${header.name} is malformed${parsed.success ? ` (domain ${parsed.data.domid}, the header says ${header.domid})` : ` at ${parsed.error.issues[0]?.path.join('.') ?? '?'}`}`);
    }
    domain = parsed.data;
  } else if (domainJson.error.code !== 'SNAPSHOT_NO_SECTION') {
    return domainJson;
  }
  const memory = s.view.memory(`${uuid}/memory`);
  if (!memory.ok) return memory;
  if (memory.value.ramSize !== header.spec.memoryMiB * 1024 * 1024) {
    return snapErr('SNAPSHOT_CORRUPT', `snapshot ${path}: ${header.name} has ${memory.value.ramSize} bytes of RAM, its header says ${header.spec.memoryMiB} MiB`);
  }
  const pages = readPages(s.view, uuid, undefined, memory.value.ramSize);
  if (!pages.ok) return pages;
  const ram = new ArrayBuffer(memory.value.ramSize);
  const copied = await memory.value.restoreInto({ size: ram.byteLength, u8: new Uint8Array(ram) });
  if (!copied.ok) return copied;
  const processes = new Map<number, AddressSpace>();
  for (const p of kernel.data.processes.processes) {
    const section = s.view.memory(`${uuid}/p${p.pid}/memory`);
    if (!section.ok) return section;
    if (section.value.ramSize !== p.memoryBytes) return snapErr('SNAPSHOT_CORRUPT', `snapshot ${path}: process ${p.pid} of ${header.name}: memory size mismatch`);
    const table = readPages(s.view, uuid, p.pid, p.memoryBytes);
    if (!table.ok) return table;
    const m = new GuestMemory(p.memoryBytes);
    const r = await section.value.restoreInto(m);
    if (!r.ok) return r;
    const space = new AddressSpace(m);
    restoreAddressSpace(space, table.value);
    processes.set(p.pid, space);
  }
  return snapOk({ header, kernel: kernel.data, domain, ram, pages: pages.value, processes });
}
