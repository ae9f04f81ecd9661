/** The VM registry: create, read, change and remove VM definitions, with Qubes' events. */
import { randomUUID } from 'node:crypto';
import { uniqueViolation } from '../../store/store.js';
import type { VmRecord } from '../../store/vm-repository.js';
import type { CommandOf, CommandResults } from '../commands.js';
import { fail } from '../errors.js';
import type { ConfigTransactions, WriteContext } from './config-transaction.js';
import { DOM0_NAME, DOM0_QID, DOM0_UUID } from './dom0.js';
import { columnsOf, planChanges } from './property-changes.js';
import type { VmCache, VmLookup, VmSet } from './vm-cache.js';
import { isTemplateBased } from './vm-class.js';
import { vmNameProblem } from './vm-name.js';
import { vmView } from './vm-view.js';
import type { Limits } from '../lifecycle/limits.js';

/** Tries of a create whose qid another host took meanwhile (shared database). */
const CREATE_ATTEMPTS = 8;

/** Properties that cannot change while the VM runs (Qubes refuses them too). */
const HALTED_ONLY = new Set(['name', 'template', 'kernel', 'memory', 'vcpus', 'console_buffer', 'max_event_channels']);
const isHalted = (vm: VmRecord): boolean => vm.powerState === 'halted' || vm.powerState === 'crashed';

export class VmRegistry {
  constructor(
    private readonly cache: VmCache,
    private readonly tx: ConfigTransactions,
    private readonly limits: Limits,
  ) {}

  /** Makes sure dom0 exists: the AdminVM, qid 0, running as long as the manager runs. */
  async ensureDom0(): Promise<void> {
    await this.tx.run(async ({ repos, vms, touch }) => {
      if (vms.byUuid(DOM0_UUID)) return;
      touch(DOM0_UUID, await repos.vms.create({ uuid: DOM0_UUID, qid: DOM0_QID, name: DOM0_NAME, klass: 'AdminVM', label: 'black', powerState: 'running' }));
    });
  }

  /** VMs matching the filter that `visible` lets the caller see, paged. */
  async list(c: CommandOf<'vm.list'>, visible: (vm: VmRecord) => boolean = () => true): Promise<CommandResults['vm.list']> {
    const vms = await this.cache.fresh();
    const { klass, label, tag, state } = c.filter;
    const matching = vms
      .all()
      .filter(
        (vm) =>
          (klass === undefined || vm.klass === klass) &&
          (label === undefined || vm.label === label) &&
          (state === undefined || vm.powerState === state) &&
          (tag === undefined || vm.tags.includes(tag)) &&
          visible(vm),
      );
    return { items: matching.slice(c.offset, c.offset + c.limit).map((vm) => vmView(vm, vms)), total: matching.length };
  }

  async get(c: CommandOf<'vm.get'>): Promise<CommandResults['vm.get']> {
    const vms = await this.cache.fresh();
    return vmView(mustFind(vms, c.name), vms);
  }

  /** Creates a VM: one row insert and its event (a qid another host took meanwhile means another try). */
  create(c: CommandOf<'vm.create'>): Promise<CommandResults['vm.create']> {
    return retryingQid(() => this.tx.run(async (ctx) => vmView(await createVm(ctx, this.limits, c), ctx.vms)));
  }

  update(c: CommandOf<'vm.update'>): Promise<CommandResults['vm.update']> {
    return this.tx.run(async ({ repos, vms, emit, touch }) => {
      const current = mustFind(vms, c.name);
      const locked = Object.keys(c.changes).filter((p) => HALTED_ONLY.has(p));
      if (!isHalted(current) && current.uuid !== DOM0_UUID && locked.length > 0) {
        fail('INVALID_STATE', `cannot change ${locked.join(', ')} of a VM that is ${current.powerState}; shut it down first`, { state: current.powerState });
      }
      const planned = planChanges(vms, current.klass, current, c.changes);
      if (planned.some((p) => p.prop.name === 'template_for_dispvms' && p.stored !== true)) checkDispvmUse(vms, current);
      const before = vmView(current, vms);
      const updated = await repos.vms.update(current, columnsOf(planned));
      touch(current.uuid, updated);
      const after = vmView(updated, { byUuid: (u) => (u === updated.uuid ? updated : vms.byUuid(u)), byName: (n) => vms.byName(n) });
      for (const { prop, stored } of planned) {
        const oldvalue = before[prop.name as keyof typeof before];
        const newvalue = after[prop.name as keyof typeof after];
        const wasDefault = before.defaults.includes(prop.name);
        if (stored === null && !wasDefault) emit(`property-reset:${prop.name}`, updated.name, { name: prop.name, oldvalue });
        if (stored !== null && (wasDefault || oldvalue !== newvalue)) {
          emit(`property-set:${prop.name}`, updated.name, { name: prop.name, newvalue, oldvalue });
        }
      }
      return after;
    });
  }

