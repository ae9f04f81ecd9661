/**
 * The VM property catalogue: every property declared once (type, default, doc, bounds).
 * Validation, the API schemas, `qvm-prefs` and docs/properties.md all read it.
 */
import { z } from 'zod';
import { MAX_RAM_BYTES } from '../../vcpu/guest-memory.js';
import { MAX_CPUS, parseAffinity } from '../../hypervisor/cpu-set.js';
import type { VmColumns } from '../../store/vm-repository.js';
import { LABEL_NAMES } from './label.js';
import { VM_CLASSES, type VmClass } from './vm-class.js';
import { VM_NAME_MAX } from './vm-name.js';

export type PropertyType = 'str' | 'int' | 'bool' | 'label' | 'vm';
export type PropertyValue = string | number | boolean | null;

/** The most RAM a domain can have: the guest-physical window above 0x8000_0000, less one frame (2047 MiB). */
export const MAX_MEMORY_MIB = Math.floor(MAX_RAM_BYTES / (1024 * 1024));

export interface PropertyDef {
  readonly name: string;
  readonly type: PropertyType;
  readonly doc: string;
  /** Where the store keeps it; for `vm` properties the column holds the VM's uuid. */
  readonly column: keyof VmColumns;
  /** Set by the system only (uuid, qid, class). */
  readonly readonly: boolean;
  /** When unset, the value comes from the template (Qubes' _default_with_template). */
  readonly inheritsFromTemplate: boolean;
  /** The value when unset and nothing is inherited; null = none. */
  readonly default: PropertyValue;
  /** What a client may set it to (null resets, handled by the API). */
  readonly schema: z.ZodType<string | number | boolean>;
  /** The classes that have it; all when absent. */
  readonly classes?: readonly VmClass[];
  /** Unit for people (qvm-prefs help, docs). */
  readonly unit?: string;
}

const vmName = z.string().min(1).max(VM_NAME_MAX);
const seconds = z.number().int().min(1).max(86_400);
/** CPUs in vcpu-pin syntax; whether this host has them is checked when the VM starts. */
const affinity = z.string().min(1).max(256).superRefine((spec, ctx) => {
  const allowed = parseAffinity(spec, MAX_CPUS);
  if (!Array.isArray(allowed)) ctx.addIssue({ code: 'custom', message: allowed.message });
});

function def(d: Omit<PropertyDef, 'readonly' | 'inheritsFromTemplate' | 'default'> & Partial<PropertyDef>): PropertyDef {
  return { readonly: false, inheritsFromTemplate: false, default: null, ...d };
}

