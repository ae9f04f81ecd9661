import { describe, expect, it } from 'vitest';
import {
  ADMIN_METHODS,
  compilePolicy,
  defaultPolicyFiles,
  defaultPolicyTree,
  lintMessages,
  POLICY_ADMIN_METHODS,
  policyTree,
  treeFiles,
  type Decision,
} from '../../../../src/qrexec/policy/index.js';
import { decide } from '../../../fixtures/policy/harness.js';

const REQUIRED_ADMIN_METHODS = [
  'admin.vm.List',
  'admin.vm.Create.AppVM',
  'admin.vm.Create.TemplateVM',
  'admin.vm.Create.StandaloneVM',
  'admin.vm.Create.DispVM',
  'admin.vm.Remove',
  'admin.vm.Start',
  'admin.vm.Shutdown',
  'admin.vm.Pause',
  'admin.vm.Unpause',
  'admin.vm.Kill',
  'admin.vm.property.Get',
  'admin.vm.property.GetAll',
  'admin.vm.property.Set',
  'admin.vm.property.Reset',
  'admin.vm.property.List',
  'admin.vm.property.Help',
  'admin.vm.tag.List',
  'admin.vm.tag.Get',
  'admin.vm.tag.Set',
  'admin.vm.tag.Remove',
  'admin.vm.feature.List',
  'admin.vm.feature.Get',
  'admin.vm.feature.Set',
  'admin.vm.feature.Remove',
  'admin.vm.CurrentState',
  'admin.vm.Console',
  'admin.Events',
  'admin.vm.Suspend',
  'admin.vm.Resume',
  'admin.property.Get',
  'admin.property.List',
  'admin.vmclass.List',
  'admin.label.List',
];

const policy = compilePolicy(defaultPolicyTree());
const call = (service: string, source: string, target: string): Decision => decide(policy, { service, source, target });

/** The default tree with one include file replaced. */
function granting(include: string, content: string) {
  const files = defaultPolicyFiles().map((f) => (f.name === include ? { ...f, content: `${f.content}${content}\n` } : f));
  return compilePolicy(policyTree(files));
}

describe('the admin method catalogue', () => {
  it('declares every required method once', () => {
    const names = ADMIN_METHODS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of REQUIRED_ADMIN_METHODS) expect(names, name).toContain(name);
  });

  it('gives lifecycle methods local scope and execute access, listing methods global read access', () => {
    expect(ADMIN_METHODS.find((m) => m.name === 'admin.vm.Start')).toEqual({ name: 'admin.vm.Start', scope: 'local', access: 'execute' });
    expect(ADMIN_METHODS.find((m) => m.name === 'admin.vm.List')).toEqual({ name: 'admin.vm.List', scope: 'global', access: 'read' });
  });
});

