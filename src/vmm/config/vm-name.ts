/** The Qubes rule for VM names: a letter first, then letters, digits, `_ . -`, at most 31 characters. */
export const VM_NAME_MAX = 31;
export const VM_NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_.-]*$/;
const RESERVED = new Set(['dom0', 'none', 'default', 'Domain-0']);

/** Why `name` cannot name a new VM, or null when it can. Messages follow qubes/vm/__init__.py. */
export function vmNameProblem(name: string): string | null {
  if (name.length === 0) return 'VM name must not be empty';
  if (name.length > VM_NAME_MAX) return `VM name must be shorter than ${VM_NAME_MAX + 1} characters`;
  if (/^[^a-zA-Z]/.test(name)) return 'VM name cannot start with hyphen, underscore, dot or numbers';
  if (!VM_NAME_PATTERN.test(name)) return 'VM name contains illegal characters';
  if (RESERVED.has(name)) return `VM name '${name}' is reserved`;
  return null;
}
