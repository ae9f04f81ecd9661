import { totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, hostMemoryCapMiB, limitsFromEnv } from '../../../src/vmm/lifecycle/limits.js';

const GiB = 1024 ** 3;

describe('host memory cap', () => {
  it('defaults to the host memory less 10%, at least 1 GiB kept for the host', () => {
    expect(hostMemoryCapMiB(24 * GiB)).toBe(24 * 1024 - 2457);
    expect(hostMemoryCapMiB(4 * GiB)).toBe(3 * 1024);
    expect(hostMemoryCapMiB(512 * 1024 ** 2)).toBe(64);
  });

  it('never lets running VMs claim more than this host has', () => {
    expect(DEFAULT_LIMITS.maxMemoryMiB).toBeLessThan(totalmem() / 1024 ** 2);
    expect(limitsFromEnv({}).maxMemoryMiB).toBe(DEFAULT_LIMITS.maxMemoryMiB);
    expect(limitsFromEnv({ CELLA_MAX_MEMORY_MIB: '500' }).maxMemoryMiB).toBe(500);
    expect(() => limitsFromEnv({ CELLA_MAX_RUNNING_VMS: '0' })).toThrow(/CELLA_MAX_RUNNING_VMS must be a positive integer/);
  });
});
