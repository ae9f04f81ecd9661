import { describe, expect, it } from 'vitest';
import { answerAsk, type Decision } from '../../../../src/qrexec/policy/index.js';
import { SYSTEM, UUID } from '../../../fixtures/policy/system.js';
import { compiled, decide } from '../../../fixtures/policy/harness.js';

const choices = (d: Decision): readonly string[] | undefined => d.askChoices?.targets;

/** What @anyvm offers a caller: every qube but dom0, internal qubes and the caller, plus each disposable template. */
function anyvmChoices(caller: string): string[] {
  const qubes = Object.entries(SYSTEM.domains)
    .filter(([name, d]) => d.type !== 'AdminVM' && !d.internal && name !== caller)
    .map(([name]) => name);
  const dvms = Object.entries(SYSTEM.domains)
    .filter(([, d]) => d.template_for_dispvms && !d.internal)
    .map(([name]) => `@dispvm:${name}`);
  return [...qubes, ...dvms].sort();
}

describe('ask choice list', () => {
  const policy = compiled(
    [
      'test.Service * work personal allow',
      'test.Service * work @anyvm ask',
      'test.Service * personal @tag:work deny',
      'test.Service * personal @tag:service allow',
      'test.Service * vault @type:AppVM deny',
      'test.Service * @type:AppVM @default ask target=sys-net',
      'test.Service * @tag:work @type:AppVM allow',
      'test.Service * vault @dispvm allow',
      'test.Service * standalone @dispvm allow',
      'test.Service * standalone @adminvm allow',
      `test.Service * uuid:${UUID.personal} bogus deny`,
      'test.Service * personal @anyvm ask',
    ].join('\n'),
  );

  it('offers every target of matching allow/ask rules, expanded: @anyvm is all qubes and disposable templates', () => {
    expect(choices(decide(policy, { source: 'work', target: 'vault' }))).toEqual(anyvmChoices('work'));
  });

  it('removes the targets of deny rules that come earlier (reverse scan)', () => {
    const offered = choices(decide(policy, { source: 'personal', target: 'vault' }));
    expect(offered).toContain('sys-net');
    expect(offered).not.toContain('work');
    expect(offered).not.toContain('standalone');
    expect(offered).toEqual(anyvmChoices('personal').filter((t) => !['work', 'standalone'].includes(t)));
  });

  it('never offers the caller itself, internal qubes, or disposables of internal templates', () => {
    const offered = choices(decide(policy, { source: 'work', target: 'vault' })) ?? [];
    expect(offered).not.toContain('work');
    expect(offered).not.toContain('internal-vm');
    expect(offered).not.toContain('mgmt-dvm');
    expect(offered).not.toContain('@dispvm:mgmt-dvm');
  });

  it('never offers dom0 through @anyvm, but does through @adminvm', () => {
    expect(choices(decide(policy, { source: 'work', target: 'vault' }))).not.toContain('dom0');
    const standalone = compiled('test.Service * standalone @adminvm allow\ntest.Service * standalone @default ask');
    expect(choices(decide(standalone, { source: 'standalone', target: '' }))).toEqual(['dom0']);
  });

  it('offers @dispvm as the caller default disposable template, and drops it when there is none', () => {
    const p = compiled('test.Service * @anyvm @dispvm allow\ntest.Service * @anyvm @default ask');
    expect(choices(decide(p, { source: 'anon-whonix', target: '' }))).toEqual(['@dispvm:whonix-dvm']);
    expect(decide(p, { source: 'vault', target: '' })).toMatchObject({
      action: 'deny',
      reason: "policy define 'ask' action at 10-test.policy:2 but no target is available to choose from",
    });
  });

  it('offers * targets including dom0', () => {
    const p = compiled('test.Service * work * ask');
    expect(choices(decide(p, { source: 'work', target: 'vault' }))).toEqual([...anyvmChoices('work'), 'dom0'].sort());
  });

  it('expands @tag:, @type:, @dispvm:@tag: and uuid: targets to names', () => {
    const p = compiled(
      [`test.Service * work uuid:${UUID.vault} allow`, 'test.Service * work @dispvm:@tag:anon-vm allow', 'test.Service * work @type:TemplateVM ask'].join('\n'),
    );
    expect(choices(decide(p, { source: 'work', target: 'debian-12' }))).toEqual(['@dispvm:whonix-dvm', 'debian-12', 'vault', 'whonix-gw']);
  });

  it('with target= offers exactly that target, dom0 aliases resolved', () => {
    expect(choices(decide('test.Service * @anyvm @anyvm ask target=vault', { source: 'work', target: 'personal' }))).toEqual(['vault']);
    for (const t of ['dom0', '@adminvm', `uuid:${UUID.dom0}`]) {
      expect(choices(decide(`test.Service * @anyvm @default ask target=${t} default_target=${t}`, { source: 'work', target: '' }))).toEqual([
        'dom0',
      ]);
    }
    expect(choices(decide('test.Service * @anyvm @anyvm ask target=@dispvm:whonix-dvm', { source: 'work', target: 'personal' }))).toEqual([
      '@dispvm:whonix-dvm',
    ]);
  });

  it('with autostart=no offers only running qubes (dom0 counts as running, new disposables never)', () => {
    const p = compiled('test.Service * @anyvm @adminvm allow\ntest.Service * work @anyvm ask autostart=no');
    expect(choices(decide(p, { source: 'work', target: 'personal' }))).toEqual(['disp1234', 'dom0', 'sys-net', 'sys-whonix']);
  });
});

