/** What a client sees of a VM: effective property values (set, inherited or default) and which are defaults. */
import type { VmRecord } from '../../store/vm-repository.js';
import type { PowerState } from './power-state.js';
import { PROPERTIES, appliesTo, type PropertyDef, type PropertyValue } from './properties.js';
import type { VmLookup } from './vm-cache.js';

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
  console_buffer: number;
  max_event_channels: number;
  autosuspend_idle_s: number;
  on_host_stop: 'suspend' | 'shutdown' | 'kill';
  tags: string[];
  /** The properties that hold their default (unset) value: qvm-prefs' `D` flag. */
  defaults: string[];
}

/** Templates chain at most DispVM → disposable template → TemplateVM; more means a cycle. */
const MAX_CHAIN = 4;

/** The value a property has on `vm`: its own, else its template's (for inheriting ones), else the default. */
export function effectiveValue(vm: VmRecord, prop: PropertyDef, lookup: VmLookup, depth = 0): PropertyValue {
  if (!appliesTo(prop, vm.klass)) return null;
  const own = vm[prop.column];
  if (own !== null && own !== undefined) return prop.type === 'vm' ? (lookup.byUuid(String(own))?.name ?? null) : (own as PropertyValue);
  const template = vm.templateUuid ? lookup.byUuid(vm.templateUuid) : undefined;
  if (prop.inheritsFromTemplate && template && depth < MAX_CHAIN) return effectiveValue(template, prop, lookup, depth + 1);
  return prop.default;
}

export function isDefault(vm: VmRecord, prop: PropertyDef): boolean {
  return !prop.readonly && appliesTo(prop, vm.klass) && (vm[prop.column] === null || vm[prop.column] === undefined);
}

export function vmView(vm: VmRecord, lookup: VmLookup, state?: PowerState): VmView {
  const values: Record<string, PropertyValue> = {};
  for (const prop of PROPERTIES) values[prop.name] = effectiveValue(vm, prop, lookup);
  return {
    ...(values as unknown as Omit<VmView, 'state' | 'tags' | 'defaults'>),
    state: state ?? (vm.powerState as PowerState),
    tags: vm.tags,
    defaults: PROPERTIES.filter((p) => isDefault(vm, p)).map((p) => p.name),
  };
}
