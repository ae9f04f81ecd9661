/**
 * A refused request in the words of the command line: each field by the option or property the
 * user typed (`--prop memory`, not `body.properties.memory`), and the schema's bounds as plain words
 * (`at most 2048`, not `Too big: expected number to be <=2048`).
 */
import type { Problem } from './client.js';

/** How a command names the fields of its requests. */
export type FieldNames = (path: string) => string;

/** `body.memory` → `memory`, `params.tag` → `tag`: the field itself. */
export const fieldOnly: FieldNames = (path) => path.replace(/^(body|querystring|query|params|headers)\./, '');

const PLAIN: [RegExp, string][] = [
  [/^Too big: expected \w+ to be <=(\S+)$/, 'at most $1'],
  [/^Too big: expected \w+ to be <(\S+)$/, 'below $1'],
  [/^Too small: expected \w+ to be >=(\S+)$/, 'at least $1'],
  [/^Too small: expected \w+ to be >(\S+)$/, 'above $1'],
  [/^Too big: expected string to have <=(\d+) characters?$/, 'at most $1 characters'],
  [/^Too small: expected string to have >=(\d+) characters?$/, 'at least $1 characters'],
  [/^Too big: expected array to have <=(\d+) items?$/, 'at most $1 items'],
  [/^Too small: expected array to have >=(\d+) items?$/, 'at least $1 items'],
  [/^Invalid input: expected (\w+), received (\w+)$/, 'takes a $1, not a $2'],
  [/^Invalid option: expected one of (.*)$/, 'one of $1'],
];

export function plainWords(message: string): string {
  for (const [pattern, words] of PLAIN) if (pattern.test(message)) return message.replace(pattern, words);
  return message;
}

/** The one line to print for `problem`: per field for a validation failure, else its detail. */
export function problemText(problem: Partial<Problem>, fields: FieldNames): string | undefined {
  if (problem.code === 'VALIDATION_FAILED' && problem.errors?.length) {
    return problem.errors.map((e) => `${fields(e.path)}: ${plainWords(e.message)}`).join('; ');
  }
  return problem.detail;
}
