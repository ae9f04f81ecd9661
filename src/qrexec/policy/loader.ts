/** The state of loading a policy tree: rules in order, errors, the files read, and the include chain for cycle detection. */
import { policyError, type PolicyError } from './policy-error.js';
import { resolveTreePath, type PolicyTree } from './policy-tree.js';
import type { PolicyRule } from './rule.js';

export interface Loader {
  readonly tree: PolicyTree;
  readonly rules: PolicyRule[];
  readonly errors: PolicyError[];
  /** Files in the order they were read (a file included twice appears twice). */
  readonly files: string[];
  /** The files being read right now, outermost first. */
  readonly stack: string[];
}

/** A place in the tree that an error can point at. */
export interface Location {
  readonly file: string;
  readonly line: number | null;
}

export function createLoader(tree: PolicyTree): Loader {
  return { tree, rules: [], errors: [], files: [], stack: [] };
}

/** Records an error at `at` (the policy is refused as a whole; the load goes on to find the rest). */
export function reportError(loader: Loader, at: Location, message: string): void {
  loader.errors.push(policyError(at.file, at.line, message));
}

/** Reads `path` with `read`, unless it is already being read (an include cycle). */
export function enterFile(loader: Loader, path: string, at: Location, read: (path: string) => void): void {
  const from = loader.stack.indexOf(path);
  if (from >= 0) {
    reportError(loader, at, `circular include: ${[...loader.stack.slice(from), path].join(' -> ')}`);
    return;
  }
  loader.stack.push(path);
  loader.files.push(path);
  read(path);
  loader.stack.pop();
}

/** `!include`-style: resolve the path against `base`, require a file there, then read it. */
export function includeFile(loader: Loader, raw: string, base: string, at: Location, read: (path: string) => void): void {
  const resolved = resolveTreePath(raw, base);
  if (!resolved.ok) return reportError(loader, at, resolved.error);
  if (!loader.tree.has(resolved.value)) return reportError(loader, at, `not a file: ${resolved.value}`);
  enterFile(loader, resolved.value, at, read);
}
