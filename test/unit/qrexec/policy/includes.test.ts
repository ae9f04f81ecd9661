import { describe, expect, it } from 'vitest';
import { compilePolicy, lintMessages, parsePolicy, policyTree, treeFiles } from '../../../../src/qrexec/policy/index.js';
import { decide, treeOf } from '../../../fixtures/policy/harness.js';

const tree = (files: Record<string, string>) => policyTree(Object.entries(files).map(([name, content]) => ({ name, content })));
const call = { source: 'work', target: 'personal' };

describe('!include', () => {
  it('expands the included file in place, rules keeping their own file and line', () => {
    const p = compilePolicy(
      treeOf('test.Service * work vault allow\n!include include/mid\ntest.Service * @anyvm @anyvm deny', {
        'include/mid': '# mid\ntest.Service * work personal ask',
      }),
    );
    expect(p.ok && p.rules.map((r) => `${r.file}:${r.line}`)).toEqual(['10-test.policy:1', 'include/mid:2', '10-test.policy:3']);
    expect(decide(p, call)).toMatchObject({ action: 'ask', rule: { file: 'include/mid', line: 2 } });
  });

  it('resolves paths against the policy root, also from inside an included file', () => {
    const t = treeOf('!include include/a', { 'include/a': '!include include/b', 'include/b': 'test.Service * work personal allow' });
    expect(decide(compilePolicy(t), call).rule?.file).toBe('include/b');
  });

  it('maps /etc/qubes/policy.d/ paths onto the tree, so policy copied from dom0 resolves', () => {
    const t = treeOf('!include /etc/qubes/policy.d/include/a', { 'include/a': 'test.Service * work personal allow' });
    expect(decide(compilePolicy(t), call).action).toBe('allow');
  });

  it('normalises . and .. inside the tree', () => {
    const t = treeOf('!include include/../include/./a', { 'include/a': 'test.Service * work personal allow' });
    expect(lintMessages(t)).toEqual([]);
  });

  it('refuses an include that is a directory', () => {
    expect(lintMessages(treeOf('!include include', { 'include/a': '' }))).toEqual(['10-test.policy:1: not a file: include']);
  });

  it('reports a file including itself as a circular include', () => {
    expect(lintMessages(treeOf('!include 10-test.policy'))).toEqual(['10-test.policy:1: circular include: 10-test.policy -> 10-test.policy']);
  });

  it('reports a longer include cycle at the line that closes it', () => {
    const t = treeOf('!include include/a', { 'include/a': '\n!include include/b', 'include/b': '!include include/a' });
    expect(lintMessages(t)).toEqual(['include/b:1: circular include: include/a -> include/b -> include/a']);
  });

  it('allows including the same file twice when it is not a cycle', () => {
    const t = treeOf('!include include/a\n!include include/a', { 'include/a': 'test.Service * work personal allow' });
    const p = compilePolicy(t);
    expect(p.ok && p.rules.length).toBe(2);
  });
});

describe('!include-dir', () => {
  it('includes the valid .policy files of a directory in C-locale order', () => {
    const t = treeOf('!include-dir extra', {
      'extra/20-b.policy': 'test.Service * work personal deny',
      'extra/10-a.policy': 'test.Service * work personal allow',
      'extra/README': 'not policy',
      'extra/.10-x.policy': 'not policy',
      'extra/sub/1.policy': 'not policy',
    });
    const parsed = parsePolicy(t);
    expect(parsed.errors).toEqual([]);
    expect(parsed.files).toEqual(['10-test.policy', 'extra/10-a.policy', 'extra/20-b.policy']);
    expect(decide(compilePolicy(t), call).action).toBe('allow');
  });

  it('refuses invalid file names inside the directory', () => {
    expect(lintMessages(treeOf('!include-dir extra', { 'extra/Bad.policy': '' }))).toEqual(['extra/Bad.policy: invalid filename: extra/Bad.policy']);
  });

  it('accepts a directory holding no .policy file', () => {
    expect(lintMessages(treeOf('!include-dir extra', { 'extra/README': '' }))).toEqual([]);
  });
});

