/** The VM registry: create, read, change and remove VM definitions, with Qubes' events. */
import { randomUUID } from 'node:crypto';
import type { Repositories, Store } from '../../store/store.js';
import type { VmRecord } from '../../store/vm-repository.js';
import type { CommandOf, CommandResults } from '../commands.js';
import { fail } from '../errors.js';
import type { ConfigTransactions } from './config-transaction.js';
import { DOM0_NAME, DOM0_QID, DOM0_UUID } from './dom0.js';
import { columnsOf, planChanges } from './property-changes.js';
import { isTemplateBased } from './vm-class.js';
import { vmNameProblem } from './vm-name.js';
import { vmView } from './vm-view.js';

export class VmRegistry {
  constructor(
    private readonly store: Store,
    private readonly tx: ConfigTransactions,
  ) {}

  /** Makes sure dom0 exists: the AdminVM, qid 0, running as long as the manager runs. */
  async ensureDom0(): Promise<void> {
    if (await this.store.vms.findByUuid(DOM0_UUID)) return;
    await this.tx.run((repos) =>
      repos.vms.create({ uuid: DOM0_UUID, qid: DOM0_QID, name: DOM0_NAME, klass: 'AdminVM', label: 'black', powerState: 'running' }),
    );
  }

  async list(c: CommandOf<'vm.list'>): Promise<CommandResults['vm.list']> {
    const filter = { klass: c.filter.klass, label: c.filter.label, tag: c.filter.tag, powerState: c.filter.state };
    const { items, total } = await this.store.vms.list(filter, c.offset, c.limit);
    return { items: items.map((r) => vmView(r)), total };
  }

  async get(c: CommandOf<'vm.get'>): Promise<CommandResults['vm.get']> {
    return vmView(await mustFind(this.store, c.name));
  }

  create(c: CommandOf<'vm.create'>): Promise<CommandResults['vm.create']> {
    return this.tx.run(async (repos, emit) => {
      const problem = vmNameProblem(c.name);
      if (problem) fail('VALIDATION_FAILED', problem);
      if (await repos.vms.findByName(c.name)) fail('VM_EXISTS', `a VM named '${c.name}' already exists`);
      if (isTemplateBased(c.klass) && c.template === undefined) fail('PROPERTY_VALUE_INVALID', `a ${c.klass} needs a template`);
      const changes = { ...c.properties, label: c.label, ...(c.template === undefined ? {} : { template: c.template }) };
      const planned = await planChanges(repos, c.klass, null, changes);
      const qid = (await repos.vms.lowestFreeQid()) ?? fail('LIMIT_EXCEEDED', 'no free qid left');
      const record = await repos.vms.create({
        ...columnsOf(planned),
        uuid: randomUUID(),
        qid,
        name: c.name,
        klass: c.klass,
        label: c.label,
        powerState: 'halted',
      });
      emit('domain-add', null, { vm: record.name });
      return vmView(record);
    });
  }

  update(c: CommandOf<'vm.update'>): Promise<CommandResults['vm.update']> {
    return this.tx.run(async (repos, emit) => {
      const current = await mustFind(repos, c.name);
      const planned = await planChanges(repos, current.klass, current, c.changes);
      await checkDispvmUse(repos, current, planned.find((p) => p.prop.name === 'template_for_dispvms')?.stored);
      const before = vmView(current);
      const record = await repos.vms.update(current.uuid, columnsOf(planned));
      const after = vmView(record);
      for (const { prop, stored } of planned) {
        const oldvalue = before[prop.name as keyof typeof before];
        const newvalue = after[prop.name as keyof typeof after];
        const wasDefault = before.defaults.includes(prop.name);
        if (stored === null && !wasDefault) emit(`property-reset:${prop.name}`, record.name, { name: prop.name, oldvalue });
        if (stored !== null && (wasDefault || oldvalue !== newvalue)) {
          emit(`property-set:${prop.name}`, record.name, { name: prop.name, newvalue, oldvalue });
        }
      }
      return after;
    });
  }

  delete(c: CommandOf<'vm.delete'>): Promise<void> {
    return this.tx.run(async (repos, emit) => {
      const vm = await mustFind(repos, c.name);
      if (vm.uuid === DOM0_UUID) fail('VM_PROTECTED', 'dom0 cannot be removed');
      const users = await repos.vms.usersOf(vm.uuid);
      if (users.template.length > 0 || users.defaultDispvm.length > 0) {
        const uses = [
          ...users.template.map((n) => `template for ${n}`),
          ...users.defaultDispvm.map((n) => `default_dispvm for ${n}`),
        ];
        fail('VM_IN_USE', `VM '${vm.name}' cannot be removed. It is in use as: ${uses.join(', ')}`, { users });
      }
      await repos.vms.delete(vm.uuid);
      emit('domain-delete', null, { vm: vm.name });
    });
  }
}

export async function mustFind(repos: Pick<Repositories, 'vms'>, name: string): Promise<VmRecord> {
  return (await repos.vms.findByName(name)) ?? fail('VM_NOT_FOUND', `no such domain: '${name}'`);
}

/** A VM that others use as a disposable template keeps template_for_dispvms. */
async function checkDispvmUse(repos: Repositories, vm: VmRecord, newValue: unknown): Promise<void> {
  if (newValue !== false && newValue !== null) return;
  const users = await repos.vms.usersOf(vm.uuid);
  const dispvms = (await repos.vms.list({ klass: 'DispVM' }, 0, 100_000)).items.filter((d) => d.templateUuid === vm.uuid);
  const names = [...new Set([...users.defaultDispvm, ...dispvms.map((d) => d.name)])].sort();
  if (names.length > 0) {
    fail('VM_IN_USE', `'${vm.name}' is the disposable template of ${names.join(', ')}; template_for_dispvms stays set`, { users: names });
  }
}
