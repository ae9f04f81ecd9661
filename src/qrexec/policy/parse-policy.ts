/** Parsing a whole policy tree: the main `*.policy` files in C-locale order, includes expanded where they stand. */
import { createLoader, enterFile, reportError } from './loader.js';
import type { PolicyError } from './policy-error.js';
import { loadPolicyFile } from './policy-file.js';
import { policyFilesIn, type PolicyTree } from './policy-tree.js';
import type { PolicyRule } from './rule.js';

/** Every rule in evaluation order, and every error found (any error means the policy must deny all calls). */
export interface ParsedPolicy {
  readonly rules: readonly PolicyRule[];
  readonly errors: readonly PolicyError[];
  /** Files read, in order. */
  readonly files: readonly string[];
}

/** Parses the whole tree and keeps going after errors, so that one pass reports them all. */
export function parsePolicy(tree: PolicyTree): ParsedPolicy {
  const loader = createLoader(tree);
  const { valid, invalid } = policyFilesIn(tree, '');
  for (const path of invalid) reportError(loader, { file: path, line: null }, `invalid filename: ${path}`);
  for (const path of valid) enterFile(loader, path, { file: path, line: null }, (p) => loadPolicyFile(loader, p));
  return { rules: loader.rules, errors: loader.errors, files: loader.files };
}
