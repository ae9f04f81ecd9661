/** A request's source or target resolved against the system snapshot, so that every rule compares identities, not spellings. */
import { ADMINVM_NAME, ADMINVM_UUID, domainNamed, nameOfUuid, type DomainInfo, type SystemInfo } from './system-info.js';

/**
 * - `qube`: an existing qube, named by name or `uuid:`;
 * - `adminvm`: dom0, however spelled (`dom0`, `@adminvm`, the zero uuid);
 * - `unknown`: a name the snapshot does not know (possible for a source only);
 * - `default`, `dispvm`, `dispvm-template`: the `@default`, `@dispvm`, `@dispvm:X` requests.
 */
export type SubjectKind = 'qube' | 'adminvm' | 'unknown' | 'default' | 'dispvm' | 'dispvm-template';

export interface Subject {
  readonly kind: SubjectKind;
  /** The text as requested (after normalisation, e.g. `@default` for an unknown target). */
  readonly text: string;
  /** Canonical qube name: the qube's name, `dom0`, the literal for `unknown`; the disposable template's name for the dispvm kinds. */
  readonly name: string | null;
  /** The qube (or, for the dispvm kinds, the disposable template) in the snapshot. */
  readonly domain: DomainInfo | undefined;
  /** True when `text` names a qube by name or uuid; `@tag:` and `@type:` match only such real names, never `@adminvm`. */
  readonly realName: boolean;
}

const isAdminVmAlias = (text: string): boolean =>
  text === ADMINVM_NAME || text === '@adminvm' || text === `uuid:${ADMINVM_UUID}`;

/** The qube a plain name or `uuid:` refers to, by canonical name. */
export function canonicalQubeName(system: SystemInfo, text: string): string | undefined {
  if (isAdminVmAlias(text)) return ADMINVM_NAME;
  if (text.startsWith('uuid:')) return nameOfUuid(system, text.slice(5));
  return domainNamed(system, text) === undefined ? undefined : text;
}

/** A qube named by name, uuid or dom0 alias; unknown names stay literal. */
export function qubeSubject(system: SystemInfo, text: string): Subject {
  if (isAdminVmAlias(text)) {
    return { kind: 'adminvm', text, name: ADMINVM_NAME, domain: domainNamed(system, ADMINVM_NAME), realName: text !== '@adminvm' };
  }
  const name = canonicalQubeName(system, text);
  if (name === undefined) return { kind: 'unknown', text, name: text, domain: undefined, realName: false };
  return { kind: 'qube', text, name, domain: domainNamed(system, name), realName: true };
}

/** A disposable request: `@dispvm` takes the source's default_dispvm, `@dispvm:X` names its template. */
function dispvmSubject(system: SystemInfo, text: string, source: Subject): Subject {
  if (text === '@dispvm') {
    const template = source.domain?.default_dispvm ?? null;
    const domain = template === null ? undefined : domainNamed(system, template);
    return { kind: 'dispvm', text, name: template, domain, realName: false };
  }
  const ref = text.slice('@dispvm:'.length);
  const name = canonicalQubeName(system, ref) ?? ref;
  return { kind: 'dispvm-template', text, name, domain: domainNamed(system, name), realName: false };
}

/** The subject for an already verified requested target. */
export function targetSubject(system: SystemInfo, text: string, source: Subject): Subject {
  if (text === '@default') return { kind: 'default', text, name: null, domain: undefined, realName: false };
  if (text === '@dispvm' || text.startsWith('@dispvm:')) return dispvmSubject(system, text, source);
  return qubeSubject(system, text);
}
