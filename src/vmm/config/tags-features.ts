/** Tags and features of a VM, with Qubes' events. */
import type { Store } from '../../store/store.js';
import type { VmCache } from './vm-cache.js';
import type { CommandOf, CommandResults } from '../commands.js';
import { fail } from '../errors.js';
import type { ConfigTransactions } from './config-transaction.js';
import { FEATURE_NAME_MAX, FEATURE_NAME_PATTERN, FEATURE_VALUE_MAX, FEATURE_VALUE_PATTERN, TAG_MAX, TAG_PATTERN } from './tag.js';
import { mustFind } from './vm-registry.js';

export class TagsAndFeatures {
  constructor(
    private readonly store: Store,
    private readonly cache: VmCache,
    private readonly tx: ConfigTransactions,
  ) {}

  async tags(c: CommandOf<'vm.tag.list'>): Promise<string[]> {
    return mustFind(await this.cache.fresh(), c.name).tags;
  }

  addTag(c: CommandOf<'vm.tag.add'>): Promise<CommandResults['vm.tag.add']> {
    checkTag(c.tag);
    return this.tx.run(async ({ repos, vms, emit, touch }) => {
      const vm = mustFind(vms, c.name);
      const added = await repos.vms.addTag(vm.uuid, c.tag);
      if (added) touch(vm.uuid, { ...vm, tags: [...vm.tags, c.tag].sort() });
      if (added) emit(`domain-tag-add:${c.tag}`, vm.name, { tag: c.tag });
      return { added };
    });
  }

  removeTag(c: CommandOf<'vm.tag.remove'>): Promise<void> {
    checkTag(c.tag);
    return this.tx.run(async ({ repos, vms, emit, touch }) => {
      const vm = mustFind(vms, c.name);
      if (!(await repos.vms.removeTag(vm.uuid, c.tag))) fail('TAG_NOT_FOUND', `VM '${vm.name}' has no tag '${c.tag}'`);
      touch(vm.uuid, { ...vm, tags: vm.tags.filter((t) => t !== c.tag) });
      emit(`domain-tag-delete:${c.tag}`, vm.name, { tag: c.tag });
    });
  }

  async features(c: CommandOf<'vm.feature.list'>): Promise<Record<string, string>> {
    return this.store.vms.features(mustFind(await this.cache.fresh(), c.name).uuid);
  }

  async feature(c: CommandOf<'vm.feature.get'>): Promise<string> {
    checkFeatureName(c.feature);
    const vm = mustFind(await this.cache.fresh(), c.name);
    return (await this.store.vms.feature(vm.uuid, c.feature)) ?? fail('FEATURE_NOT_FOUND', `VM '${vm.name}' has no feature '${c.feature}'`);
  }

  setFeature(c: CommandOf<'vm.feature.set'>): Promise<void> {
    checkFeatureName(c.feature);
    if (c.value.length > FEATURE_VALUE_MAX || !FEATURE_VALUE_PATTERN.test(c.value)) {
      fail('VALIDATION_FAILED', `feature values are printable ASCII (0x20–0x7E), at most ${FEATURE_VALUE_MAX} characters`);
    }
    return this.tx.run(async ({ repos, vms, emit }) => {
      const vm = mustFind(vms, c.name);
      const oldvalue = await repos.vms.feature(vm.uuid, c.feature);
      if (oldvalue === c.value) return;
      await repos.vms.setFeature(vm.uuid, c.feature, c.value);
      emit(`domain-feature-set:${c.feature}`, vm.name, { feature: c.feature, value: c.value, oldvalue });
    });
  }

  deleteFeature(c: CommandOf<'vm.feature.delete'>): Promise<void> {
    checkFeatureName(c.feature);
    return this.tx.run(async ({ repos, vms, emit }) => {
      const vm = mustFind(vms, c.name);
      if (!(await repos.vms.deleteFeature(vm.uuid, c.feature))) {
        fail('FEATURE_NOT_FOUND', `VM '${vm.name}' has no feature '${c.feature}'`);
      }
      emit(`domain-feature-delete:${c.feature}`, vm.name, { feature: c.feature });
    });
  }
}

function checkTag(tag: string): void {
  if (tag.length > TAG_MAX || !TAG_PATTERN.test(tag)) {
    fail('VALIDATION_FAILED', `tag '${tag}' has disallowed characters: use A-Z a-z 0-9 _ - (at most ${TAG_MAX})`);
  }
}

function checkFeatureName(name: string): void {
  if (name.length > FEATURE_NAME_MAX || !FEATURE_NAME_PATTERN.test(name)) {
    fail('VALIDATION_FAILED', `feature name '${name}' has disallowed characters: use A-Z a-z 0-9 _ . - (at most ${FEATURE_NAME_MAX})`);
  }
}
