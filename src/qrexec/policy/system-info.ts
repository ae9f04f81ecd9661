/** The snapshot of qubes the policy is evaluated against, shaped like qubesd's internal.GetSystemInfo. */
import { z } from 'zod';

export const DOMAIN_TYPES = ['AdminVM', 'AppVM', 'TemplateVM', 'StandaloneVM', 'DispVM'] as const;

/** The AdminVM's name and uuid; `dom0`, `@adminvm` and `uuid:<ADMINVM_UUID>` all name it. */
export const ADMINVM_NAME = 'dom0';
export const ADMINVM_UUID = '00000000-0000-0000-0000-000000000000';

export const DomainInfoSchema = z.object({
  type: z.enum(DOMAIN_TYPES),
  tags: z.array(z.string()),
  default_dispvm: z.string().nullable(),
  template_for_dispvms: z.boolean(),
  uuid: z.string(),
  /** Qubes power state (`Running`, `Halted`, ...); absent counts as not running for `autostart=no`. */
  power_state: z.string().optional(),
  /** The `internal` feature: such qubes are never offered in an ask prompt. */
  internal: z.boolean().optional(),
});

/** A snapshot is treated as immutable (lookups are cached per object): when the system changes, pass a new one. */
export const SystemInfoSchema = z.object({ domains: z.record(z.string(), DomainInfoSchema) });

export type DomainInfo = z.infer<typeof DomainInfoSchema>;
export type SystemInfo = z.infer<typeof SystemInfoSchema>;

/** The qube called `name`, never a property inherited from Object.prototype. */
export function domainNamed(system: SystemInfo, name: string): DomainInfo | undefined {
  return Object.hasOwn(system.domains, name) ? system.domains[name] : undefined;
}

const uuidIndexes = new WeakMap<SystemInfo, Map<string, string>>();

/** The name of the qube with this uuid (the index is built once per snapshot object). */
export function nameOfUuid(system: SystemInfo, uuid: string): string | undefined {
  let index = uuidIndexes.get(system);
  if (index === undefined) {
    index = new Map(Object.entries(system.domains).map(([name, d]) => [d.uuid, name]));
    uuidIndexes.set(system, index);
  }
  return index.get(uuid);
}
