/** The choice list of an `ask`: built as qrexec builds it, by a reverse scan where allow/ask add targets and deny removes them. */
import type { CompiledRule } from './compiled-policy.js';
import type { Subject } from './subject.js';
import { canonicalQubeName } from './subject.js';
import { ADMINVM_NAME, domainNamed, type SystemInfo } from './system-info.js';
import type { VmToken } from './token.js';

const dispvmOf = (name: string): string => `@dispvm:${name}`;

function everyQube(system: SystemInfo, withAdminVm: boolean): string[] {
  const out: string[] = [];
  for (const [name, d] of Object.entries(system.domains)) {
    if (withAdminVm || d.type !== 'AdminVM') out.push(name);
    if (d.template_for_dispvms) out.push(dispvmOf(name));
  }
  out.push('@dispvm');
  return out;
}

function qubesWhere(system: SystemInfo, keep: (name: string) => boolean, wrap = (n: string): string => n): string[] {
  return Object.keys(system.domains).filter(keep).map(wrap);
}

function templateChoice(system: SystemInfo, ref: string): string[] {
  const name = canonicalQubeName(system, ref);
  return name !== undefined && domainNamed(system, name)?.template_for_dispvms === true ? [dispvmOf(name)] : [];
}

/** Every concrete target a token stands for (qube names, `@dispvm:X`, `@dispvm`). */
export function expandToken(token: VmToken, system: SystemInfo): string[] {
  const d = (n: string) => system.domains[n];
  switch (token.kind) {
    case 'name':
    case 'uuid': {
      const name = canonicalQubeName(system, token.text);
      return name === undefined ? [] : [name];
    }
    case 'adminvm':
      // Qubes expands the keyword to itself, not to `dom0`: a deny of `@adminvm` leaves a `dom0` that `*` offered.
      return ['@adminvm'];
    case 'any':
    case 'anyvm':
      return everyQube(system, token.kind === 'any');
    case 'default':
      return [];
    case 'dispvm':
      return ['@dispvm'];
    case 'tag':
      return qubesWhere(system, (n) => d(n).tags.includes(token.tag));
    case 'type':
      return qubesWhere(system, (n) => d(n).type === token.type);
    case 'dispvm-template':
      return templateChoice(system, token.template.by === 'name' ? token.template.name : `uuid:${token.template.uuid}`);
    case 'dispvm-tag':
      return qubesWhere(system, (n) => d(n).template_for_dispvms && d(n).tags.includes(token.tag), dispvmOf);
  }
}

const expansions = new WeakMap<SystemInfo, Map<VmToken, readonly string[]>>();

/** expandToken, remembered per snapshot object and token (snapshots are immutable: a changed system is a new object). */
export function cachedExpansion(token: VmToken, system: SystemInfo): readonly string[] {
  let bySystem = expansions.get(system);
  if (bySystem === undefined) expansions.set(system, (bySystem = new Map()));
  let expansion = bySystem.get(token);
  if (expansion === undefined) bySystem.set(token, (expansion = expandToken(token, system)));
  return expansion;
}

/** After the scan: `@dispvm` becomes the caller's default disposable template (dropped when it has none), `@adminvm` becomes `dom0`. */
export function resolveKeywords(targets: Iterable<string>, source: Subject): Set<string> {
  const out = new Set(targets);
  if (out.delete('@dispvm')) {
    const template = source.domain?.default_dispvm ?? null;
    if (template !== null) out.add(dispvmOf(template));
  }
  if (out.delete('@adminvm')) out.add(ADMINVM_NAME);
  return out;
}

function isInternal(system: SystemInfo, target: string): boolean {
  const name = target.startsWith('@dispvm:') ? target.slice('@dispvm:'.length) : target;
  return domainNamed(system, name)?.internal === true;
}

/** The reverse scan over the rules that match service, argument and source (the target is what is being collected). */
export function collectAskTargets(rules: readonly CompiledRule[], argument: string, source: Subject, system: SystemInfo): string[] {
  const targets = new Set<string>();
  for (let i = rules.length - 1; i >= 0; i--) {
    const { rule: r, argument: ruleArgument, source: matchesSource } = rules[i];
    if ((ruleArgument !== null && ruleArgument !== argument) || !matchesSource(source)) continue;
    const token = r.action.kind === 'deny' ? r.target : (r.action.target ?? r.target);
    const expansion = cachedExpansion(token, system);
    if (r.action.kind === 'deny') for (const t of expansion) targets.delete(t);
    else for (const t of expansion) targets.add(t);
  }
  const resolved = resolveKeywords(targets, source);
  if (source.name !== null) resolved.delete(source.name);
  return [...resolved].filter((t) => !isInternal(system, t));
}
