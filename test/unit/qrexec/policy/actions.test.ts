import { describe, expect, it } from 'vitest';
import { ACTION_DEFAULTS, ACTION_PARAMS } from '../../../../src/qrexec/policy/index.js';
import { SYSTEM, UUID } from '../../../fixtures/policy/system.js';
import { decide } from '../../../fixtures/policy/harness.js';

const call = { source: 'work', target: 'sys-net' };

describe('action defaults', () => {
  it('declares notify=no autostart=yes for allow and ask, notify=yes for deny', () => {
    expect(ACTION_DEFAULTS).toEqual({ allow: { notify: false, autostart: true }, ask: { notify: false, autostart: true }, deny: { notify: true } });
  });

  it.each([
    ['allow', false],
    ['ask', false],
    ['deny', true],
  ])('%s notifies by default: %s', (action, notify) => {
    expect(decide(`test.Service * @anyvm @anyvm ${action}`, call).notify).toBe(notify);
  });

  it.each(['allow', 'ask', 'deny'])('%s honours notify=yes and notify=no', (action) => {
    expect(decide(`test.Service * @anyvm @anyvm ${action} notify=yes`, call).notify).toBe(true);
    expect(decide(`test.Service * @anyvm @anyvm ${action} notify=no`, call).notify).toBe(false);
  });

  it.each(['allow', 'ask'])('%s autostarts by default', (action) => {
    expect(decide(`test.Service * @anyvm @anyvm ${action}`, { source: 'work', target: 'personal' }).autostart).toBe(true);
  });

  it('runs as the default user unless user= is given', () => {
    expect(decide('test.Service * @anyvm @anyvm allow', call).user).toBeNull();
    expect(decide('test.Service * @anyvm @anyvm allow user=root', call).user).toBe('root');
    expect(decide('test.Service * @anyvm @anyvm ask user=root', call).user).toBe('root');
  });

  it('lists the parameters each action takes', () => {
    expect(ACTION_PARAMS.deny).toEqual(['notify']);
    expect(ACTION_PARAMS.allow).not.toContain('default_target');
    expect(ACTION_PARAMS.ask).toContain('default_target');
  });
});

describe('allow', () => {
  it('sends the call to the requested target', () => {
    const d = decide('test.Service * work sys-net allow', call);
    expect(d).toMatchObject({ action: 'allow', target: 'sys-net', requestedTarget: 'sys-net', rule: { file: '10-test.policy', line: 1 } });
  });

  it('redirects with target= whatever was asked for', () => {
    const d = decide('test.Service * @anyvm @anyvm allow target=personal', call);
    expect(d).toMatchObject({ action: 'allow', target: 'personal', requestedTarget: 'sys-net' });
  });

  it('redirects even to a target another rule would deny (target= is not re-checked)', () => {
    const d = decide('test.Service * work sys-net allow target=vault\ntest.Service * work vault deny', call);
    expect(d).toMatchObject({ action: 'allow', target: 'vault' });
  });

  it('resolves target=dom0 and target=@adminvm to dom0, and keeps target=uuid:… as written', () => {
    expect(decide('test.Service * @anyvm @anyvm allow target=@adminvm', call).target).toBe('dom0');
    expect(decide('test.Service * @anyvm @anyvm allow target=dom0', call).target).toBe('dom0');
    expect(decide(`test.Service * @anyvm @anyvm allow target=uuid:${UUID.personal}`, call).target).toBe(`uuid:${UUID.personal}`);
    expect(decide(`test.Service * @anyvm @anyvm allow target=uuid:${UUID.dom0}`, call).target).toBe(`uuid:${UUID.dom0}`);
  });

  it('resolves target=@dispvm through the caller default_dispvm', () => {
    expect(decide('test.Service * @anyvm @anyvm allow target=@dispvm', call).target).toBe('@dispvm:default-dvm');
    expect(decide('test.Service * @anyvm @anyvm allow target=@dispvm', { source: 'anon-whonix', target: 'work' }).target).toBe('@dispvm:whonix-dvm');
  });

  it('keeps target=@dispvm:X (and @dispvm:uuid:U) for the caller to create', () => {
    expect(decide('test.Service * @anyvm @anyvm allow target=@dispvm:whonix-dvm', call).target).toBe('@dispvm:whonix-dvm');
    expect(decide(`test.Service * @anyvm @anyvm allow target=@dispvm:uuid:${UUID.whonixDvm}`, call).target).toBe(
      `@dispvm:uuid:${UUID.whonixDvm}`,
    );
  });

  it('denies target=@dispvm when the caller has no default disposable template', () => {
    const d = decide('test.Service * @anyvm @anyvm allow target=@dispvm', { source: 'vault', target: 'work' });
    expect(d.action).toBe('deny');
    expect(d.reason).toBe("policy define 'allow' action to @dispvm at 10-test.policy:1 but no DispVM base is set for this VM");
  });

  it('denies a redirect to a qube that does not exist, as if no target were given', () => {
    const d = decide('test.Service * @anyvm @anyvm allow target=no-such-vm', call);
    expect(d.reason).toBe("policy define 'allow' action at 10-test.policy:1 but no target is specified by caller or policy");
  });

  it('denies a redirect to @dispvm:X when X is not a disposable template', () => {
    expect(decide('test.Service * @anyvm @anyvm allow target=@dispvm:personal', call).reason).toBe('not a template for dispvm: personal');
  });

  it('with autostart=no allows only running targets, always dom0, never a new disposable', () => {
    const p = 'test.Service * @anyvm @anyvm allow autostart=no\ntest.Service * @anyvm @adminvm allow autostart=no';
    expect(decide(p, { source: 'work', target: 'sys-net' }).action).toBe('allow');
    expect(decide(p, { source: 'work', target: 'dom0' }).action).toBe('allow');
    const halted = decide(p, { source: 'work', target: 'personal' });
    expect(halted).toMatchObject({ action: 'deny', reason: 'target personal is denied because it would require autostart', notify: false });
    expect(decide(p, { source: 'work', target: '@dispvm' }).reason).toBe('target @dispvm:default-dvm is denied because it would require autostart');
  });

  it('counts a qube without power_state as not running for autostart=no', () => {
    const system = { domains: { ...SYSTEM.domains, personal: { ...SYSTEM.domains.personal, power_state: undefined } } };
    expect(decide('test.Service * @anyvm @anyvm allow autostart=no', { source: 'work', target: 'personal' }, system).action).toBe('deny');
  });
});

describe('deny', () => {
  it('names the rule in its reason', () => {
    const d = decide('test.Service * @anyvm @anyvm deny', call);
    expect(d).toMatchObject({ action: 'deny', target: null, reason: 'denied by policy 10-test.policy:1', rule: { line: 1 } });
    expect(d.rule?.text).toBe('test.Service * @anyvm @anyvm deny');
  });
});
