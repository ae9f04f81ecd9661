/**
 * Turns requested property values into column updates: each value checked against the
 * catalogue, VM references resolved, cross-property rules applied. Nothing is written here.
 */
import type { Repositories } from '../../store/store.js';
import type { VmRecord, VmRow } from '../../store/vm-repository.js';
import { fail } from '../errors.js';
import { PROPERTY_BY_NAME, appliesTo, type PropertyDef, type PropertyValue } from './properties.js';
import { effectiveValue } from './vm-view.js';
import { vmNameProblem } from './vm-name.js';
import { DOM0_UUID } from './dom0.js';

export interface PlannedChange {
  readonly prop: PropertyDef;
  /** The column value to store: null resets to the default. */
  readonly stored: string | number | boolean | null;
  /** What a client sees as the new value (a VM name for references). */
  readonly shown: PropertyValue;
  /** The VM a reference points at, when the property is a VM reference. */
  readonly target?: VmRecord;
}

/** Plans `changes` on a VM of class `klass` whose current row is `current` (null while creating). */
export async function planChanges(
  repos: Repositories,
  klass: string,
  current: VmRecord | null,
  changes: Record<string, PropertyValue>,
): Promise<PlannedChange[]> {
  const planned: PlannedChange[] = [];
  for (const [name, value] of Object.entries(changes)) {
    const prop = PROPERTY_BY_NAME.get(name) ?? fail('VALIDATION_FAILED', `no such property: '${name}'`);
    if (prop.readonly) fail('VM_PROTECTED', `property '${name}' is read-only`);
    if (!appliesTo(prop, klass)) fail('PROPERTY_VALUE_INVALID', `property '${name}' does not apply to ${klass}`);
    planned.push(value === null ? reset(prop) : await set(repos, prop, klass, current, value));
  }
  checkMemory(klass, current, planned);
  return planned;
}

function reset(prop: PropertyDef): PlannedChange {
  if (prop.default === null && !prop.inheritsFromTemplate && prop.type !== 'vm' && prop.type !== 'bool') {
    fail('PROPERTY_VALUE_INVALID', `property '${prop.name}' has no default to reset to`);
  }
  return { prop, stored: null, shown: null };
}

async function set(
  repos: Repositories,
  prop: PropertyDef,
  klass: string,
  current: VmRecord | null,
  value: Exclude<PropertyValue, null>,
): Promise<PlannedChange> {
  const parsed = prop.schema.safeParse(value);
  if (!parsed.success) {
    fail('PROPERTY_VALUE_INVALID', `invalid value for '${prop.name}': ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (prop.name === 'name') return rename(repos, prop, current, String(parsed.data));
  if (prop.type !== 'vm') return { prop, stored: parsed.data, shown: parsed.data };
  const target = await repos.vms.findByName(String(parsed.data));
  if (!target) fail('PROPERTY_VALUE_INVALID', `invalid value for '${prop.name}': no such VM '${String(parsed.data)}'`);
  checkReference(prop, klass, target);
  return { prop, stored: target.uuid, shown: target.name, target };
}

async function rename(repos: Repositories, prop: PropertyDef, current: VmRecord | null, name: string): Promise<PlannedChange> {
  if (current?.uuid === DOM0_UUID) fail('VM_PROTECTED', 'dom0 cannot be renamed');
  const problem = vmNameProblem(name);
  if (problem) fail('PROPERTY_VALUE_INVALID', problem);
  if (current?.name !== name && (await repos.vms.findByName(name))) fail('VM_EXISTS', `a VM named '${name}' already exists`);
  return { prop, stored: name, shown: name };
}

function checkReference(prop: PropertyDef, klass: string, target: VmRecord): void {
  const dvmTemplate = effectiveValue(target, PROPERTY_BY_NAME.get('template_for_dispvms')!) === true;
  if (prop.name === 'template' && klass === 'AppVM' && target.klass !== 'TemplateVM') {
    fail('PROPERTY_VALUE_INVALID', `template of an AppVM must be a TemplateVM; '${target.name}' is ${target.klass}`);
  }
  if (prop.name === 'template' && klass === 'DispVM' && !dvmTemplate) {
    fail('PROPERTY_VALUE_INVALID', `template of a DispVM must have template_for_dispvms set; '${target.name}' does not`);
  }
  if (prop.name === 'default_dispvm' && !dvmTemplate) {
    fail('PROPERTY_VALUE_INVALID', `default_dispvm must have template_for_dispvms set; '${target.name}' does not`);
  }
}

/** memory ≤ maxmem, on the values the VM will have after the change (inherited ones included). */
function checkMemory(klass: string, current: VmRecord | null, planned: PlannedChange[]): void {
  const touched = planned.some((c) => ['memory', 'maxmem', 'template'].includes(c.prop.name));
  if (!touched) return;
  const after = projected(klass, current, planned);
  const memory = effectiveValue(after, PROPERTY_BY_NAME.get('memory')!) as number;
  const maxmem = effectiveValue(after, PROPERTY_BY_NAME.get('maxmem')!) as number;
  if (memory > maxmem) fail('PROPERTY_VALUE_INVALID', `memory (${memory} MiB) must not exceed maxmem (${maxmem} MiB)`);
}

type Projected = VmRow & { template: VmRecord['template'] | VmRecord | null };

function projected(klass: string, current: VmRecord | null, planned: PlannedChange[]): Projected {
  const base = current ?? blankRow(klass);
  const row: Projected = { ...base, template: current?.template ?? null };
  for (const change of planned) {
    (row as unknown as Record<string, unknown>)[change.prop.column] = change.stored;
    if (change.prop.name === 'template') row.template = change.target ?? null;
  }
  return row;
}

function blankRow(klass: string): VmRow {
  return {
    uuid: '', qid: -1, name: '', klass, label: 'red', templateUuid: null, memory: null, maxmem: null, vcpus: null,
    kernel: null, autostart: null, defaultDispvmUuid: null, templateForDispvms: null, shutdownTimeout: null,
    qrexecTimeout: null, powerState: 'halted', createdAt: new Date(0), updatedAt: new Date(0),
  };
}

/** The column update that stores `planned`. */
export function columnsOf(planned: readonly PlannedChange[]): Record<string, string | number | boolean | null> {
  return Object.fromEntries(planned.map((c) => [c.prop.column, c.stored]));
}
