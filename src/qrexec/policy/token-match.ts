/** Whether a rule's SOURCE or TARGET token matches a resolved request subject, as a matcher built once per token (qubes.md §2.4). */
import type { Subject } from './subject.js';
import type { QubeRef, VmToken } from './token.js';

/** A token compiled into a predicate over request subjects. */
export type Matcher = (s: Subject) => boolean;

const isDisposable = (s: Subject): boolean => s.kind === 'dispvm' || s.kind === 'dispvm-template';

const always: Matcher = () => true;
const notAdminVm: Matcher = (s) => s.kind !== 'adminvm';
const adminVm: Matcher = (s) => s.kind === 'adminvm';
const defaultTarget: Matcher = (s) => s.kind === 'default';
const newDispvm: Matcher = (s) => s.kind === 'dispvm';

/** A literal name: the same qube (however the request spelled it), or the same unknown name. */
function named(name: string): Matcher {
  return (s) => (s.kind === 'qube' || s.kind === 'unknown') && s.name === name;
}

/** `uuid:U`: the qube with that uuid; for a qube the snapshot does not know, the same text. */
function byUuid(uuid: string, text: string): Matcher {
  return (s) => (s.kind === 'qube' ? s.domain !== undefined && s.domain.uuid === uuid : s.kind === 'unknown' && s.text === text);
}

/** `@tag:` and `@type:` look at real names only: `dom0` has dom0's tags, the keyword `@adminvm` has none. */
function tagged(tag: string): Matcher {
  return (s) => s.realName && s.domain !== undefined && s.domain.tags.includes(tag);
}

function typed(type: string): Matcher {
  return (s) => s.realName && s.domain !== undefined && s.domain.type === type;
}

/** `@dispvm:X` matches a disposable of template X, whether asked as `@dispvm:X` or as `@dispvm` with default_dispvm X. */
function fromTemplate(ref: QubeRef): Matcher {
  if (ref.by === 'name') return (s) => isDisposable(s) && s.name === ref.name;
  return (s) => isDisposable(s) && s.domain !== undefined && s.domain.uuid === ref.uuid;
}

/** `@dispvm:@tag:T`: the disposable's template exists, is a template for disposables and has tag T. */
function fromTaggedTemplate(tag: string): Matcher {
  return (s) => isDisposable(s) && s.domain !== undefined && s.domain.template_for_dispvms && s.domain.tags.includes(tag);
}

/** The matcher for a token; first-match evaluation calls these, so each is a small closure with its data bound. */
export function matcherFor(token: VmToken): Matcher {
  switch (token.kind) {
    case 'any':
      return always;
    case 'anyvm':
      return notAdminVm;
    case 'adminvm':
      return adminVm;
    case 'default':
      return defaultTarget;
    case 'dispvm':
      return newDispvm;
    case 'name':
      return named(token.text);
    case 'uuid':
      return byUuid(token.uuid, token.text);
    case 'tag':
      return tagged(token.tag);
    case 'type':
      return typed(token.type);
    case 'dispvm-template':
      return fromTemplate(token.template);
    case 'dispvm-tag':
      return fromTaggedTemplate(token.tag);
  }
}
