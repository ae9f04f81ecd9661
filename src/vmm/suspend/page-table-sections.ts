/**
 * The page tables in a VM suspend file: one JSON section per address space, `<uuid>/pages` (the
 * kernel's, shared by its vCPUs) and `<uuid>/p<pid>/pages` (each process's), holding its runs
 * (address-space.persist.ts). Files of format version 1 predate address spaces: every vCPU then
 * saw its memory at its own guest-physical addresses, so such a file reads as identity maps.
 */
import { z } from 'zod';
import { checkAddressSpaceState, identityState, type AddressSpaceState } from '../../vcpu/address-space.persist.js';
import { FRAME_SIZE } from '../../vcpu/memory-layout.js';
import type { SectionInput, VerifiedSnapshot } from './format/index.js';
import { snapErr, snapOk, type SnapshotResult } from './format/snapshot-errors.js';

/** The first format version whose files carry page tables. */
export const PAGE_TABLES_SINCE = 2;

const stateSchema = z.object({
  runs: z.array(z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()])),
}).strict();

/** Name of the page-table section of VM `uuid`'s kernel, or of its process `pid`. */
export const pagesSectionName = (uuid: string, pid?: number): string => (pid === undefined ? `${uuid}/pages` : `${uuid}/p${pid}/pages`);

export function pagesSection(uuid: string, pid: number | undefined, state: AddressSpaceState): SectionInput {
  return { kind: 'json', name: pagesSectionName(uuid, pid), value: state };
}

/** The page table of an address space over `ramSize` bytes, checked: from its section, or the identity map in a version-1 file. */
export function readPages(view: VerifiedSnapshot, uuid: string, pid: number | undefined, ramSize: number): SnapshotResult<AddressSpaceState> {
  if (view.formatVersion < PAGE_TABLES_SINCE) return snapOk(identityState(ramSize));
  const name = pagesSectionName(uuid, pid);
  const json = view.json(name);
  if (!json.ok) return json;
  const parsed = stateSchema.safeParse(json.value);
  const problem = parsed.success ? checkAddressSpaceState(parsed.data as AddressSpaceState, ramSize / FRAME_SIZE) : parsed.error.issues[0]?.message;
  if (problem !== undefined) return snapErr('SNAPSHOT_CORRUPT', `snapshot ${view.path}: section "${name}" is not a page table of ${ramSize} bytes of memory: ${problem}`);
  return snapOk(parsed.data as AddressSpaceState);
}
