import { describe, expect, it } from 'vitest';
import { UUID } from '../../../fixtures/policy/system.js';
import { decide } from '../../../fixtures/policy/harness.js';

/** Whether a one-rule policy with TARGET `token` matches a call from work to `requested`. */
function targetMatches(token: string, requested: string, source = 'work'): boolean {
  const d = decide(`test.Service * ${source} ${token} deny`, { source, target: requested });
  return d.reason.startsWith('denied by policy');
}

/** Whether a one-rule policy with SOURCE `token` matches a call from `source`. */
function sourceMatches(token: string, source: string): boolean {
  const d = decide(`test.Service * ${token} * deny`, { source, target: 'personal' });
  return d.reason.startsWith('denied by policy');
}

describe('target token matching', () => {
  it.each<[string, string, boolean]>([
    ['@anyvm', 'personal', true],
    ['@anyvm', '@default', true],
    ['@anyvm', '@dispvm', true],
    ['@anyvm', '@dispvm:default-dvm', true],
    ['@anyvm', 'dom0', false],
    ['@anyvm', '@adminvm', false],
    ['@anyvm', `uuid:${UUID.dom0}`, false],
    ['*', 'personal', true],
    ['*', 'dom0', true],
    ['*', '@adminvm', true],
    ['*', '@dispvm', true],
    ['*', '@default', true],
    ['@default', '@default', true],
    ['@default', '', true],
    ['@default', 'no-such-vm', true],
    ['@default', 'personal\n', true],
    ['@default', 'personal', false],
    ['dom0', '@adminvm', true],
    ['dom0', 'dom0', true],
    ['@adminvm', 'dom0', true],
    ['@adminvm', `uuid:${UUID.dom0}`, true],
    [`uuid:${UUID.dom0}`, '@adminvm', true],
    [`uuid:${UUID.dom0}`, 'dom0', true],
    [`uuid:${UUID.dom0}`, '@dispvm:default-dvm', false],
    [`uuid:${UUID.dom0}`, 'personal', false],
    ['personal', 'dom0', false],
    ['dom0', 'personal', false],
    ['personal', `uuid:${UUID.personal}`, true],
    [`uuid:${UUID.personal}`, 'personal', true],
    [`uuid:${UUID.personal}`, 'vault', false],
    ['@tag:personal', 'personal', true],
    ['@tag:personal', 'vault', false],
    ['@tag:personal', `uuid:${UUID.personal}`, true],
    ['@tag:dom0-tag', 'dom0', true],
    ['@tag:dom0-tag', '@adminvm', false],
    ['@type:AdminVM', 'dom0', true],
    ['@type:AdminVM', '@adminvm', false],
    ['@type:TemplateVM', 'debian-12', true],
    ['@type:AppVM', 'debian-12', false],
    ['@type:DispVM', 'disp1234', true],
    ['@dispvm', '@dispvm', true],
    ['@dispvm', '@dispvm:default-dvm', false],
    ['@dispvm', 'default-dvm', false],
    ['@dispvm:default-dvm', '@dispvm:default-dvm', true],
    ['@dispvm:default-dvm', '@dispvm', true],
    ['@dispvm:default-dvm', 'default-dvm', false],
    ['@dispvm:whonix-dvm', '@dispvm', false],
    [`@dispvm:uuid:${UUID.defaultDvm}`, '@dispvm:default-dvm', true],
    ['@dispvm:default-dvm', `@dispvm:uuid:${UUID.defaultDvm}`, true],
    [`@dispvm:uuid:${UUID.defaultDvm}`, '@dispvm', true],
    ['@dispvm:@tag:dvm', '@dispvm:default-dvm', true],
    ['@dispvm:@tag:dvm', '@dispvm', true],
    ['@dispvm:@tag:anon-vm', '@dispvm:whonix-dvm', true],
    ['@dispvm:@tag:anon-vm', '@dispvm:default-dvm', false],
    ['@dispvm:@tag:anon-vm', '@dispvm', false],
  ])('%s against a request for %j: %s', (token, requested, expected) => {
    expect(targetMatches(token, requested)).toBe(expected);
  });

  it('resolves @dispvm through the caller, so @dispvm:whonix-dvm matches @dispvm from anon-whonix', () => {
    expect(targetMatches('@dispvm:whonix-dvm', '@dispvm', 'anon-whonix')).toBe(true);
    expect(targetMatches('@dispvm:@tag:anon-vm', '@dispvm', 'anon-whonix')).toBe(true);
  });

  it('never matches @dispvm:X when the caller has no default disposable template', () => {
    expect(targetMatches('@dispvm:default-dvm', '@dispvm', 'vault')).toBe(false);
    expect(targetMatches('@dispvm:@tag:dvm', '@dispvm', 'vault')).toBe(false);
  });
});

describe('source token matching', () => {
  it.each<[string, string, boolean]>([
    ['work', 'work', true],
    ['work', `uuid:${UUID.work}`, true],
    [`uuid:${UUID.work}`, 'work', true],
    ['@anyvm', 'work', true],
    ['@anyvm', 'no-such-vm', true],
    ['@anyvm', 'dom0', false],
    ['*', 'dom0', true],
    ['dom0', 'dom0', true],
    ['@adminvm', 'dom0', true],
    ['@tag:work', 'work', true],
    ['@tag:work', 'standalone', true],
    ['@tag:work', 'personal', false],
    ['@tag:work', 'no-such-vm', false],
    ['@type:StandaloneVM', 'standalone', true],
    ['@type:AppVM', 'standalone', false],
    ['no-such-vm', 'no-such-vm', true],
    ['@dispvm:default-dvm', 'disp1234', false],
  ])('%s against a call from %s: %s', (token, source, expected) => {
    expect(sourceMatches(token, source)).toBe(expected);
  });
});

describe('service and argument matching', () => {
  const policy = [
    'test.Service +one work personal allow',
    'test.Service + work personal deny notify=no',
    'test.Service * work personal ask',
    '* * work vault deny',
  ].join('\n');

  it('matches a specific argument only when it is that argument', () => {
    expect(decide(policy, { source: 'work', target: 'personal', argument: '+one' }).action).toBe('allow');
    expect(decide(policy, { source: 'work', target: 'personal', argument: 'one' }).action).toBe('allow');
  });

  it('treats a call without argument as the empty argument +', () => {
    expect(decide(policy, { source: 'work', target: 'personal', argument: '' }).rule?.line).toBe(2);
    expect(decide(policy, { source: 'work', target: 'personal', argument: '+' }).rule?.line).toBe(2);
  });

  it('matches any argument, including none, with *', () => {
    expect(decide(policy, { source: 'work', target: 'personal', argument: '+two' }).action).toBe('ask');
  });

  it('matches any service with *', () => {
    expect(decide(policy, { source: 'work', target: 'vault', service: 'other.Service' }).rule?.line).toBe(4);
  });

  it('does not match another service', () => {
    expect(decide(policy, { source: 'work', target: 'personal', service: 'other.Service' }).reason).toBe('no matching rule found');
  });
});
