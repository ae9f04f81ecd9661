/**
 * The meaning of one VM's parts of a verified suspend file, checked after the hash and before
 * anything is restored: on a warm resume its spec against the domain that waited, then its domain
 * section with the bounds of its spec, then its kernel section with those of its spec and domain
 * (ports bound there, refs of its grant table). The first refusal names the section and the field.
 */
import type { z } from 'zod';
import type { VmSpec } from '../../domain/vm-monitor.js';
import { snapErr, snapOk, type SnapshotResult } from '../format/snapshot-errors.js';
import { GRANT_ENTRIES_PER_FRAME } from '../../../grant-tables/grant-flags.js';
import type { AddressSpaceState } from '../../../vcpu/address-space.persist.js';
import { addressMap } from './address-map.js';
import type { VmBounds } from './bounds.js';
import { domainSectionSchema } from './domain-check.js';
import { specDisagreement, type SnapshotVmHeader } from './header-check.js';
import { kernelSectionSchema } from './kernel-check.js';

/** The domain that waited in this process for a warm resume: what it was built with. */
export interface LiveVm {
  readonly spec: VmSpec;
  readonly brk: { readonly start: number; readonly limit: number };
}

/** The page tables of a VM's address spaces, read (and their shape checked) before the checks look. */
export interface VmSpaces {
  readonly kernel: AddressSpaceState;
  readonly processes: ReadonlyMap<number, AddressSpaceState>;
}

const NOTHING_MAPPED = addressMap({ runs: [] });

export function checkVmSections(path: string, vm: SnapshotVmHeader, kernel: unknown, domain: unknown, live: LiveVm | null, spaces: VmSpaces): SnapshotResult<void> {
  const refuse = (part: string, what: string) => snapErr<void>('SNAPSHOT_CORRUPT', `snapshot ${path}: ${part} of ${vm.name}: ${what}`);
  if (live) {
    const differs = specDisagreement(vm.spec, live.spec);
    if (differs) return refuse('the header', differs);
  }
  const base: VmBounds = {
    domid: vm.domid, ramBytes: vm.spec.memoryMiB * 1024 * 1024, vcpus: vm.spec.vcpus, consoleBuffer: vm.spec.consoleBuffer,
    maxEventChannels: vm.spec.maxEventChannels, ports: null, grantEntries: null, liveBrk: live?.brk ?? null,
    kernelSpace: addressMap(spaces.kernel),
    processSpace: (pid) => {
      const state = spaces.processes.get(pid);
      return state === undefined ? NOTHING_MAPPED : addressMap(state);
    },
  };
  let bounds = base;
  if (domain !== undefined) {
    const d = domainSectionSchema(base).safeParse(domain);
    if (!d.success) return refuse('the domain section', issueText(d.error));
    bounds = {
      ...base,
      ports: d.data.eventChannels ? new Set(d.data.eventChannels.ports.map((p) => p.port)) : null,
      grantEntries: d.data.grantTable ? d.data.grantTable.frames.length * GRANT_ENTRIES_PER_FRAME : null,
    };
  }
  const k = kernelSectionSchema(bounds).safeParse(kernel);
  if (!k.success) return refuse('the kernel state', issueText(k.error));
  return snapOk(undefined);
}

/** `field.path[3].name: what is wrong` of the first issue. */
export function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  return `${fieldPath(issue.path)}: ${issue.message}`;
}

export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out === '' ? '(the whole part)' : out;
}
