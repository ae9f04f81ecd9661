import { mkdtemp, readFile, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultPolicyTree, lintMessages, policyTree, readPolicyDir, writePolicyDir } from '../../../../src/qrexec/policy/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cella-policy-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('policy directories', () => {
  it('exports a tree and imports it back unchanged', async () => {
    const tree = defaultPolicyTree();
    expect(await writePolicyDir(dir, tree)).toEqual({ ok: true, value: tree.size });
    const back = await readPolicyDir(dir);
    expect(back.ok && new Map(back.value)).toEqual(new Map(tree));
  });

  it('writes include files into their subdirectory', async () => {
    await writePolicyDir(dir, defaultPolicyTree());
    expect(await readFile(join(dir, 'include', 'admin-local-ro'), 'utf8')).toContain('!include include/admin-local-rwx');
  });

  it('reads every file, including ones qrexec ignores, and follows symbolic links', async () => {
    await writeFile(join(dir, 'README'), 'notes');
    await mkdir(join(dir, 'shared'));
    await writeFile(join(dir, 'shared', 'rules'), 'test.Service * @anyvm @anyvm deny\n');
    await symlink(join(dir, 'shared', 'rules'), join(dir, '50-linked.policy'));
    const tree = await readPolicyDir(dir);
    expect(tree.ok && [...tree.value.keys()]).toEqual(['50-linked.policy', 'README', 'shared/rules']);
    expect(tree.ok && lintMessages(tree.value)).toEqual([]);
  });

  it('reports a directory that cannot be read as an error value', async () => {
    const r = await readPolicyDir(join(dir, 'missing'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain('cannot read policy directory');
  });

  it('refuses to write paths that would leave the directory', async () => {
    for (const name of ['../escape.policy', '/abs.policy', 'a/../../b']) {
      const r = await writePolicyDir(dir, policyTree([{ name, content: '' }]));
      expect(r).toEqual({ ok: false, error: `refusing to write a path outside the policy directory: ${name}` });
    }
  });
});
