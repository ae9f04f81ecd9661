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
  cpu_affinity: string;
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

/** A view built before, with the records its building read (template chain, VMs it names by uuid). */
interface Built {
  readonly view: VmView;
  readonly reads: readonly (readonly [uuid: string, record: VmRecord | undefined])[];
}

/**
 * Views by record: a record is never changed, a change makes a new one, so a view stays right as long
 * as every record it read is still the one the lookup has (a template's change shows in its AppVMs).
 */
const built = new WeakMap<VmRecord, Built>();

/** What a client sees of `vm`; frozen, since it is shared by every reader until the VM or what it reads changes. */
export function vmView(vm: VmRecord, lookup: VmLookup): VmView {
  const known = built.get(vm);
  if (known && known.reads.every(([uuid, record]) => lookup.byUuid(uuid) === record)) return known.view;
  const reads = new Map<string, VmRecord | undefined>();
  const tracked: VmLookup = {
    byUuid: (uuid) => {
      const record = lookup.byUuid(uuid);
      reads.set(uuid, record);
      return record;
    },
    byName: (name) => lookup.byName(name),
  };
  const view = buildView(vm, tracked);
  built.set(vm, { view, reads: [...reads] });
  return view;
}

function buildView(vm: VmRecord, lookup: VmLookup): VmView {
  const values: Record<string, PropertyValue> = {};
  for (const prop of PROPERTIES) values[prop.name] = effectiveValue(vm, prop, lookup);
  return Object.freeze({
    ...(values as unknown as Omit<VmView, 'state' | 'tags' | 'defaults'>),
    state: vm.powerState as PowerState,
    tags: vm.tags,
    defaults: Object.freeze(PROPERTIES.filter((p) => isDefault(vm, p)).map((p) => p.name)) as string[],
  });
}
