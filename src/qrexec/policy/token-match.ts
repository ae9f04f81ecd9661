/** Whether a rule's SOURCE or TARGET token matches a resolved request subject (qubes.md §2.4, matching notes). */
import type { Subject } from './subject.js';
import type { QubeRef, VmToken } from './token.js';

const isNamedQube = (s: Subject): boolean => s.kind === 'qube' || s.kind === 'unknown';
const isDisposable = (s: Subject): boolean => s.kind === 'dispvm' || s.kind === 'dispvm-template';

/** `@dispvm:X` against a disposable request: the same template, by name or by uuid. */
function sameTemplate(ref: QubeRef, s: Subject): boolean {
  if (!isDisposable(s)) return false;
  return ref.by === 'name' ? s.name === ref.name : s.domain !== undefined && s.domain.uuid === ref.uuid;
}

/** `@dispvm:@tag:T`: the disposable's template exists, is a template for disposables and has tag T. */
function templateTagged(tag: string, s: Subject): boolean {
  return isDisposable(s) && s.domain !== undefined && s.domain.template_for_dispvms && s.domain.tags.includes(tag);
}

function uuidMatches(uuid: string, text: string, s: Subject): boolean {
  if (s.kind === 'qube') return s.domain !== undefined && s.domain.uuid === uuid;
  return s.kind === 'unknown' && s.text === text;
}

/** First-match semantics rest on this: `*` matches all, `@anyvm` all but dom0, `@tag:`/`@type:` real names only. */
export function tokenMatches(token: VmToken, s: Subject): boolean {
  switch (token.kind) {
    case 'any':
      return true;
    case 'anyvm':
      return s.kind !== 'adminvm';
    case 'adminvm':
      return s.kind === 'adminvm';
    case 'default':
      return s.kind === 'default';
    case 'dispvm':
      return s.kind === 'dispvm';
    case 'name':
      return isNamedQube(s) && s.name === token.text;
    case 'uuid':
      return uuidMatches(token.uuid, token.text, s);
    case 'tag':
      return s.realName && s.domain !== undefined && s.domain.tags.includes(token.tag);
    case 'type':
      return s.realName && s.domain !== undefined && s.domain.type === token.type;
    case 'dispvm-template':
      return sameTemplate(token.template, s);
    case 'dispvm-tag':
      return templateTagged(token.tag, s);
  }
}
