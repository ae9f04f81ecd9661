import { describe, expect, it } from 'vitest';
import { PolicyRequestSchema, SystemInfoSchema } from '../../../../src/qrexec/policy/index.js';
import { SYSTEM } from '../../../fixtures/policy/system.js';

describe('input schemas', () => {
  it('accept a system snapshot shaped like internal.GetSystemInfo', () => {
    expect(SystemInfoSchema.safeParse(SYSTEM).success).toBe(true);
  });

  it('refuse a snapshot with an unknown qube type or a missing uuid', () => {
    const bad = { domains: { work: { ...SYSTEM.domains.work, type: 'Toaster' } } };
    expect(SystemInfoSchema.safeParse(bad).success).toBe(false);
    const { uuid: _uuid, ...noUuid } = SYSTEM.domains.work;
    expect(SystemInfoSchema.safeParse({ domains: { work: noUuid } }).success).toBe(false);
  });

  it('accept a request and refuse one without a service', () => {
    expect(PolicyRequestSchema.safeParse({ source: 'work', target: '', service: 'qubes.GetDate', argument: '' }).success).toBe(true);
    expect(PolicyRequestSchema.safeParse({ source: 'work', target: '', argument: '' }).success).toBe(false);
  });
});
