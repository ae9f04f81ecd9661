/** The policy source as data: a virtual directory tree, path → file content, that a caller fills from a database or a directory. */
import { byCodePoint, isValidPolicyFileName } from './charsets.js';
import { err, ok, type Result } from './result.js';

/**
 * Paths are relative and `/`-separated. Top-level `*.policy` files form the main policy directory
 * (`/etc/qubes/policy.d`); anything else (e.g. `include/admin-local-rwx`) is reachable only by include directives.
 */
export type PolicyTree = ReadonlyMap<string, string>;

/** A file of the tree: `name` is its path (`90-default.policy`, `include/admin-local-ro`). */
export interface PolicyFile {
  readonly name: string;
  readonly content: string;
}

export const POLICY_SUFFIX = '.policy';

/** Where `!compat-4.0` finds the legacy per-service files (Qubes 4.0's `/etc/qubes-rpc/policy`). */
export const LEGACY_POLICY_DIR = 'qubes-rpc-policy';

/** Absolute prefixes that denote the tree itself, so that policy copied from a Qubes dom0 resolves. */
const ROOT_ALIASES: ReadonlyArray<readonly [string, string]> = [
  ['/etc/qubes/policy.d/', ''],
  ['/run/qubes/policy.d/', ''],
  ['/etc/qubes-rpc/policy/', `${LEGACY_POLICY_DIR}/`],
];

/** Builds a tree from files; a path given twice keeps its last content. */
export function policyTree(files: Iterable<PolicyFile>): PolicyTree {
  const tree = new Map<string, string>();
  for (const f of files) tree.set(f.name.replace(/^(\.\/)+/, ''), f.content);
  return tree;
}

/** The files of a tree as `{ name, content }`, in path order. */
export function treeFiles(tree: PolicyTree): PolicyFile[] {
  return [...tree.keys()].sort(byCodePoint).map((name) => ({ name, content: tree.get(name) ?? '' }));
}

function normaliseSegments(path: string): string | null {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg !== '..') out.push(seg);
    else if (out.pop() === undefined) return null;
  }
  return out.join('/');
}

/**
 * Resolves an include path against `base` (the tree root, or the legacy directory for old-style files).
 * Paths that leave the tree are an error; `''` is the root itself.
 */
export function resolveTreePath(raw: string, base: string): Result<string> {
  const alias = ROOT_ALIASES.find(([prefix]) => raw.startsWith(prefix));
  const relative = alias !== undefined ? alias[1] + raw.slice(alias[0].length) : raw.startsWith('/') ? null : joinPath(base, raw);
  const resolved = relative === null ? null : normaliseSegments(relative);
  return resolved === null ? err(`include path outside the policy tree: ${raw}`) : ok(resolved);
}

const joinPath = (base: string, rel: string): string => (base === '' ? rel : `${base}/${rel}`);

/** Whether any file lies under `dir` (the root always exists). */
export function isDirectory(tree: PolicyTree, dir: string): boolean {
  if (dir === '') return true;
  for (const path of tree.keys()) if (path.startsWith(`${dir}/`)) return true;
  return false;
}

/** Names of the files directly in `dir`. */
export function filesIn(tree: PolicyTree, dir: string): string[] {
  const prefix = dir === '' ? '' : `${dir}/`;
  const names: string[] = [];
  for (const path of tree.keys()) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    if (rest !== '' && !rest.includes('/')) names.push(rest);
  }
  return names;
}

/** The `*.policy` files of a directory that qrexec reads (dot-files and other suffixes are ignored), split into valid and invalid names. */
export function policyFilesIn(tree: PolicyTree, dir: string): { valid: string[]; invalid: string[] } {
  const candidates = filesIn(tree, dir).filter((n) => n.endsWith(POLICY_SUFFIX) && !n.startsWith('.'));
  const prefix = dir === '' ? '' : `${dir}/`;
  return {
    valid: candidates.filter(isValidPolicyFileName).sort(byCodePoint).map((n) => prefix + n),
    invalid: candidates.filter((n) => !isValidPolicyFileName(n)).sort(byCodePoint).map((n) => prefix + n),
  };
}

/** Splits file content into lines as Python's text mode does (`\n`, `\r\n` and `\r` all end a line). */
export function fileLines(content: string): string[] {
  const lines = content.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
