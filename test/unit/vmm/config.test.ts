import { describe, expect, it } from 'vitest';
import { PROPERTIES, SETTABLE_PROPERTIES } from '../../../src/vmm/config/properties.js';
import { vmNameProblem } from '../../../src/vmm/config/vm-name.js';

describe('VM names', () => {
  it.each(['work', 'a', 'Work-2', 'sys.net', 'x_y', `a${'b'.repeat(30)}`])('takes %s', (name) => {
    expect(vmNameProblem(name)).toBeNull();
  });

  it.each([
    ['', 'VM name must not be empty'],
    [`a${'b'.repeat(31)}`, 'VM name must be shorter than 32 characters'],
    ['1abc', 'VM name cannot start with hyphen, underscore, dot or numbers'],
    ['_abc', 'VM name cannot start with hyphen, underscore, dot or numbers'],
    ['.abc', 'VM name cannot start with hyphen, underscore, dot or numbers'],
    ['a b', 'VM name contains illegal characters'],
    ['a/b', 'VM name contains illegal characters'],
    ['dom0', "VM name 'dom0' is reserved"],
    ['none', "VM name 'none' is reserved"],
    ['Domain-0', "VM name 'Domain-0' is reserved"],
  ])('refuses %j: %s', (name, message) => {
    expect(vmNameProblem(name)).toBe(message);
  });
});

describe('property catalogue', () => {
  it('declares each property once', () => {
    expect(new Set(PROPERTIES.map((p) => p.name)).size).toBe(PROPERTIES.length);
    expect(new Set(PROPERTIES.map((p) => p.column)).size).toBe(PROPERTIES.length);
  });

  it('gives every default a value its own schema accepts', () => {
    for (const p of SETTABLE_PROPERTIES) {
      if (p.default !== null) expect(p.schema.safeParse(p.default).success, p.name).toBe(true);
    }
  });

  it('documents every property', () => {
    for (const p of PROPERTIES) expect(p.doc.length, p.name).toBeGreaterThan(10);
  });
});
