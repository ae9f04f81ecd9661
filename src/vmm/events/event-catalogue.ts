/**
 * The events the manager emits, named as Qubes names them (reference/qubes.md §3.6), declared
 * once with their subject and payload; a parameterised name ends in `:` and takes a suffix.
 */
export interface EventDef {
  readonly name: string;
  readonly subject: 'vm' | 'none';
  readonly payload: readonly string[];
  readonly doc: string;
}

export const EVENT_CATALOGUE: readonly EventDef[] = [
  { name: 'domain-add', subject: 'none', payload: ['vm'], doc: 'A VM was created.' },
  { name: 'domain-delete', subject: 'none', payload: ['vm'], doc: 'A VM was removed.' },
  { name: 'property-set:', subject: 'vm', payload: ['name', 'newvalue', 'oldvalue'], doc: 'A property was set (suffix: its name).' },
  { name: 'property-reset:', subject: 'vm', payload: ['name', 'oldvalue'], doc: 'A property went back to its default (suffix: its name).' },
  { name: 'domain-tag-add:', subject: 'vm', payload: ['tag'], doc: 'A tag was added (suffix: the tag).' },
  { name: 'domain-tag-delete:', subject: 'vm', payload: ['tag'], doc: 'A tag was removed (suffix: the tag).' },
  { name: 'domain-feature-set:', subject: 'vm', payload: ['feature', 'value', 'oldvalue'], doc: 'A feature was set (suffix: its name).' },
  { name: 'domain-feature-delete:', subject: 'vm', payload: ['feature'], doc: 'A feature was removed (suffix: its name).' },
];

/** Whether `name` is a catalogued event (exactly, or a parameterised one with its suffix). */
export function isCataloguedEvent(name: string): boolean {
  return EVENT_CATALOGUE.some((e) => (e.name.endsWith(':') ? name.startsWith(e.name) && name.length > e.name.length : name === e.name));
}