describe("Cella's default policy", () => {
  it('is laid out like Qubes policy.d and compiles without errors', () => {
    expect(treeFiles(defaultPolicyTree()).map((f) => f.name)).toEqual([
      '30-user.policy',
      '90-admin-default.policy',
      '90-admin-policy-default.policy',
      '90-default.policy',
      '91-admin-default-deny.policy',
      'include/admin-global-ro',
      'include/admin-global-rwx',
      'include/admin-local-ro',
      'include/admin-local-rwx',
      'include/admin-policy-ro',
      'include/admin-policy-rwx',
    ]);
    expect(lintMessages(defaultPolicyTree())).toEqual([]);
  });

  it('generates one !include-service line per admin method, rwx for write/execute and ro for read', () => {
    const admin = defaultPolicyFiles().find((f) => f.name === '90-admin-default.policy')?.content ?? '';
    expect(admin).toContain('!include-service admin.vm.Start * include/admin-local-rwx\n');
    expect(admin).toContain('!include-service admin.vm.property.Get * include/admin-local-ro\n');
    expect(admin).toContain('!include-service admin.vm.List * include/admin-global-ro\n');
    expect(admin).toContain('!include-service admin.vm.Create.AppVM * include/admin-global-rwx\n');
    expect(admin.split('\n').filter((l) => l.startsWith('!include-service')).length).toBe(ADMIN_METHODS.length);
  });

  it('generates the policy.* lines from their own catalogue', () => {
    const file = defaultPolicyFiles().find((f) => f.name === '90-admin-policy-default.policy')?.content ?? '';
    for (const m of POLICY_ADMIN_METHODS) expect(file).toContain(`!include-service ${m.name} * include/admin-policy-`);
    expect(file).toContain('!include-service policy.Replace * include/admin-policy-rwx');
    expect(file).toContain('!include-service policy.List * include/admin-policy-ro');
  });

  it('takes the admin methods from the caller when given', () => {
    const files = defaultPolicyFiles([{ name: 'admin.custom.Thing', scope: 'local', access: 'read' }]);
    expect(files.find((f) => f.name === '90-admin-default.policy')?.content).toContain('!include-service admin.custom.Thing * include/admin-local-ro');
  });

  it('allows qubes.GetDate and qubes.GetRandom among qubes', () => {
    expect(call('qubes.GetDate', 'work', 'personal')).toMatchObject({ action: 'allow', target: 'personal' });
    expect(call('qubes.GetRandom', 'vault', 'sys-net')).toMatchObject({ action: 'allow', target: 'sys-net' });
    expect(call('qubes.GetDate', 'anon-whonix', 'work').action).toBe('deny');
  });

  it('asks for qubes.VMShell, but lets a qube run a shell in its own new disposable', () => {
    expect(call('qubes.VMShell', 'work', 'personal').action).toBe('ask');
    expect(call('qubes.VMShell', 'work', '@dispvm')).toMatchObject({ action: 'allow', target: '@dispvm:default-dvm' });
    expect(call('qubes.VMRootShell', 'work', 'personal').action).toBe('deny');
  });

  it('routes template updates through sys-net and nothing else', () => {
    expect(call('qubes.UpdatesProxy', 'debian-12', '')).toMatchObject({ action: 'allow', target: 'sys-net' });
    expect(call('qubes.UpdatesProxy', 'work', '').action).toBe('deny');
  });

  it.each(ADMIN_METHODS.map((m) => m.name))('denies %s to every qube by default (only dom0, outside the policy, manages)', (method) => {
    for (const target of ['dom0', '@adminvm', 'personal', 'work']) expect(call(method, 'work', target).action).toBe('deny');
  });

  it('grants local read and write methods through include/admin-local-rwx, rwx implying ro', () => {
    const p = granting('include/admin-local-rwx', 'work @anyvm allow target=dom0');
    const d = decide(p, { service: 'admin.vm.Start', source: 'work', target: 'personal' });
    expect(d).toMatchObject({ action: 'allow', target: 'dom0', requestedTarget: 'personal', rule: { file: 'include/admin-local-rwx' } });
    expect(decide(p, { service: 'admin.vm.property.Get', source: 'work', target: 'personal', argument: '+netvm' }).action).toBe('allow');
    expect(decide(p, { service: 'admin.vm.List', source: 'work', target: 'dom0' }).action).toBe('deny');
    expect(decide(p, { service: 'admin.vm.Start', source: 'personal', target: 'vault' }).action).toBe('deny');
  });

  it('grants read-only methods alone through include/admin-global-ro', () => {
    const p = granting('include/admin-global-ro', 'work @adminvm allow target=dom0');
    expect(decide(p, { service: 'admin.vm.List', source: 'work', target: 'dom0' }).action).toBe('allow');
    expect(decide(p, { service: 'admin.vm.Create.AppVM', source: 'work', target: 'dom0' }).action).toBe('deny');
  });

  it('lets the admin filter ask per qube: allowed only where the policy allows without asking', () => {
    const p = granting('include/admin-global-ro', 'work @tag:managed allow target=dom0\nwork @anyvm ask target=dom0');
    const listed = ['work', 'personal', 'standalone'].filter(
      (q) => decide(p, { service: 'admin.vm.List', source: 'work', target: q }).action === 'allow',
    );
    expect(listed).toEqual(['work']);
  });
});
