/** Property values as typed at a prompt and as printed, the way qvm-prefs reads and shows them. */
import { CliError, EXIT_USAGE } from './cli-error.js';
import type { PropertyInfo } from './client.js';

const TRUE = new Set(['true', 'on', '1', 'yes']);
const FALSE = new Set(['false', 'off', '0', 'no']);

/** Parses `text` for `prop`; null means none (VM references: '' or 'none'). */
export function parsePropertyValue(prop: PropertyInfo, text: string): string | number | boolean | null {
  switch (prop.type) {
    case 'int': {
      if (!/^-?\d{1,15}$/.test(text)) throw new CliError(EXIT_USAGE, `property '${prop.name}' takes an integer, not '${text}'`);
      return Number(text);
    }
    case 'bool': {
      const t = text.toLowerCase();
      if (TRUE.has(t)) return true;
      if (FALSE.has(t)) return false;
      throw new CliError(EXIT_USAGE, `property '${prop.name}' takes True or False, not '${text}'`);
    }
    case 'vm':
      return text === '' || text.toLowerCase() === 'none' ? null : text;
    default:
      return text;
  }
}

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}