describe('!include-service (old per-service syntax)', () => {
  it('applies the file only to that service and argument', () => {
    const t = treeOf('!include-service test.Service +x include/svc\ntest.Service * @anyvm @anyvm deny', {
      'include/svc': 'work personal allow',
    });
    const p = compilePolicy(t);
    expect(decide(p, { ...call, argument: '+x' }).action).toBe('allow');
    expect(decide(p, { ...call, argument: '+y' }).action).toBe('deny');
    expect(decide(p, { ...call, service: 'other.Service' }).reason).toBe('no matching rule found');
  });

  it('reads $ as @, commas between parameters, and $include: as an include of the same kind', () => {
    const t = treeOf('!include-service test.Service * include/svc', {
      'include/svc': '# old style\n$anyvm $dispvm ask,default_target=$dispvm\n$include:include/more',
      'include/more': 'work personal allow,user=root,notify=yes',
    });
    const p = compilePolicy(t);
    expect(p.ok && p.rules.map((r) => [r.source.text, r.target.text])).toEqual([
      ['@anyvm', '@dispvm'],
      ['work', 'personal'],
    ]);
    expect(decide(p, call)).toMatchObject({ action: 'allow', user: 'root', notify: true, rule: { file: 'include/more', line: 1 } });
  });

  it('also takes parameters separated by spaces, and !include', () => {
    const t = treeOf('!include-service test.Service * include/svc', {
      'include/svc': 'work personal ask default_target=personal\n!include include/none',
      'include/none': '',
    });
    expect(lintMessages(t)).toEqual([]);
  });

  it('allows * for service and argument', () => {
    const p = compilePolicy(treeOf('!include-service * * include/all', { 'include/all': 'work personal allow' }));
    expect(decide(p, { ...call, service: 'any.Thing' }).action).toBe('allow');
  });

  it('reports old-syntax errors at the included file and line', () => {
    const t = treeOf('!include-service test.Service * include/svc', {
      'include/svc': '\nwork\n@anyvm @anyvm allow,bogus=1\n!include-dir x\n$include:a b',
    });
    expect(lintMessages(t)).toEqual([
      'include/svc:2: wrong number of fields',
      "include/svc:3: invalid parameters for action Allow: ['bogus=1']",
      'include/svc:4: invalid directive',
      'include/svc:5: invalid number of params',
    ]);
  });
});

describe('!compat-4.0', () => {
  const legacy = (files: Record<string, string>) =>
    Object.fromEntries(Object.entries(files).map(([name, content]) => [`qubes-rpc-policy/${name}`, content]));

  it('reads Qubes 4.0 per-service files where the directive stands', () => {
    const t = treeOf('!compat-4.0\ntest.Service * @anyvm @anyvm deny', legacy({ 'test.Service': '$anyvm $anyvm allow' }));
    expect(decide(compilePolicy(t), call)).toMatchObject({ action: 'allow', rule: { file: 'qubes-rpc-policy/test.Service' } });
  });

  it('adds the implicit deny after a file for a specific argument, not after a general one', () => {
    const t = treeOf(
      '!compat-4.0\ntest.Service * @anyvm @anyvm allow\nother.Service * @anyvm @anyvm allow',
      legacy({ 'test.Service+arg': 'work vault allow', 'other.Service': 'work vault allow' }),
    );
    const p = compilePolicy(t);
    expect(decide(p, { ...call, argument: '+arg' })).toMatchObject({ action: 'deny', rule: { file: 'qubes-rpc-policy/test.Service+arg', line: 0 } });
    expect(decide(p, { ...call, argument: '+other' }).action).toBe('allow');
    expect(decide(p, { ...call, service: 'other.Service' }).action).toBe('allow');
  });

  it('orders legacy files by service, the file without argument last (qrexec\'s _NoArgumentLastKey)', () => {
    const t = treeOf('!compat-4.0', legacy({ 'b.S': '', 'a.S+x': '', 'a.S': '', 'a.S+': '' }));
    expect(parsePolicy(t).files.slice(1)).toEqual(['qubes-rpc-policy/a.S+', 'qubes-rpc-policy/a.S+x', 'qubes-rpc-policy/a.S', 'qubes-rpc-policy/b.S']);
  });

  it('denies an argument the +arg file does not allow, even when the plain file allows everything', () => {
    const t = treeOf('!compat-4.0', legacy({ 'test.X': '$anyvm $anyvm allow', 'test.X+arg': 'test-vm1 test-vm2 allow' }));
    const p = compilePolicy(t);
    const x = { source: 'work', service: 'test.X' };
    expect(decide(p, { ...x, target: 'vault', argument: '+arg' })).toMatchObject({ action: 'deny', rule: { file: 'qubes-rpc-policy/test.X+arg', line: 0 } });
    expect(decide(p, { ...x, target: 'vault', argument: '+other' })).toMatchObject({ action: 'allow', rule: { file: 'qubes-rpc-policy/test.X' } });
  });

  it('skips dot-files and .rpmsave, .rpmnew and .swp leftovers in the legacy directory', () => {
    const t = treeOf('!compat-4.0', legacy({ 'a.S': '', '.a.S.swp': 'x', 'a.S.rpmsave': 'x', 'a.S.rpmnew': 'x', 'a.S.swp': 'x' }));
    expect(parsePolicy(t).files.slice(1)).toEqual(['qubes-rpc-policy/a.S']);
    expect(lintMessages(t)).toEqual([]);
  });

  it('loads nothing when there is no legacy directory', () => {
    expect(lintMessages(treeOf('!compat-4.0'))).toEqual([]);
  });
});

describe('tree helpers', () => {
  it('builds a tree whose files list back in path order', () => {
    expect(treeFiles(tree({ 'b.policy': '2', 'a.policy': '1' }))).toEqual([
      { name: 'a.policy', content: '1' },
      { name: 'b.policy', content: '2' },
    ]);
  });
});
