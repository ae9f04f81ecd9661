import { beforeAll, describe, expect, it } from 'vitest';
import { compilePolicy, readPolicyDir, type CompiledPolicy, type Decision } from '../../../../src/qrexec/policy/index.js';
import { SYSTEM } from '../../../fixtures/policy/system.js';
import { decide } from '../../../fixtures/policy/harness.js';

const DIR = new URL('../../../fixtures/policy/qubes-default/', import.meta.url).pathname;
let policy: CompiledPolicy;

beforeAll(async () => {
  const tree = await readPolicyDir(DIR);
  if (!tree.ok) throw new Error(tree.error);
  const compiled = compilePolicy(tree.value);
  if (!compiled.ok) throw new Error(compiled.errors.map((e) => e.message).join('\n'));
  policy = compiled;
});

const call = (service: string, source: string, target: string): Decision => decide(policy, { service, source, target });

/** Everything @anyvm offers work in the test system. */
const OFFERED_TO_WORK = Object.entries(SYSTEM.domains)
  .filter(([name, d]) => d.type !== 'AdminVM' && !d.internal && name !== 'work')
  .map(([name]) => name)
  .concat(['@dispvm:default-dvm', '@dispvm:whonix-dvm'])
  .sort();

describe("Qubes' default policy (reference §2.10) decides as Qubes documents", () => {
  it.each<[string, string, string, string, string | null]>([
    ['policy.RegisterArgument', 'work', 'personal', 'deny', null],
    ['qubes.ConnectTCP', 'work', 'sys-net', 'deny', null],
    ['qubes.FeaturesRequest', 'work', 'dom0', 'allow', 'dom0'],
    ['qubes.FeaturesRequest', 'work', 'personal', 'deny', null],
    ['qubes.GetDate', 'work', '', 'allow', 'dom0'],
    ['qubes.GetDate', 'work', 'personal', 'allow', 'dom0'],
    ['qubes.GetDate', 'anon-whonix', '', 'deny', null],
    ['qubes.OpenInVM', 'work', '@dispvm', 'allow', '@dispvm:default-dvm'],
    ['qubes.OpenInVM', 'anon-whonix', '@dispvm', 'allow', '@dispvm:whonix-dvm'],
    ['qubes.StartApp', 'work', '@dispvm', 'allow', '@dispvm:default-dvm'],
    ['qubes.Notifications', 'work', '', 'allow', 'dom0'],
    ['qubes.Notifications', 'work', 'personal', 'deny', null],
    ['qubes.UpdatesProxy', 'whonix-gw', '', 'allow', 'sys-whonix'],
    ['qubes.UpdatesProxy', 'debian-12', '', 'allow', 'sys-net'],
    ['qubes.UpdatesProxy', 'work', '', 'deny', null],
    ['qubes.UpdatesProxy', 'debian-12', 'sys-net', 'deny', null],
    ['qubes.VMShell', 'work', '@dispvm', 'allow', '@dispvm:default-dvm'],
    ['qubes.VMShell', 'work', 'personal', 'deny', null],
    ['qubes.VMShell', 'vault', '@dispvm', 'deny', null],
    ['qubes.VMExec', 'work', '@dispvm:whonix-dvm', 'deny', null],
    ['qubes.VMExecGUI', 'work', '@dispvm', 'allow', '@dispvm:default-dvm'],
    ['qubes.VMRootShell', 'work', '@dispvm', 'deny', null],
    ['some.Unknown', 'work', 'personal', 'deny', null],
  ])('%s from %s to %j: %s %s', (service, source, target, action, resolved) => {
    const d = call(service, source, target);
    expect(d.action).toBe(action);
    expect(d.target).toBe(resolved);
  });

  it('asks where to copy a file, offering every qube but dom0 and the caller', () => {
    for (const target of ['personal', '', '@default']) {
      const d = call('qubes.Filecopy', 'work', target);
      expect(d.action).toBe('ask');
      expect(d.askChoices?.targets).toEqual(OFFERED_TO_WORK);
    }
  });

  it('asks for OpenInVM to a named qube, offering new disposables too', () => {
    const d = call('qubes.OpenInVM', 'work', 'personal');
    expect(d.action).toBe('ask');
    expect(d.askChoices?.targets).toContain('@dispvm:default-dvm');
  });

  it('denies the probed admin GetAll calls without notifying', () => {
    expect(call('admin.vm.property.GetAll', 'work', 'personal')).toMatchObject({ action: 'deny', notify: false });
    expect(call('admin.vm.property.GetAll', 'work', 'dom0')).toMatchObject({ action: 'deny', notify: false });
    expect(call('admin.property.GetAll', 'work', '@adminvm')).toMatchObject({ action: 'deny', notify: false });
  });

  it('notifies on the other denials', () => {
    expect(call('qubes.VMShell', 'work', 'personal').notify).toBe(true);
    expect(call('admin.vm.List', 'work', 'dom0')).toMatchObject({ action: 'deny', notify: true, reason: 'no matching rule found' });
  });
});
