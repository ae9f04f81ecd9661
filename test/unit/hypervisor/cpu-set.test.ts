import { describe, expect, it } from 'vitest';
import { cpuCount, parseAffinity, placeVcpu } from '../../../src/hypervisor/cpu-set.js';

describe('CPU set', () => {
  it('starts available parallelism minus one CPU workers, at least one, unless CELLA_CPUS says', () => {
    expect(cpuCount(undefined, 8)).toBe(7);
    expect(cpuCount(undefined, 2)).toBe(1);
    expect(cpuCount(undefined, 1)).toBe(1);
    expect(cpuCount('', 4)).toBe(3);
    expect(cpuCount('2', 2)).toBe(2);
    expect(cpuCount(' 16 ', 2)).toBe(16);
    // 0: the vCPUs run on the manager's event loop
    expect(cpuCount('0', 4)).toBe(0);
  });

  it('refuses a CELLA_CPUS that is not a whole number from 0 to 256, with the reason', () => {
    for (const v of ['-1', '1.5', 'two', '257', '0x2']) {
      expect(cpuCount(v, 4)).toMatchObject({ code: 'CPU_SET_INVALID', message: expect.stringContaining(`CELLA_CPUS=${v}`) });
    }
  });

  it('reads affinities in vcpu-pin syntax: all, lists, ranges and exclusions', () => {
    expect(parseAffinity('all', 4)).toEqual([0, 1, 2, 3]);
    expect(parseAffinity('2', 4)).toEqual([2]);
    expect(parseAffinity('0-2,3', 4)).toEqual([0, 1, 2, 3]);
    expect(parseAffinity('all,^1', 4)).toEqual([0, 2, 3]);
    expect(parseAffinity('0-3,^1-2', 4)).toEqual([0, 3]);
    expect(parseAffinity('3,1,1', 4)).toEqual([1, 3]);
  });

  it('refuses an affinity naming a CPU the host lacks, leaving none, or malformed', () => {
    expect(parseAffinity('4', 4)).toMatchObject({ message: expect.stringContaining('CPU 4 does not exist') });
    expect(parseAffinity('1,^1', 4)).toMatchObject({ message: expect.stringContaining('leaves no CPU') });
    expect(parseAffinity('3-1', 4)).toMatchObject({ message: expect.stringContaining('ends before') });
    for (const s of ['', ',', 'a', '1;2', '1-', '-1']) expect(parseAffinity(s, 4)).toMatchObject({ code: 'CPU_SET_INVALID' });
  });

  it('places a new vCPU on the least loaded allowed CPU, the lowest on a tie', () => {
    expect(placeVcpu([2, 1, 1, 3], null)).toBe(1);
    expect(placeVcpu([0, 0], null)).toBe(0);
    expect(placeVcpu([0, 5, 4, 9], [1, 3])).toBe(1);
    expect(placeVcpu([0, 5, 4, 9], [3, 2])).toBe(2);
    expect(() => placeVcpu([0, 0], [5])).toThrow(RangeError);
  });
});
