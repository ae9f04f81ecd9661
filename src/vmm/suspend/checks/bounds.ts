/**
 * What a suspend file's parts may hold, as zod building blocks with the VM's bounds: its RAM, its
 * vCPUs, its port limit, its grant table. The section checks (header, domain, kernel, agent) are
 * made of these; each refusal names the field and says what was wrong with it.
 */
import { z } from 'zod';
import { MAX_DOMID } from '../../../hypervisor/hypervisor.js';
import { GRANT_MAP_WINDOW_BASE, GRANT_MAP_WINDOW_SIZE } from '../../../grant-tables/grant-domain.js';
import { FRAME_SIZE, RAM_BASE } from '../../../vcpu/memory-layout.js';
import type { AddressMap } from './address-map.js';

/** What the checks of one VM's sections know of it before they look. */
export interface VmBounds {
  readonly domid: number;
  /** Its RAM, from the header's spec (checked first). */
  readonly ramBytes: number;
  readonly vcpus: number;
  readonly consoleBuffer: number;
  readonly maxEventChannels: number;
  /** From its domain section (when the file has one): the ports in use and the grant refs its table holds. */
  readonly ports: ReadonlySet<number> | null;
  readonly grantEntries: number | null;
  /** On a warm resume: the program break the running kernel was built with (it never moves). */
  readonly liveBrk: { readonly start: number; readonly limit: number } | null;
  /** What the kernel's page table maps, and each process's (from their page-table sections). */
  readonly kernelSpace: AddressMap;
  readonly processSpace: (pid: number) => AddressMap;
}

const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;

/** `schema`, and then `holds`; the refusal says `why(value)`. */
export function where<T extends z.ZodType>(schema: T, holds: (v: z.infer<T>) => boolean, why: (v: z.infer<T>) => string): T {
  return schema.superRefine((v, ctx) => {
    if (!holds(v)) ctx.addIssue({ code: 'custom', message: why(v) });
  }) as unknown as T;
}

export const int32 = z.number().int().min(-0x8000_0000, 'below -2^31: not a 32-bit value').max(0x7fff_ffff, 'above 2^31-1: not a 32-bit register value');
export const u32 = z.number().int().min(0, 'negative').max(0xffff_ffff, 'above 2^32-1: not a 32-bit value');
export const u16 = z.number().int().min(0, 'negative').max(0xffff, 'above 65535');
export const count = z.number().int().min(0, 'negative').max(Number.MAX_SAFE_INTEGER, 'above 2^53');
export const domid = z.number().int().min(0, 'negative').max(MAX_DOMID, `above ${MAX_DOMID}: not a domain id`);
export const positiveId = z.number().int().min(1, 'not a positive id').max(0x7fff_ffff, 'above 2^31-1');

/** An address in guest RAM of `bytes` bytes (from 0x8000_0000). */
export const ramAddress = (bytes: number, what = 'RAM') =>
  where(u32, (a) => a >= RAM_BASE && a < RAM_BASE + bytes, (a) => `${hex(a)} is outside ${what} (${hex(RAM_BASE)}…${hex(RAM_BASE + bytes - 1)})`);

/** The first address of a frame of guest RAM. */
export const ramFrame = (bytes: number) => where(ramAddress(bytes), (a) => a % FRAME_SIZE === 0, (a) => `${hex(a)} is not frame-aligned`);

/** A slot of the grant-mapping window (where a domain sees the frames it mapped). */
export const windowFrame = where(
  u32,
  (a) => a >= GRANT_MAP_WINDOW_BASE && a < GRANT_MAP_WINDOW_BASE + GRANT_MAP_WINDOW_SIZE && a % FRAME_SIZE === 0,
  (a) => `${hex(a)} is not a frame of the grant-mapping window (${hex(GRANT_MAP_WINDOW_BASE)}…${hex(GRANT_MAP_WINDOW_BASE + GRANT_MAP_WINDOW_SIZE - 1)})`,
);

/** A port number the domain may have: 1 … max_event_channels. */
export const portNumber = (b: VmBounds) =>
  z.number().int().min(1, 'port 0 is reserved').max(b.maxEventChannels, `beyond max_event_channels (${b.maxEventChannels})`);

/** Why `port` is not bound in the domain's event-channel table (when the file has it), or null. */
export const unboundPort = (b: VmBounds, port: number): string | null =>
  b.ports === null || b.ports.has(port) ? null : `port ${port} is not bound in the domain's event-channel table`;

/** A grant ref of the domain's own table. */
export const ownGrantRef = (b: VmBounds) =>
  where(u32, (r) => b.grantEntries === null || r < b.grantEntries, (r) => `grant ref ${r} is beyond the domain's grant table (${b.grantEntries} entries)`);

/** Base64 text of at most `maxBytes` bytes. */
export const base64 = (maxBytes: number) =>
  where(
    z.string().max(Math.ceil(maxBytes / 3) * 4, `more than ${maxBytes} bytes`),
    (s) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0,
    () => 'not base64',
  );

export const decodedLength = (s: string): number => Buffer.from(s, 'base64').length;

/** A list whose `key` values are all different. */
export function distinct<T extends z.ZodType>(item: T, key: (v: z.infer<T>) => unknown, what: string, max = 1_000_000) {
  return where(z.array(item).max(max, `more than ${max} entries`), (a) => new Set(a.map(key)).size === a.length, () => `a ${what} is given twice`);
}

/** Hands the issues of a nested check (one whose bounds come from the value itself) to the outer one. */
export function forward(ctx: z.RefinementCtx, result: z.ZodSafeParseResult<unknown>, ...at: (string | number)[]): void {
  if (result.success) return;
  for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: [...at, ...(issue.path as (string | number)[])] });
}
