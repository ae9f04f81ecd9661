/** The catalogue of section kinds and section flags a snapshot file may carry. */

/** Section kinds by name: the id stored in the file and what the payload is. */
export const SECTION_KINDS = {
  json: { id: 1, doc: 'UTF-8 JSON text of one piece of small state (vCPUs, event channels, grants, xenstore, machines, console)' },
  memory: { id: 2, doc: 'guest RAM: its size, then (frame number, 4 KiB) records of the frames that are not all zero, frames ascending' },
} as const;

export type SectionKind = keyof typeof SECTION_KINDS;

/** Section flags. A reader skips a section of an unknown kind when it is OPTIONAL and refuses it otherwise. */
export const SECTION_FLAGS = { OPTIONAL: 1 } as const;
export const KNOWN_SECTION_FLAGS = SECTION_FLAGS.OPTIONAL;

/** The kind of a stored id, or undefined for a kind this Cella does not know. */
export function sectionKindOf(id: number): SectionKind | undefined {
  for (const [name, kind] of Object.entries(SECTION_KINDS)) if (kind.id === id) return name as SectionKind;
  return undefined;
}
