/** The compiled policy: rules in order, indexed by service, each with its tokens turned into matchers once. */
import { parsePolicy, type ParsedPolicy } from './parse-policy.js';
import type { PolicyErrors } from './policy-error.js';
import type { PolicyTree } from './policy-tree.js';
import type { PolicyRule } from './rule.js';
import { matcherFor, type Matcher } from './token-match.js';

/** A rule ready for evaluation: argument to compare, source and target matchers. */
export interface CompiledRule {
  readonly rule: PolicyRule;
  /** The argument (`+…`), or null for `*`. */
  readonly argument: string | null;
  readonly source: Matcher;
  readonly target: Matcher;
}

export interface CompiledPolicy {
  readonly ok: true;
  /** Every rule in evaluation order, as data. */
  readonly rules: readonly PolicyRule[];
  readonly files: readonly string[];
  /** For each service some rule names: its rules and the `*`-service rules, in policy order. */
  readonly byService: ReadonlyMap<string, readonly CompiledRule[]>;
  /** The `*`-service rules alone, for services no rule names. */
  readonly anyService: readonly CompiledRule[];
}

function compileRule(rule: PolicyRule): CompiledRule {
  return { rule, argument: rule.argument, source: matcherFor(rule.source), target: matcherFor(rule.target) };
}

/** Indexes already parsed rules (used by compilePolicy, and to re-evaluate printed policies). */
export function indexRules(rules: readonly PolicyRule[], files: readonly string[] = []): CompiledPolicy {
  const byService = new Map<string, CompiledRule[]>();
  for (const r of rules) if (r.service !== null && !byService.has(r.service)) byService.set(r.service, []);
  const anyService: CompiledRule[] = [];
  for (const r of rules) {
    const c = compileRule(r);
    if (r.service !== null) byService.get(r.service)?.push(c);
    else for (const list of [anyService, ...byService.values()]) list.push(c);
  }
  return { ok: true, rules, files, byService, anyService };
}

/** Rules that can match a call of `service`, in order. */
export function rulesFor(policy: CompiledPolicy, service: string): readonly CompiledRule[] {
  return policy.byService.get(service) ?? policy.anyService;
}

/** Parses a tree once into the form `evaluate` uses; any error anywhere yields PolicyErrors (deny everything). */
export function compilePolicy(tree: PolicyTree): CompiledPolicy | PolicyErrors {
  return compileParsed(parsePolicy(tree));
}

export function compileParsed(parsed: ParsedPolicy): CompiledPolicy | PolicyErrors {
  if (parsed.errors.length > 0) return { ok: false, errors: parsed.errors };
  return indexRules(parsed.rules, parsed.files);
}
