import { describe, expect, it } from 'vitest';
import { splitServiceName } from '../../../../src/qrexec/policy/index.js';
import { UUID } from '../../../fixtures/policy/system.js';
import { compiled, decide, decidedBy } from '../../../fixtures/policy/harness.js';

describe('first match wins', () => {
  const policy = compiled(
    [
      'test.Service * work personal allow',
      'test.Service * work @anyvm ask',
      'test.Service * personal @tag:work deny',
      'test.Service * personal @tag:personal allow',
      'test.Service * personal @dispvm:@tag:anon-vm allow',
      'test.Service * personal @dispvm:default-dvm allow',
      'test.Service * @type:AppVM @default allow target=sys-net',
      'test.Service * @tag:work @type:AppVM allow',
    ].join('\n'),
  );
  it.each<[string, string, number | null]>([
    ['work', 'personal', 1],
    ['work', 'vault', 2],
    ['work', '@default', 2],
    ['personal', 'work', 3],
    ['personal', 'standalone', 3],
    ['personal', 'personal', 4],
    ['personal', '@default', 7],
    ['personal', '@dispvm:whonix-dvm', 5],
    ['personal', '@dispvm', 6],
    ['standalone', 'vault', 8],
    ['standalone', '@default', null],
    ['vault', '@dispvm', null],
    ['debian-12', 'work', null],
  ])('%s → %s is decided by line %s', (source, target, line) => {
    expect(decidedBy(decide(policy, { source, target }))).toBe(line);
  });

  it('denies with no rule when nothing matches', () => {
    expect(decide(policy, { source: 'debian-12', target: 'work' })).toMatchObject({
      action: 'deny',
      rule: null,
      notify: true,
      reason: 'no matching rule found',
    });
  });
});

describe('the requested target', () => {
  const policy = 'test.Service * @anyvm @default allow target=vault\ntest.Service * @anyvm @anyvm allow';

  it('treats an empty target as @default', () => {
    expect(decide(policy, { source: 'work', target: '' })).toMatchObject({ action: 'allow', target: 'vault', requestedTarget: '@default' });
  });

  it('lets @anyvm match @default, so an earlier @anyvm rule shadows a later @default one', () => {
    const shadowed = 'test.Service * @anyvm @anyvm allow\ntest.Service * @anyvm @default allow target=vault';
    expect(decide(shadowed, { source: 'work', target: '' })).toMatchObject({ action: 'deny', rule: { line: 1 } });
  });

  it('treats a qube that does not exist as @default, as qrexec does', () => {
    expect(decide('test.Service * @anyvm @default allow target=vault', { source: 'work', target: 'no-such-vm' })).toMatchObject({
      action: 'allow',
      target: 'vault',
      requestedTarget: '@default',
    });
  });

  it('treats a uuid no qube has as @default', () => {
    expect(decide(policy, { source: 'work', target: 'uuid:no-such-uuid' }).requestedTarget).toBe('@default');
  });

  it('never treats Object.prototype properties as qubes', () => {
    expect(decide(policy, { source: 'work', target: 'constructor' }).requestedTarget).toBe('@default');
    expect(decide(policy, { source: 'work', target: '__proto__' }).requestedTarget).toBe('@default');
  });

  it.each<[string, string]>([
    ['@anyvm', "invalid intendedtarget token: '@anyvm'"],
    ['*', "invalid intendedtarget token: '*'"],
    ['@tag:work', "invalid intendedtarget token: '@tag:work'"],
    ['@type:AppVM', "invalid intendedtarget token: '@type:AppVM'"],
    ['@dispvm:@tag:dvm', "invalid intendedtarget token: '@dispvm:@tag:dvm'"],
    ['@invalid', "invalid intendedtarget token: '@invalid'"],
    ['@dispvm:personal', 'not a template for dispvm: personal'],
    ['@dispvm:no-such-vm', 'not a template for dispvm: no-such-vm'],
    ['@dispvm:uuid:nope', 'not a template for dispvm: uuid:nope'],
  ])('refuses a request for %j before looking at rules: %s', (target, reason) => {
    expect(decide('test.Service * * * allow', { source: 'work', target })).toMatchObject({ action: 'deny', rule: null, reason, requestedTarget: target });
  });

  it('denies allow without target= when the caller gave none', () => {
    const d = decide('test.Service * @anyvm @anyvm allow', { source: 'work', target: '' });
    expect(d).toMatchObject({ action: 'deny', rule: { line: 1 } });
    expect(d.reason).toBe("policy define 'allow' action at 10-test.policy:1 but no target is specified by caller or policy");
  });
});

