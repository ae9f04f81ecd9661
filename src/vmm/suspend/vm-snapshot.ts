/**
 * Suspend files of VMs, over the file layer (format/): a header naming the VMs (uuid, name, domid,
 * what each was built from, its lifecycle machine) and, per VM, sections `<uuid>/kernel` (the PV
 * kernel's state, JSON), `<uuid>/domain` (its Xen-side tables, JSON), `<uuid>/memory` (its RAM),
 * `<uuid>/pages` (its kernel's page table, JSON), and per process `<uuid>/p<pid>/memory` and `<uuid>/p<pid>/pages`.
 * One file holds one VM or a group suspended together. Reading verifies the whole file first, then
 * checks what every part means for its VM (checks/): nothing is restored from a file that is not
 * whole, well formed and within the VM's bounds.
 */
import { AddressSpace } from '../../vcpu/address-space.js';
import { restoreAddressSpace, saveAddressSpace, type AddressSpaceState } from '../../vcpu/address-space.persist.js';
import { GuestMemory } from '../../vcpu/guest-memory.js';
import { pagesSection, readPages } from './page-table-sections.js';
import { kernelStateSchema, type KernelState } from '../../guest-kernel/kernel-state.js';
import { domainStateSchema, type DomainState } from '../domain/domain-state.js';
import type { SuspendCapture, VmSpec } from '../domain/vm-monitor.js';
import { readSnapshot, writeSnapshot, type ProgressCallback, type SectionInput, type SnapshotResult, type VerifiedSnapshot, type WriteSnapshotSummary } from './format/index.js';
import { snapErr, snapOk } from './format/snapshot-errors.js';
import { checkVmSections, issueText, type LiveVm, type VmSpaces } from './checks/check-vm.js';
import { SNAPSHOT_KIND, sectionProblem, snapshotHeaderSchema, specOf, type SnapshotVmHeader, type VmSnapshotHeader } from './checks/header-check.js';

export { SNAPSHOT_KIND, snapshotHeaderSchema, specOf, type SnapshotVmHeader, type VmSnapshotHeader } from './checks/header-check.js';
export type { LiveVm } from './checks/check-vm.js';

/** One VM to write: who it is and what suspend captured. */
export interface VmToWrite {
  readonly uuid: string;
  readonly name: string;
  readonly domid: number;
  readonly spec: VmSpec;
  readonly from: 'running' | 'paused';
  readonly capture: SuspendCapture;
}

/** Writes the VMs into one file (crash-safely, see format/); memory is streamed from the captured RAM. */
export function writeVmSnapshot(path: string, vms: readonly VmToWrite[], onProgress?: ProgressCallback): Promise<SnapshotResult<WriteSnapshotSummary>> {
  const header: VmSnapshotHeader = {
    kind: SNAPSHOT_KIND,
    created: new Date().toISOString(),
    vms: vms.map((vm) => ({
      uuid: vm.uuid, name: vm.name, domid: vm.domid, spec: specOf(vm.spec), from: vm.from,
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
  const problem = header.success ? sectionProblem(header.data, read.value.sections) : `the header: ${issueText(header.error)}`;
  if (problem !== null || !header.success) {
    await read.value.close();
    return snapErr('SNAPSHOT_CORRUPT', `snapshot ${path}: ${problem}`);
  }
  return snapOk({ view: read.value, header: header.data });
}

/** What one VM of a file restores from: its kernel state, RAM and page table, and its processes' address spaces, all read and checked. */
export interface LoadedVm {
  readonly header: SnapshotVmHeader;
  readonly kernel: KernelState;
  /** The domain's Xen-side tables at suspend (null in a file written before they were saved). */
  readonly domain: DomainState | null;
  readonly ram: SharedArrayBuffer;
  readonly pages: AddressSpaceState;
  /** Each process's memory with its page table. */
  readonly processes: ReadonlyMap<number, AddressSpace>;
}

/**
 * Reads one VM's parts from a verified file into fresh memory, once every part holds what it may
 * (checks/); `live` is the domain that waited for a warm resume, whose build the header must name.
 */
export async function loadVm(s: OpenedVmSnapshot, uuid: string, live: LiveVm | null = null): Promise<SnapshotResult<LoadedVm>> {
  const path = s.view.path;
  const header = s.header.vms.find((v) => v.uuid === uuid);
  if (!header) return snapErr('SNAPSHOT_NO_SECTION', `snapshot ${path} holds no VM ${uuid}`);
  const json = s.view.json(`${uuid}/kernel`);
  if (!json.ok) return json;
  const spaces = readSpaces(s, uuid, header, json.value);
  if (!spaces.ok) return spaces;
  const savedDomain = s.view.json(`${uuid}/domain`);
  const meaning = checkVmSections(path, header, json.value, savedDomain.ok ? savedDomain.value : undefined, live, spaces.value);
  if (!meaning.ok) return meaning;
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
  const ram = new SharedArrayBuffer(memory.value.ramSize);
  const copied = await memory.value.restoreInto({ size: ram.byteLength, u8: new Uint8Array(ram) });
  if (!copied.ok) return copied;
  const processes = new Map<number, AddressSpace>();
  for (const p of kernel.data.processes.processes) {
    const section = s.view.memory(`${uuid}/p${p.pid}/memory`);
    if (!section.ok) return section;
    if (section.value.ramSize !== p.memoryBytes) return snapErr('SNAPSHOT_CORRUPT', `snapshot ${path}: process ${p.pid} of ${header.name}: memory size mismatch`);
    const table = spaces.value.processes.get(p.pid);
    if (table === undefined) return snapErr('SNAPSHOT_CORRUPT', `snapshot ${path}: process ${p.pid} of ${header.name} has no page table`);
    const m = new GuestMemory(p.memoryBytes);
    const r = await section.value.restoreInto(m);
    if (!r.ok) return r;
    const space = new AddressSpace(m);
    restoreAddressSpace(space, table);
    processes.set(p.pid, space);
  }
  return snapOk({ header, kernel: kernel.data, domain, ram, pages: spaces.value.kernel, processes });
}

/**
 * The kernel's page table and each process's, read from their sections (their shape checked) before
 * the checks look at what runs in them; a process's size is the one its saved state claims, which
 * the checks hold to the VM's bounds next.
 */
function readSpaces(s: OpenedVmSnapshot, uuid: string, header: SnapshotVmHeader, kernel: unknown): SnapshotResult<VmSpaces> {
  const kernelPages = readPages(s.view, uuid, undefined, header.spec.memoryMiB * 1024 * 1024);
  if (!kernelPages.ok) return kernelPages;
  const processes = new Map<number, AddressSpaceState>();
  const listed = (kernel as { processes?: { processes?: unknown } } | null)?.processes?.processes;
  for (const p of Array.isArray(listed) ? listed : []) {
    const { pid, memoryBytes } = (p ?? {}) as { pid?: unknown; memoryBytes?: unknown };
    if (!Number.isSafeInteger(pid) || !Number.isSafeInteger(memoryBytes) || (memoryBytes as number) <= 0 || !header.processes.includes(pid as number)) continue;
    const table = readPages(s.view, uuid, pid as number, memoryBytes as number);
    if (!table.ok) return table;
    processes.set(pid as number, table.value);
  }
  return snapOk({ kernel: kernelPages.value, processes });
}
