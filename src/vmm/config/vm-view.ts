/** What a client sees of a VM: effective property values (set, inherited or default) and which are defaults. */
import type { VmRecord, VmRow } from '../../store/vm-repository.js';
import type { PowerState } from './power-state.js';
import { PROPERTIES, appliesTo, type PropertyDef, type PropertyValue } from './properties.js';

export interface VmView {
  name: string;
  uuid: string;
  qid: number;
  class: string;
  state: PowerState;
  label: string;
  template: string | null;
  memory: number;
  maxmem: number;
  vcpus: number;
  kernel: string;
  autostart: boolean;
  default_dispvm: string | null;
  template_for_dispvms: boolean;
  shutdown_timeout: number;
  qrexec_timeout: number;
  tags: string[];
  /** The properties that hold their default (unset) value: qvm-prefs' `D` flag. */
  defaults: string[];
}

/** A row with as much of its template chain and references as was loaded. */
type Chain = VmRow & { template?: Chain | null; defaultDispvm?: VmRow | null };

/** The value a property has on `vm`: its own, else its template's (for inheriting ones), else the default. */
export function effectiveValue(vm: Chain, prop: PropertyDef): PropertyValue {
  if (!appliesTo(prop, vm.klass)) return null;
  const own = vm[prop.column];
  if (own !== null && own !== undefined) return prop.type === 'vm' ? referencedName(vm, prop) : (own as PropertyValue);
  if (prop.inheritsFromTemplate && vm.template) return effectiveValue(vm.template, prop);
  return prop.default;
}

function referencedName(vm: Chain, prop: PropertyDef): string | null {
  if (prop.column === 'templateUuid') return vm.template?.name ?? null;
  if (prop.column === 'defaultDispvmUuid') return vm.defaultDispvm?.name ?? null;
  return null;
}

export function isDefault(vm: VmRow, prop: PropertyDef): boolean {
  return !prop.readonly && appliesTo(prop, vm.klass) && (vm[prop.column] === null || vm[prop.column] === undefined);
}

export function vmView(record: VmRecord, state?: PowerState): VmView {
  const values: Record<string, PropertyValue> = {};
  for (const prop of PROPERTIES) values[prop.name] = effectiveValue(record, prop);
  return {
    ...(values as unknown as Omit<VmView, 'state' | 'tags' | 'defaults'>),
    state: state ?? (record.powerState as PowerState),
    tags: record.tags.map((t) => t.tag),
    defaults: PROPERTIES.filter((p) => isDefault(record, p)).map((p) => p.name),
  };
}