describe('dom0 as target', () => {
  const names = ['dom0', '@adminvm', `uuid:${UUID.dom0}`];

  it.each(names)('resolves an allowed call to %s as target dom0, keeping what was asked', (asked) => {
    for (const ruleTarget of names) {
      expect(decide(`test.Service * work ${ruleTarget} allow`, { source: 'work', target: asked })).toMatchObject({
        action: 'allow',
        target: asked === `uuid:${UUID.dom0}` ? asked : 'dom0',
        requestedTarget: asked,
      });
    }
  });

  it.each(names)('does not let a rule for another qube match %s, nor a rule for it match another qube', (name) => {
    expect(decide('test.Service * work personal allow', { source: 'work', target: name }).action).toBe('deny');
    expect(decide(`test.Service * work ${name} allow`, { source: 'work', target: 'personal' }).action).toBe('deny');
  });

  it('serves admin calls redirected to dom0 while naming the managed qube', () => {
    const d = decide('admin.vm.List * work @tag:managed allow target=dom0', { source: 'work', target: 'work', service: 'admin.vm.List' });
    expect(d).toMatchObject({ action: 'allow', target: 'dom0', requestedTarget: 'work' });
  });
});

describe('disposables', () => {
  it('resolves @dispvm to the caller default_dispvm and leaves the new disposable to the caller', () => {
    expect(decide('test.Service * @anyvm @dispvm allow', { source: 'work', target: '@dispvm' })).toMatchObject({
      action: 'allow',
      target: '@dispvm:default-dvm',
      requestedTarget: '@dispvm',
    });
    expect(decide('test.Service * @anyvm @dispvm allow', { source: 'anon-whonix', target: '@dispvm' }).target).toBe('@dispvm:whonix-dvm');
  });

  it('denies @dispvm for a caller without default_dispvm', () => {
    expect(decide('test.Service * @anyvm @dispvm allow', { source: 'vault', target: '@dispvm' }).reason).toBe(
      "policy define 'allow' action to @dispvm at 10-test.policy:1 but no DispVM base is set for this VM",
    );
  });

  it('keeps a requested @dispvm:X as the target', () => {
    expect(decide('test.Service * @anyvm @dispvm:@tag:dvm allow', { source: 'work', target: '@dispvm:whonix-dvm' }).target).toBe('@dispvm:whonix-dvm');
  });
});

describe('loopback calls', () => {
  it('refuses an allowed call from a qube to itself', () => {
    expect(decide('test.Service * @anyvm @anyvm allow', { source: 'work', target: 'work' })).toMatchObject({
      action: 'deny',
      rule: { line: 1 },
      reason: 'loopback qrexec connection not supported',
    });
  });

  it('refuses a redirect back to the caller, however spelled', () => {
    expect(decide('test.Service * @anyvm @anyvm allow target=work', { source: 'work', target: 'personal' }).reason).toBe(
      'loopback qrexec connection not supported',
    );
    expect(decide(`test.Service * @anyvm @anyvm allow target=uuid:${UUID.work}`, { source: 'work', target: 'personal' }).reason).toBe(
      'loopback qrexec connection not supported',
    );
  });

  it('checks loopback only after a rule allowed the call, like qrexec', () => {
    expect(decide('test.Service * @anyvm @anyvm deny', { source: 'work', target: 'work' }).reason).toBe('denied by policy 10-test.policy:1');
    expect(decide('', { source: 'work', target: 'work' }).reason).toBe('no matching rule found');
  });

  it('does not treat a new disposable from a template as a loopback', () => {
    expect(decide('test.Service * @anyvm @anyvm allow', { source: 'default-dvm', target: '@dispvm:default-dvm' }).action).toBe('allow');
  });
});

describe('sources', () => {
  it('matches a caller named by uuid as the qube itself', () => {
    expect(decide('test.Service * @tag:work personal allow', { source: `uuid:${UUID.work}`, target: 'personal' }).action).toBe('allow');
  });

  it('lets @anyvm match a caller the snapshot does not know, but not @tag: or @type:', () => {
    expect(decide('test.Service * @anyvm personal allow', { source: 'ghost', target: 'personal' }).action).toBe('allow');
    expect(decide('test.Service * @type:AppVM personal allow', { source: 'ghost', target: 'personal' }).action).toBe('deny');
  });
});

describe('service names', () => {
  it('splits service+argument at the first +', () => {
    expect(splitServiceName('qubes.Filecopy+a+b')).toEqual({ service: 'qubes.Filecopy', argument: '+a+b' });
    expect(splitServiceName('qubes.Filecopy+')).toEqual({ service: 'qubes.Filecopy', argument: '+' });
    expect(splitServiceName('qubes.Filecopy')).toEqual({ service: 'qubes.Filecopy', argument: '+' });
  });
});
