/** `qvm policy check`: every error of a policy tree, each at file:line, without stopping at the first. */
import { parsePolicy } from './parse-policy.js';
import { formatPolicyError, type PolicyError } from './policy-error.js';
import type { PolicyTree } from './policy-tree.js';

/** All errors; an empty list means the tree compiles. */
export function lint(tree: PolicyTree): PolicyError[] {
  return [...parsePolicy(tree).errors];
}

/** The same errors as `file:line: message` lines. */
export function lintMessages(tree: PolicyTree): string[] {
  return lint(tree).map(formatPolicyError);
}