  delete(c: CommandOf<'vm.delete'>): Promise<void> {
    return this.tx.run(async ({ repos, vms, emit, touch }) => {
      const vm = mustFind(vms, c.name);
      if (vm.uuid === DOM0_UUID) fail('VM_PROTECTED', 'dom0 cannot be removed');
      if (!isHalted(vm)) fail('INVALID_STATE', `VM '${vm.name}' is ${vm.powerState}; shut it down before removing it`, { state: vm.powerState });
      const users = usersOf(vms, vm.uuid);
      if (users.template.length > 0 || users.defaultDispvm.length > 0) {
        const uses = [...users.template.map((n) => `template for ${n}`), ...users.defaultDispvm.map((n) => `default_dispvm for ${n}`)];
        fail('VM_IN_USE', `VM '${vm.name}' cannot be removed. It is in use as: ${uses.join(', ')}`, { users });
      }
      await repos.vms.delete(vm.uuid);
      touch(vm.uuid, null);
      emit('domain-delete', null, { vm: vm.name });
    });
  }
}

/** Creates a VM inside a write (`vm.create`, and a clone with what it copies after): the name, the caps and every value checked, then `domain-add`. */
/**
 * Runs a write that creates a VM until its qid holds: the qid comes from the cache, and on a shared
 * database another host may have taken it meanwhile; each try runs on a fresh copy.
 */
export async function retryingQid<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (attempt >= CREATE_ATTEMPTS || !uniqueViolation(err)?.includes('qid')) throw err;
    }
  }
}

/** The row of a new VM and its domain-add event, inside a write. */
export async function createVm(ctx: WriteContext, limits: Limits, c: Omit<CommandOf<'vm.create'>, 'type'>): Promise<VmRecord> {
  const { repos, vms, emit, touch } = ctx;
  const problem = vmNameProblem(c.name);
  if (problem) fail('VALIDATION_FAILED', problem, { property: 'name' });
  if (vms.byName(c.name)) fail('VM_EXISTS', `a VM named '${c.name}' already exists`, { property: 'name' });
  if (vms.size >= limits.maxVms) fail('LIMIT_EXCEEDED', `${vms.size} VMs exist, the limit (CELLA_MAX_VMS) is ${limits.maxVms}`);
  if (isTemplateBased(c.klass) && c.template === undefined) fail('PROPERTY_VALUE_INVALID', `a ${c.klass} needs a template`, { property: 'template' });
  const changes = { ...c.properties, label: c.label, ...(c.template === undefined ? {} : { template: c.template }) };
  const planned = planChanges(vms, c.klass, null, changes);
  const qid = vms.lowestFreeQid() ?? fail('LIMIT_EXCEEDED', 'no free qid left');
  const uuid = randomUUID();
  const created = await repos.vms
    .create({ ...columnsOf(planned), uuid, qid, name: c.name, klass: c.klass, label: c.label, powerState: 'halted' })
    .catch((err: unknown) => {
      // another host sharing the database took the name first
      if (uniqueViolation(err)?.includes('name')) fail('VM_EXISTS', `a VM named '${c.name}' already exists`, { property: 'name' });
      throw err;
    });
  touch(uuid, created);
  emit('domain-add', null, { vm: created.name });
  return created;
}

export function mustFind(lookup: VmLookup, name: string): VmRecord {
  return lookup.byName(name) ?? fail('VM_NOT_FOUND', `no such domain: '${name}'`);
}

/** Names of the VMs that use `uuid` as their template or default_dispvm. */
function usersOf(vms: VmSet, uuid: string): { template: string[]; defaultDispvm: string[] } {
  const all = vms.all();
  return {
    template: all.filter((v) => v.templateUuid === uuid).map((v) => v.name),
    defaultDispvm: all.filter((v) => v.defaultDispvmUuid === uuid).map((v) => v.name),
  };
}

/** A VM that others use as a disposable template keeps template_for_dispvms. */
function checkDispvmUse(vms: VmSet, vm: VmRecord): void {
  const users = usersOf(vms, vm.uuid);
  const dispvms = users.template.filter((n) => vms.byName(n)?.klass === 'DispVM');
  const names = [...new Set([...users.defaultDispvm, ...dispvms])].sort();
  if (names.length > 0) {
    fail('VM_IN_USE', `'${vm.name}' is the disposable template of ${names.join(', ')}; template_for_dispvms stays set`, { users: names });
  }
}
