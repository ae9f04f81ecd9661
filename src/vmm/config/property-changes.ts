/**
 * Turns requested property values into column updates: each value checked against the
 * catalogue, VM references resolved, cross-property rules applied. Nothing is written here.
 */
import type { VmColumns, VmRecord } from '../../store/vm-repository.js';
import { fail } from '../errors.js';
import { DOM0_UUID } from './dom0.js';
import { PROPERTY_BY_NAME, appliesTo, type PropertyDef, type PropertyValue } from './properties.js';
import type { VmLookup } from './vm-cache.js';
import { vmNameProblem } from './vm-name.js';
import { effectiveValue } from './vm-view.js';

export interface PlannedChange {
  readonly prop: PropertyDef;
  /** The column value to store: null resets to the default. */
  readonly stored: string | number | boolean | null;
}

const prop = (name: string): PropertyDef => PROPERTY_BY_NAME.get(name)!;

/** Plans `changes` on a VM of class `klass` whose current record is `current` (null while creating). */
export function planChanges(
  lookup: VmLookup,
  klass: string,
  current: VmRecord | null,
  changes: Record<string, PropertyValue>,
): PlannedChange[] {
  const planned: PlannedChange[] = [];
  for (const [name, value] of Object.entries(changes)) {
    const def = PROPERTY_BY_NAME.get(name) ?? fail('VALIDATION_FAILED', `no such property: '${name}'`);
    if (def.readonly) fail('VM_PROTECTED', `property '${name}' is read-only`, { property: name });
    if (!appliesTo(def, klass)) fail('PROPERTY_VALUE_INVALID', `property '${name}' does not apply to ${klass}`, { property: name });
    planned.push({ prop: def, stored: value === null ? null : checked(lookup, def, klass, current, value) });
  }
  checkMemory(lookup, klass, current, planned);
  return planned;
}

function checked(lookup: VmLookup, def: PropertyDef, klass: string, current: VmRecord | null, value: Exclude<PropertyValue, null>) {
  const parsed = def.schema.safeParse(value);
  if (!parsed.success) {
    fail('PROPERTY_VALUE_INVALID', `invalid value for '${def.name}': ${parsed.error.issues.map((i) => i.message).join('; ')}`, { property: def.name });
  }
  if (def.name === 'name') return checkRename(lookup, current, String(parsed.data));
  if (def.type !== 'vm') return parsed.data;
  const target = lookup.byName(String(parsed.data));
  if (!target) fail('PROPERTY_VALUE_INVALID', `invalid value for '${def.name}': no such VM '${String(parsed.data)}'`, { property: def.name });
  checkReference(lookup, def, klass, target);
  return target.uuid;
}

function checkRename(lookup: VmLookup, current: VmRecord | null, name: string): string {
  if (current?.uuid === DOM0_UUID) fail('VM_PROTECTED', 'dom0 cannot be renamed', { property: 'name' });
  const problem = vmNameProblem(name);
  if (problem) fail('PROPERTY_VALUE_INVALID', problem, { property: 'name' });
  if (current?.name !== name && lookup.byName(name)) fail('VM_EXISTS', `a VM named '${name}' already exists`, { property: 'name' });
  return name;
}

function checkReference(lookup: VmLookup, def: PropertyDef, klass: string, target: VmRecord): void {
  const dvmTemplate = effectiveValue(target, prop('template_for_dispvms'), lookup) === true;
  if (def.name === 'template' && klass === 'AppVM' && target.klass !== 'TemplateVM') {
    fail('PROPERTY_VALUE_INVALID', `template of an AppVM must be a TemplateVM; '${target.name}' is ${target.klass}`, { property: 'template' });
  }
  if (def.name === 'template' && klass === 'DispVM' && !dvmTemplate) {
    fail('PROPERTY_VALUE_INVALID', `template of a DispVM must have template_for_dispvms set; '${target.name}' does not`, { property: 'template' });
  }
  if (def.name === 'default_dispvm' && !dvmTemplate) {
    fail('PROPERTY_VALUE_INVALID', `default_dispvm must have template_for_dispvms set; '${target.name}' does not`, { property: 'default_dispvm' });
  }
}

/** memory ≤ maxmem, on the values the VM will have after the change (inherited ones included). */
function checkMemory(lookup: VmLookup, klass: string, current: VmRecord | null, planned: PlannedChange[]): void {
  if (!planned.some((c) => ['memory', 'maxmem', 'template'].includes(c.prop.name))) return;
  const after = { ...(current ?? blankRecord(klass)) } as Record<string, unknown>;
  for (const change of planned) after[change.prop.column] = change.stored;
  const memory = effectiveValue(after as VmRecord, prop('memory'), lookup) as number;
  const maxmem = effectiveValue(after as VmRecord, prop('maxmem'), lookup) as number;
  if (memory > maxmem) fail('PROPERTY_VALUE_INVALID', `memory (${memory} MiB) must not exceed maxmem (${maxmem} MiB)`, { property: planned.some((c) => c.prop.name === 'memory') ? 'memory' : 'maxmem' });
}

function blankRecord(klass: string): VmRecord {
  return {
    uuid: '', qid: -1, name: '', klass, label: 'red', templateUuid: null, memory: null, maxmem: null, vcpus: null,
    kernel: null, autostart: null, defaultDispvmUuid: null, templateForDispvms: null, shutdownTimeout: null,
    qrexecTimeout: null, consoleBuffer: null, maxEventChannels: null, autosuspendIdleS: null, onHostStop: null, cpuAffinity: null, powerState: 'halted', createdAt: new Date(0), updatedAt: new Date(0), tags: [],
  };
}

/** The column update that stores `planned`. */
export function columnsOf(planned: readonly PlannedChange[]): Partial<VmColumns> {
  return Object.fromEntries(planned.map((c) => [c.prop.column, c.stored])) as Partial<VmColumns>;
}
