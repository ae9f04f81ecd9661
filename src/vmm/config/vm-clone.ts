/**
 * A clone of a VM, as Qubes' qvm-clone makes one: a new VM of the same class (or the one asked
 * for), label and template, with the properties the source has set on itself (not its defaults),
 * its tags (less Qubes' `created-by-*`) and its features. Cella's VMs have no volumes: the image a
 * VM boots is a shared, read-only catalogue entry that `kernel` names, so the clone names the same
 * one. All of it is one write: the clone exists whole, with its events, or not at all.
 */
import type { VmRecord } from '../../store/vm-repository.js';
import type { CommandOf, CommandResults } from '../commands.js';
import { fail } from '../errors.js';
import type { Limits } from '../lifecycle/limits.js';
import type { ConfigTransactions } from './config-transaction.js';
import { DOM0_UUID } from './dom0.js';
import { PROPERTIES, appliesTo, type PropertyValue } from './properties.js';
import type { VmLookup } from './vm-cache.js';
import { isTemplateBased, type CreatableClass } from './vm-class.js';
import { createVm, mustFind, retryingQid } from './vm-registry.js';
import { vmView } from './vm-view.js';

/** Set at creation by their own rule, or never copied. */
const NOT_COPIED = new Set(['name', 'label', 'template']);

export class VmCloner {
  constructor(
    private readonly tx: ConfigTransactions,
    private readonly limits: Limits,
  ) {}

  clone(c: CommandOf<'vm.clone'>): Promise<CommandResults['vm.clone']> {
    return retryingQid(() => this.tx.run(async (ctx) => {
      const { repos, vms, emit, touch } = ctx;
      const source = mustFind(vms, c.source);
      if (source.uuid === DOM0_UUID) fail('VM_PROTECTED', 'dom0 cannot be cloned');
      const klass = c.klass ?? (source.klass as CreatableClass);
      const template = source.templateUuid && isTemplateBased(klass) ? vms.byUuid(source.templateUuid)?.name : undefined;
      const created = await createVm(ctx, this.limits, { name: c.name, klass, label: source.label as never, template, properties: ownValues(source, klass, vms) });
      const tags = source.tags.filter((t) => !t.startsWith('created-by-'));
      for (const tag of tags) {
        await repos.vms.addTag(created.uuid, tag);
        emit(`domain-tag-add:${tag}`, created.name, { tag });
      }
      for (const [feature, value] of Object.entries(await repos.vms.features(source.uuid))) {
        await repos.vms.setFeature(created.uuid, feature, value);
        emit(`domain-feature-set:${feature}`, created.name, { feature, value, oldvalue: null });
      }
      const record: VmRecord = { ...created, tags: [...tags].sort() };
      touch(created.uuid, record);
      return vmView(record, vms);
    }));
  }
}

/** The properties `source` has set on itself that a VM of `klass` has, as values to set (VMs by name). */
function ownValues(source: VmRecord, klass: string, vms: VmLookup): Record<string, PropertyValue> {
  const values: Record<string, PropertyValue> = {};
  for (const prop of PROPERTIES) {
    if (prop.readonly || NOT_COPIED.has(prop.name) || !appliesTo(prop, klass)) continue;
    const own = source[prop.column];
    if (own === null || own === undefined) continue;
    values[prop.name] = prop.type === 'vm' ? (vms.byUuid(String(own))?.name ?? null) : (own as PropertyValue);
  }
  return values;
}
