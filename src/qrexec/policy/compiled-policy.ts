/** The compiled policy: rules in order, indexed by service so that a call scans only the rules that can name it. */
import { parsePolicy, type ParsedPolicy } from './parse-policy.js';
import type { PolicyErrors } from './policy-error.js';
import type { PolicyTree } from './policy-tree.js';
import type { PolicyRule } from './rule.js';

export interface CompiledPolicy {
  readonly ok: true;
  readonly rules: readonly PolicyRule[];
  readonly files: readonly string[];
  /** For each service some rule names: its rules and the `*`-service rules, in policy order. */
  readonly byService: ReadonlyMap<string, readonly PolicyRule[]>;
  /** The `*`-service rules alone, for services no rule names. */
  readonly anyService: readonly PolicyRule[];
}

/** Indexes already parsed rules (used by compilePolicy, and to re-evaluate printed policies). */
export function indexRules(rules: readonly PolicyRule[], files: readonly string[] = []): CompiledPolicy {
  const names = new Set<string>();
  for (const r of rules) if (r.service !== null) names.add(r.service);
  const byService = new Map<string, PolicyRule[]>([...names].map((n) => [n, []]));
  const anyService: PolicyRule[] = [];
  for (const r of rules) {
    if (r.service !== null) byService.get(r.service)?.push(r);
    else for (const list of [anyService, ...byService.values()]) list.push(r);
  }
  return { ok: true, rules, files, byService, anyService };
}

/** Rules that can match a call of `service`, in order. */
export function rulesFor(policy: CompiledPolicy, service: string): readonly PolicyRule[] {
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
