/** A qube token of a policy line (`work`, `@anyvm`, `@tag:T`, ...) and where each kind may appear. */
import { pyRepr } from './py-repr.js';
import { err, ok, type Result } from './result.js';
import { ADMINVM_UUID } from './system-info.js';

/** The four places a token can stand: SOURCE, TARGET, `target=`/`default_target=`, and what the caller asked for. */
export type TokenContext = 'source' | 'target' | 'redirect' | 'intendedtarget';

/** A qube named directly, by name or by `uuid:`. */
export type QubeRef = { readonly by: 'name'; readonly name: string } | { readonly by: 'uuid'; readonly uuid: string };

export type VmToken =
  | { readonly kind: 'name'; readonly text: string }
  | { readonly kind: 'uuid'; readonly text: string; readonly uuid: string }
  | { readonly kind: 'adminvm'; readonly text: string }
  | { readonly kind: 'any'; readonly text: string }
  | { readonly kind: 'anyvm'; readonly text: string }
  | { readonly kind: 'default'; readonly text: string }
  | { readonly kind: 'dispvm'; readonly text: string }
  | { readonly kind: 'dispvm-template'; readonly text: string; readonly template: QubeRef }
  | { readonly kind: 'dispvm-tag'; readonly text: string; readonly tag: string }
  | { readonly kind: 'tag'; readonly text: string; readonly tag: string }
  | { readonly kind: 'type'; readonly text: string; readonly type: string };

export type TokenKind = VmToken['kind'];

const ALL: readonly TokenContext[] = ['source', 'target', 'redirect', 'intendedtarget'];
const MATCHERS: readonly TokenContext[] = ['source', 'target'];

/** Where each kind of token is valid (qubes.md §2.4). */
export const TOKEN_CONTEXTS: Readonly<Record<TokenKind, readonly TokenContext[]>> = {
  name: ALL,
  uuid: ALL,
  adminvm: ALL,
  any: MATCHERS,
  anyvm: MATCHERS,
  default: ['target', 'intendedtarget'],
  dispvm: ['target', 'redirect', 'intendedtarget'],
  'dispvm-template': ALL,
  'dispvm-tag': MATCHERS,
  tag: MATCHERS,
  type: MATCHERS,
};

type KeywordKind = 'any' | 'adminvm' | 'anyvm' | 'default' | 'dispvm';

const EXACT: ReadonlyArray<readonly [string, KeywordKind]> = [
  ['*', 'any'],
  ['@adminvm', 'adminvm'],
  ['@anyvm', 'anyvm'],
  ['@default', 'default'],
  ['@dispvm', 'dispvm'],
];

const PREFIXES: ReadonlyArray<readonly [string, TokenKind]> = [
  ['@type:', 'type'],
  ['@tag:', 'tag'],
  ['@dispvm:', 'dispvm-template'],
  ['@dispvm:@tag:', 'dispvm-tag'],
];

const allowedIn = (kind: TokenKind, context: TokenContext): boolean => TOKEN_CONTEXTS[kind].includes(context);

function qubeRef(text: string): QubeRef {
  return text.startsWith('uuid:') ? { by: 'uuid', uuid: text.slice(5) } : { by: 'name', name: text };
}

/** A plain word: a qube name, `dom0`, or `uuid:<uuid>` (the AdminVM's uuid is dom0; a bare `uuid:` is a name). */
function plainToken(text: string): Result<VmToken> {
  if (text === 'dom0') return ok({ kind: 'adminvm', text });
  if (!text.startsWith('uuid:')) return ok({ kind: 'name', text });
  const uuid = text.slice(5);
  // Qubes reads a bare `uuid:` as a plain qube name (which no qube has), not as an error.
  if (uuid === '') return ok({ kind: 'name', text });
  return ok(uuid === ADMINVM_UUID ? { kind: 'adminvm', text } : { kind: 'uuid', text, uuid });
}

function prefixed(kind: TokenKind, text: string, value: string): VmToken {
  if (kind === 'type') return { kind, text, type: value };
  if (kind === 'tag' || kind === 'dispvm-tag') return { kind, text, tag: value };
  return { kind: 'dispvm-template', text, template: qubeRef(value) };
}

function keywordToken(text: string, context: TokenContext): Result<VmToken> {
  for (const [exact, kind] of EXACT) {
    if (text === exact && allowedIn(kind, context)) return ok({ kind, text });
  }
  for (const [prefix, kind] of PREFIXES) {
    if (!allowedIn(kind, context) || !text.startsWith(prefix)) continue;
    const value = text.slice(prefix.length);
    if (value === '') return err(`invalid empty ${prefix} token: ${pyRepr(text)}`);
    if (value.startsWith('@')) continue;
    return ok(prefixed(kind, text, value));
  }
  return err(`invalid ${context} token: ${pyRepr(text)}`);
}

/** Parses one token for one context, with qrexec's error messages for tokens not valid there. */
export function parseToken(text: string, context: TokenContext): Result<VmToken> {
  if (text === '') return err(`invalid ${context} token: ${pyRepr(text)}`);
  if (text.startsWith('@') || text === '*') return keywordToken(text, context);
  return plainToken(text);
}
