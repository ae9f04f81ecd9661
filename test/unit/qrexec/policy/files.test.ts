import { describe, expect, it } from 'vitest';
import { compilePolicy, lintMessages, parsePolicy, policyTree } from '../../../../src/qrexec/policy/index.js';
import { decide } from '../../../fixtures/policy/harness.js';

const tree = (files: Record<string, string>) => policyTree(Object.entries(files).map(([name, content]) => ({ name, content })));
const call = { source: 'work', target: 'personal' };

describe('policy files', () => {
  it('reads main files in C-locale order, so 30-user wins over 90-default', () => {
    const p = compilePolicy(tree({ '90-default.policy': 'test.Service * @anyvm @anyvm deny', '30-user.policy': 'test.Service * work personal allow' }));
    expect(decide(p, call)).toMatchObject({ action: 'allow', rule: { file: '30-user.policy', line: 1 } });
  });

  it('orders by code point: digits before _ . - letters as C does, not as a locale would', () => {
    const names = ['b.policy', 'a_b.policy', '1.policy', 'a-b.policy', 'a.b.policy', 'ab.policy'];
    const parsed = parsePolicy(tree(Object.fromEntries(names.map((n) => [n, '']))));
    expect(parsed.files).toEqual(['1.policy', 'a-b.policy', 'a.b.policy', 'a_b.policy', 'ab.policy', 'b.policy']);
  });

  it('ignores files not ending in .policy, dot-files, and files in subdirectories', () => {
    const parsed = parsePolicy(
      tree({ 'README': 'junk', '.30-user.policy.swp': 'junk', '30-user.policy~': 'junk', 'include/x.policy': 'junk', '10-a.policy': '' }),
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.files).toEqual(['10-a.policy']);
  });

  it.each(['Upper.policy', '30 user.policy', '30-ü.policy', '30+x.policy'])('refuses the file name %j, denying every call', (name) => {
    const t = tree({ [name]: '', '10-a.policy': 'test.Service * @anyvm @anyvm allow' });
    expect(lintMessages(t)).toEqual([`${name}: invalid filename: ${name}`]);
    expect(decide(compilePolicy(t), call)).toMatchObject({ action: 'deny', reason: `policy has errors: ${name}: invalid filename: ${name}` });
  });

  it('accepts the whole allowed alphabet in file names', () => {
    expect(lintMessages(tree({ '0123456789abcdefghijklmnopqrstuvwxyz_.-.policy': '' }))).toEqual([]);
  });

  it('takes ./ off paths given to policyTree', () => {
    expect([...policyTree([{ name: './10-a.policy', content: '' }]).keys()]).toEqual(['10-a.policy']);
  });
});
