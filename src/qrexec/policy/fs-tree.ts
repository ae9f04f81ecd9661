/** Import and export of a policy tree from and to a real directory (e.g. a copy of /etc/qubes/policy.d). */
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { byCodePoint } from './charsets.js';
import type { PolicyTree } from './policy-tree.js';
import { err, ok, type Result } from './result.js';

/** Symbolic links are followed, so a link cycle could recurse forever; no real policy tree is this deep. */
const MAX_DEPTH = 8;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function walk(root: string, rel: string, depth: number, into: Map<string, string>): Promise<void> {
  if (depth > MAX_DEPTH) throw new Error(`policy tree deeper than ${MAX_DEPTH} levels at ${rel}`);
  const names = (await readdir(join(root, rel))).sort(byCodePoint);
  for (const name of names) {
    const path = rel === '' ? name : `${rel}/${name}`;
    const info = await stat(join(root, path));
    if (info.isDirectory()) await walk(root, path, depth + 1, into);
    else if (info.isFile()) into.set(path, await readFile(join(root, path), 'utf8'));
  }
}

/** Reads every regular file under `dir` into a tree keyed by relative path (files qrexec ignores included, as they may be includes). */
export async function readPolicyDir(dir: string): Promise<Result<PolicyTree>> {
  const tree = new Map<string, string>();
  try {
    await walk(dir, '', 0, tree);
    return ok(tree);
  } catch (e) {
    return err(`cannot read policy directory ${dir}: ${message(e)}`);
  }
}

const isSafePath = (path: string): boolean =>
  path !== '' && !path.startsWith('/') && path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');

async function writeOne(dir: string, path: string, content: string): Promise<void> {
  const target = join(dir, path);
  await mkdir(dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, target);
}

/** Writes every file of the tree under `dir` (each replaced atomically); files not in the tree are left alone. */
export async function writePolicyDir(dir: string, tree: PolicyTree): Promise<Result<number>> {
  const unsafe = [...tree.keys()].find((p) => !isSafePath(p));
  if (unsafe !== undefined) return err(`refusing to write a path outside the policy directory: ${unsafe}`);
  try {
    for (const [path, content] of tree) await writeOne(dir, path, content);
    return ok(tree.size);
  } catch (e) {
    return err(`cannot write policy directory ${dir}: ${message(e)}`);
  }
}