export const PROPERTIES: readonly PropertyDef[] = [
  def({ name: 'name', type: 'str', column: 'name', schema: vmName, doc: 'The VM name; a letter first, then letters, digits, `_ . -`, at most 31 characters.' }),
  def({ name: 'uuid', type: 'str', column: 'uuid', readonly: true, schema: z.string(), doc: 'Identifier that never changes.' }),
  def({ name: 'qid', type: 'int', column: 'qid', readonly: true, schema: z.number().int(), doc: 'Internal numeric identifier; 0 is dom0.' }),
  def({ name: 'class', type: 'str', column: 'klass', readonly: true, schema: z.enum(VM_CLASSES), doc: 'The VM class (Qubes `klass`): AppVM, TemplateVM, StandaloneVM, DispVM or AdminVM.' }),
  def({ name: 'label', type: 'label', column: 'label', schema: z.enum(LABEL_NAMES), doc: 'Colourful label of the VM: red, orange, yellow, green, gray, blue, purple or black.' }),
  def({ name: 'template', type: 'vm', column: 'templateUuid', classes: ['AppVM', 'DispVM'], schema: vmName, doc: 'The template this VM runs on: a TemplateVM for an AppVM, a VM with template_for_dispvms for a DispVM.' }),
  def({ name: 'memory', type: 'int', column: 'memory', unit: 'MiB', inheritsFromTemplate: true, default: 64, schema: z.number().int().min(1).max(MAX_MEMORY_MIB), doc: `Guest RAM in MiB, mapped at guest-physical 0x8000_0000 (at most ${MAX_MEMORY_MIB}); host memory is spent only on pages the guest touches.` }),
  def({ name: 'maxmem', type: 'int', column: 'maxmem', unit: 'MiB', inheritsFromTemplate: true, default: 256, schema: z.number().int().min(1).max(MAX_MEMORY_MIB), doc: 'The most RAM the VM may be given, in MiB; at least `memory`.' }),
  def({ name: 'vcpus', type: 'int', column: 'vcpus', inheritsFromTemplate: true, default: 2, schema: z.number().int().min(1).max(64), doc: 'Number of virtual CPUs; vCPU 0 starts the guest kernel.' }),
  def({ name: 'kernel', type: 'str', column: 'kernel', inheritsFromTemplate: true, default: 'base', schema: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/), doc: 'The guest image the VM boots (an image name); AppVMs take their template’s.' }),
  def({ name: 'autostart', type: 'bool', column: 'autostart', default: false, schema: z.boolean(), doc: 'Start the VM when the manager starts.' }),
  def({ name: 'default_dispvm', type: 'vm', column: 'defaultDispvmUuid', schema: vmName, doc: 'The disposable template used for @dispvm calls from this VM (a VM with template_for_dispvms).' }),
  def({ name: 'template_for_dispvms', type: 'bool', column: 'templateForDispvms', default: false, classes: ['AppVM', 'StandaloneVM'], schema: z.boolean(), doc: 'Whether disposable VMs may be based on this VM.' }),
  def({ name: 'shutdown_timeout', type: 'int', column: 'shutdownTimeout', unit: 's', inheritsFromTemplate: true, default: 60, schema: seconds, doc: 'Seconds a graceful shutdown may take before the VM is killed.' }),
  def({ name: 'qrexec_timeout', type: 'int', column: 'qrexecTimeout', unit: 's', inheritsFromTemplate: true, default: 60, schema: seconds, doc: 'Seconds to wait for the qrexec agent of a starting VM.' }),
  def({ name: 'console_buffer', type: 'int', column: 'consoleBuffer', unit: 'bytes', default: 65536, schema: z.number().int().min(1024).max(16 * 1024 * 1024), doc: 'Bytes of guest console output (stdout and stderr) the manager keeps for qvm-console; older output is dropped.' }),
  def({ name: 'max_event_channels', type: 'int', column: 'maxEventChannels', default: 1023, schema: z.number().int().min(1).max(1023), doc: 'Highest event-channel port the VM may allocate (Xen xl.cfg max_event_channels; 1023 for a 32-bit guest).' }),
  def({ name: 'on_host_stop', type: 'str', column: 'onHostStop', default: 'shutdown', schema: z.enum(['suspend', 'shutdown', 'kill']), doc: 'What a stop of the manager (SIGTERM, SIGINT) does to the VM while it runs: shutdown (gracefully, killed after shutdown_timeout, at most 10 s), kill, or suspend to a file, resumed when the manager starts again (libvirt-guests ON_SHUTDOWN=suspend).' }),
  def({ name: 'cpu_affinity', type: 'str', column: 'cpuAffinity', default: 'all', schema: affinity, doc: 'The host CPUs (CPU workers) the VM’s vCPUs may run on, in Xen vcpu-pin syntax (xl.cfg `cpus=`): `all`, or CPU numbers and ranges `a-b`, comma-separated, `^n` to leave one out (`0-3,^1`). The least loaded allowed CPU is taken when the VM starts; a CPU this host lacks refuses the start. GET /api/v1/host lists the CPUs.' }),
  def({ name: 'autosuspend_idle_s', type: 'int', column: 'autosuspendIdleS', unit: 's', default: 0, schema: z.number().int().min(0).max(30 * 86_400), doc: 'Suspend the VM to a file once it has been idle this many seconds (every vCPU blocked, no qrexec call in flight); 0 never. A qrexec call allowed to autostart it resumes it.' }),
];

export const PROPERTY_BY_NAME: ReadonlyMap<string, PropertyDef> = new Map(PROPERTIES.map((p) => [p.name, p]));
export const SETTABLE_PROPERTIES = PROPERTIES.filter((p) => !p.readonly);

export function appliesTo(prop: PropertyDef, klass: string): boolean {
  return prop.classes === undefined || prop.classes.includes(klass as VmClass);
}