describe('ask default_target', () => {
  it('preselects default_target= when it is one of the choices', () => {
    const d = decide('test.Service * work @anyvm ask default_target=vault', { source: 'work', target: 'personal' });
    expect(d.askChoices?.defaultTarget).toBe('vault');
  });

  it('drops default_target= that is not among the choices', () => {
    const d = decide('test.Service * work personal ask default_target=vault', { source: 'work', target: 'personal' });
    expect(d.askChoices).toEqual({ targets: ['personal'], defaultTarget: null });
  });

  it('resolves default_target=@dispvm to the caller default disposable template', () => {
    const p = 'test.Service * @anyvm @anyvm ask default_target=@dispvm\ntest.Service * @anyvm @dispvm ask';
    expect(decide(p, { source: 'work', target: 'personal' }).askChoices?.defaultTarget).toBe('@dispvm:default-dvm');
  });

  it('resolves default_target=@adminvm to dom0', () => {
    const d = decide('test.Service * work dom0 ask default_target=@adminvm', { source: 'work', target: 'dom0' });
    expect(d.askChoices).toEqual({ targets: ['dom0'], defaultTarget: 'dom0' });
  });

  it('is null without default_target=', () => {
    expect(decide('test.Service * work @anyvm ask', { source: 'work', target: 'personal' }).askChoices?.defaultTarget).toBeNull();
  });
});

describe('the ask decision', () => {
  it('names the rule and has no target until the user answers', () => {
    const d = decide('test.Service * work @anyvm ask user=alice notify=yes', { source: 'work', target: 'personal' });
    expect(d).toMatchObject({ action: 'ask', target: null, requestedTarget: 'personal', user: 'alice', notify: true, autostart: true, rule: { line: 1 } });
  });
});

describe('answering an ask', () => {
  const request = { source: 'work', target: 'personal', service: 'test.Service', argument: '' };
  const asked = decide('test.Service * @anyvm @anyvm ask notify=yes\ntest.Service * @anyvm @dispvm ask', request);

  it('allows the chosen target when it was offered', () => {
    expect(answerAsk(asked, { allow: true, target: 'vault' }, request, SYSTEM)).toMatchObject({
      action: 'allow',
      target: 'vault',
      askChoices: null,
      notify: true,
      reason: 'allowed by the user 10-test.policy:1',
    });
  });

  it('keeps a chosen @dispvm:X for the caller to create', () => {
    expect(answerAsk(asked, { allow: true, target: '@dispvm:default-dvm' }, request, SYSTEM).target).toBe('@dispvm:default-dvm');
  });

  it('denies a target that was not offered', () => {
    expect(answerAsk(asked, { allow: true, target: 'dom0' }, request, SYSTEM)).toMatchObject({
      action: 'deny',
      notify: true,
      reason: 'target dom0 is not a valid choice',
    });
  });

  it('denies when the user refuses, notifying as the rule says', () => {
    expect(answerAsk(asked, { allow: false }, request, SYSTEM)).toMatchObject({ action: 'deny', notify: true, reason: 'denied by the user 10-test.policy:1' });
    const quiet = decide('test.Service * @anyvm @anyvm ask', request);
    expect(answerAsk(quiet, { allow: false }, request, SYSTEM).notify).toBe(false);
  });

  it('denies a loopback chosen through an explicit target=', () => {
    const self = decide('test.Service * @anyvm @anyvm ask target=work', request);
    expect(choices(self)).toEqual(['work']);
    expect(answerAsk(self, { allow: true, target: 'work' }, request, SYSTEM).reason).toBe('loopback qrexec connection not supported');
  });

  it('leaves allow and deny decisions as they are', () => {
    const allowed = decide('test.Service * @anyvm @anyvm allow', request);
    expect(answerAsk(allowed, { allow: false }, request, SYSTEM)).toBe(allowed);
  });
});
