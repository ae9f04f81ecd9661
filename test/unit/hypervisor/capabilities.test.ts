import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../../src/vcpu/address-space.js';
import { GuestMemory } from '../../../src/vcpu/guest-memory.js';
import { ALL_PERMS, EcPerm, PdPerm, PtPerm, SmPerm } from '../../../src/hypervisor/capability.js';
import { Hypervisor, ROOT_PD_SEL } from '../../../src/hypervisor/hypervisor.js';
import { Status } from '../../../src/hypervisor/status.js';

function setup() {
  const hv = new Hypervisor();
  const root = hv.root;
  expect(hv.createPd(root, 10, ROOT_PD_SEL, 1, 'a', GuestMemory.ofMiB(1))).toBe(Status.SUCCESS);
  expect(hv.createPd(root, 11, ROOT_PD_SEL, 2, 'b', GuestMemory.ofMiB(1))).toBe(Status.SUCCESS);
  return { hv, root, a: hv.domain(1)!, b: hv.domain(2)! };
}

describe('capabilities', () => {
  it('creates objects only at empty selectors and with the owner permission', () => {
    const { hv, root, a } = setup();
    expect(hv.createSm(root, 10, 0)).toBe(Status.BAD_CAP);
    expect(hv.createPd(a, 5, 0, 3, 'c', GuestMemory.ofMiB(1))).toBe(Status.BAD_CAP);
    expect(hv.createSm(root, 20, -1)).toBe(Status.BAD_PAR);
    expect(hv.createEc(root, 21, 10, null, 0)).toBe(Status.SUCCESS);
    expect(hv.createSc(root, 22, 21, 10, 1000)).toBe(Status.BAD_CAP);
    expect(hv.lookup(root, 21)).toEqual({ type: 'ec', perms: ALL_PERMS });
    expect(hv.lookup(root, 99)).toBeNull();
  });

  it('refuses an SC with priority or quantum zero (BAD_PAR)', async () => {
    const { hv, root } = setup();
    const { Vcpu } = await import('../../../src/vcpu/vcpu.js');
    expect(hv.createEc(root, 30, 10, new Vcpu(AddressSpace.identity(hv.domain(1)!.memory!)), 0x1000)).toBe(Status.SUCCESS);
    expect(hv.createSc(root, 31, 30, 0, 1000)).toBe(Status.BAD_PAR);
    expect(hv.createSc(root, 31, 30, 10, 0)).toBe(Status.BAD_PAR);
    expect(hv.createSc(root, 31, 30, 10, 1000)).toBe(Status.SUCCESS);
  });

  it('delegates with reduced permissions, and the receiver cannot use what it did not get', () => {
    const { hv, root, a } = setup();
    expect(hv.createSm(root, 40, 0)).toBe(Status.SUCCESS);
    expect(hv.delegate(root, 40, a, 7, SmPerm.UP)).toBe(Status.SUCCESS);
    expect(hv.lookup(a, 7)).toEqual({ type: 'sm', perms: SmPerm.UP });
    expect(hv.smCtrl(a, 7, 'up')).toBe(Status.SUCCESS);
    expect(hv.smCtrl(a, 7, 'down', a.ecs[0])).toBe(Status.BAD_CAP);
    expect(hv.delegate(root, 40, a, 7, SmPerm.UP)).toBe(Status.BAD_CAP);
    expect(hv.delegate(a, 7, root, 41, SmPerm.DN)).toBe(Status.BAD_PAR);
  });

  it('revokes recursively: everything derived loses the permissions, the source keeps them', () => {
    const { hv, root, a, b } = setup();
    expect(hv.createSm(root, 50, 1)).toBe(Status.SUCCESS);
    expect(hv.delegate(root, 50, a, 1, ALL_PERMS)).toBe(Status.SUCCESS);
    expect(hv.delegate(a, 1, b, 2, ALL_PERMS)).toBe(Status.SUCCESS);
    expect(hv.delegate(b, 2, a, 3, SmPerm.UP)).toBe(Status.SUCCESS);
    hv.revoke(root, 50, SmPerm.DN, false);
    expect(hv.lookup(root, 50)).toEqual({ type: 'sm', perms: ALL_PERMS });
    expect(hv.lookup(a, 1)?.perms).toBe(ALL_PERMS & ~SmPerm.DN);
    expect(hv.lookup(b, 2)?.perms).toBe(ALL_PERMS & ~SmPerm.DN);
    expect(hv.lookup(a, 3)?.perms).toBe(SmPerm.UP);
    hv.revoke(root, 50, ALL_PERMS, false);
    expect(hv.lookup(a, 1)).toBeNull();
    expect(hv.lookup(b, 2)).toBeNull();
    expect(hv.lookup(a, 3)).toBeNull();
    expect(hv.lookup(root, 50)).not.toBeNull();
  });

  it('refuses a revoked selector (BAD_CAP), and the selector is free again', () => {
    const { hv, root, a } = setup();
    expect(hv.createSm(root, 60, 0)).toBe(Status.SUCCESS);
    expect(hv.delegate(root, 60, a, 4, ALL_PERMS)).toBe(Status.SUCCESS);
    expect(hv.smCtrl(a, 4, 'up')).toBe(Status.SUCCESS);
    hv.revoke(a, 4, ALL_PERMS, true);
    expect(hv.smCtrl(a, 4, 'up')).toBe(Status.BAD_CAP);
    expect(hv.lookup(a, 4)).toBeNull();
    expect(hv.smCtrl(root, 60, 'up')).toBe(Status.SUCCESS);
    expect(hv.delegate(root, 60, a, 4, SmPerm.DN)).toBe(Status.SUCCESS);
  });

  it('revoking a portal makes the guest exit find no portal: the vCPU is stopped and the VMM told', async () => {
    const { hv, root, a } = setup();
    const { Vcpu } = await import('../../../src/vcpu/vcpu.js');
    const vcpu = new Vcpu(AddressSpace.identity(a.memory!));
    a.memory!.writeU32(0x8000_0000, 0x0000_0073); // ecall
    expect(hv.createEc(root, 70, ROOT_PD_SEL, null, 0)).toBe(Status.SUCCESS);
    expect(hv.createEc(root, 71, 10, vcpu, 0x1000)).toBe(Status.SUCCESS);
    expect(hv.createSc(root, 72, 71, 10, 1000)).toBe(Status.SUCCESS);
    const seen: string[] = [];
    expect(hv.createPt(root, 73, 70, (_ec, exit) => (seen.push(exit.reason), 'block'))).toBe(Status.SUCCESS);
    expect(hv.createPt(root, 74, 71, () => 'resume')).toBe(Status.BAD_CAP);
    expect(hv.delegate(root, 73, a, 0x1000 + 11, PtPerm.CALL)).toBe(Status.SUCCESS);
    const ec = a.ecs[0];
    hv.startEc(ec);
    hv.scheduler.turn();
    expect(seen).toEqual(['ecall']);
    expect(ec.state).toBe('blocked');
    const unhandled: number[] = [];
    hv.onUnhandledExit = (_ec, _exit, vector) => unhandled.push(vector);
    hv.revoke(root, 73, PtPerm.CALL, false);
    hv.wake(ec);
    hv.scheduler.turn();
    expect(seen).toEqual(['ecall']);
    expect(unhandled).toEqual([11]);
    expect(ec.state).toBe('stopped');
  });

  it('destroying a PD makes every capability to it null', () => {
    const { hv, root, a, b } = setup();
    expect(hv.delegate(root, 10, b, 5, PdPerm.EC | PdPerm.SM)).toBe(Status.SUCCESS);
    hv.destroyPd(a);
    expect(hv.lookup(root, 10)).toBeNull();
    expect(hv.lookup(b, 5)).toBeNull();
    expect(hv.domain(1)).toBeUndefined();
    expect(hv.freeDomid()).toBe(1);
    expect(EcPerm.SC).toBeGreaterThan(0);
  });
});
