import { describe, expect, it } from 'vitest';
import { DataPorts } from '../../../src/vmm/qrexec/ports.js';

describe('dom0 data ports', () => {
  it('gives each pair ports from 513 by parity, never one in use, and a kept port back only once freed', () => {
    const ports = new DataPorts();
    expect(ports.allocate(1, 2)).toBe(513);
    expect(ports.allocate(2, 1)).toBe(514);
    // a call restored after a restart still uses 515 between 1 and 2
    ports.reserve(1, 2, 515);
    expect(ports.allocate(1, 2)).toBe(517);
    ports.free(1, 2, 515);
    expect(ports.allocate(1, 2)).toBe(515);
    expect(ports.inUse).toBe(4);
  });
});
