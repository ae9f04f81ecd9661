import { describe, expect, it } from 'vitest';
import { libxenvchanClientInit } from '../../../../src/qrexec/vchan/client-init.js';
import { FrameRange } from '../../../../src/qrexec/vchan/frame-allocator.js';
import { chooseOrders, ordersValid } from '../../../../src/qrexec/vchan/ring-orders.js';
import { libxenvchanServerInit } from '../../../../src/qrexec/vchan/server-init.js';
import { VCHAN_IFACE, VCHAN_NOTIFY_WRITE } from '../../../../src/qrexec/vchan/vchan-interface.js';
import { RAM_BASE } from '../../../../src/vcpu/memory-layout.js';
import { GRANT_MAP_WINDOW_BASE } from '../../../../src/grant-tables/grant-domain.js';
import { GTF } from '../../../../src/grant-tables/grant-flags.js';
import { ECS } from '../../../../src/event-channels/port-state.js';
import { FRAMES_BASE, TABLE_FRAMES, world } from './support.js';

const PATH = '/local/domain/1/data/vchan/2/512';
const u8 = (w: ReturnType<typeof world>, gpa: number): number => w.doms.get(1)!.memory!.load(gpa, 1);
const u16 = (w: ReturnType<typeof world>, gpa: number): number => w.doms.get(1)!.memory!.load(gpa, 2);
const u32 = (w: ReturnType<typeof world>, gpa: number): number => w.doms.get(1)!.memory!.load(gpa, 4);
const entryFlags = (w: ReturnType<typeof world>, ref: number): number => w.doms.get(1)!.memory!.load(TABLE_FRAMES[0]! + ref * 8, 2);

describe('ring orders', () => {
  it('prefers the two in-page rings, then one in the page, then frames (libxenvchan_server_init)', () => {
    expect(chooseOrders(0, 0)).toEqual({ left: 10, right: 11 });
    expect(chooseOrders(1024, 2048)).toEqual({ left: 10, right: 11 });
    expect(chooseOrders(2048, 1024)).toEqual({ left: 11, right: 10 });
    expect(chooseOrders(2048, 2048)).toEqual({ left: 11, right: 12 });
    expect(chooseOrders(65536, 1000)).toEqual({ left: 16, right: 11 });
    expect(chooseOrders(65536, 65536)).toEqual({ left: 16, right: 16 });
    expect(chooseOrders(65537, 4097)).toEqual({ left: 17, right: 13 });
    expect(chooseOrders(1 << 20, 1 << 20)).toEqual({ left: 20, right: 20 });
    expect(chooseOrders((1 << 20) + 1, 0)).toBeUndefined();
    expect(chooseOrders(-1, 0)).toBeUndefined();
  });

  it('lets a client accept 10 … 20, never the same in-page order twice, never a grant list over a ring', () => {
    expect(ordersValid({ left: 10, right: 11 })).toBe(true);
    expect(ordersValid({ left: 20, right: 20 })).toBe(true);
    expect(ordersValid({ left: 11, right: 20 })).toBe(true);
    expect(ordersValid({ left: 10, right: 10 })).toBe(false);
    expect(ordersValid({ left: 11, right: 11 })).toBe(false);
    expect(ordersValid({ left: 9, right: 12 })).toBe(false);
    expect(ordersValid({ left: 12, right: 21 })).toBe(false);
    expect(ordersValid({ left: 10, right: 20 })).toBe(false);
  });
});

describe('server setup', () => {
  it('fills struct vchan_interface at the control frame: orders, live bytes, notify, grants', () => {
    const w = world();
    const s = w.server(1, 2, 512, 8192, 16384);
    const ctrl = s.share!.ctrl.gpa;
    expect(ctrl).toBe(FRAMES_BASE);
    expect(s.orders).toEqual({ left: 13, right: 14 });
    expect([u32(w, ctrl), u32(w, ctrl + 4), u32(w, ctrl + 8), u32(w, ctrl + 12)]).toEqual([0, 0, 0, 0]);
    expect([u16(w, ctrl + 16), u16(w, ctrl + 18)]).toEqual([13, 14]);
    expect([u8(w, ctrl + 20), u8(w, ctrl + 21), u8(w, ctrl + 22), u8(w, ctrl + 23)]).toEqual([2, 1, VCHAN_NOTIFY_WRITE, 0]);
    const refs = [...s.share!.left!.refs, ...s.share!.right!.refs];
    expect(refs).toHaveLength(2 + 4);
    expect(refs.map((_, i) => u32(w, ctrl + VCHAN_IFACE.GRANTS + 4 * i))).toEqual(refs);
    expect(s.share!.left!.gpa).toBe(ctrl + 0x1000);
    expect(s.share!.right!.gpa).toBe(ctrl + 0x3000);
    for (const ref of [s.share!.ctrl.refs[0]!, ...refs]) expect(entryFlags(w, ref)).toBe(GTF.permit_access);
    expect(s.state()).toBe('waiting');
    expect(s.isOpen()).toBe(true);
  });

  it('publishes ring-ref and event-channel under data/vchan/<client>/<port>, readable by the peer only', () => {
    const w = world(3);
    const s = w.server(1, 2, 512, 0, 0);
    const xs = w.host.xenstore;
    expect(xs.read(1, `${PATH}/ring-ref`)).toEqual({ ok: true, value: String(s.share!.ctrl.refs[0]) });
    expect(xs.read(2, `${PATH}/event-channel`)).toEqual({ ok: true, value: String(s.port) });
    expect(xs.getPerms(1, `${PATH}/ring-ref`)).toEqual({ ok: true, value: ['n1', 'r2'] });
    expect(xs.read(3, `${PATH}/ring-ref`)).toEqual({ ok: false, error: 'EACCES' });
    expect(xs.write(2, `${PATH}/ring-ref`, '9')).toEqual({ ok: false, error: 'EACCES' });
    expect(w.host.evtchn.table(1)!.state[s.port]).toBe(ECS.UNBOUND);
    expect(w.host.evtchn.table(1)!.remoteDom[s.port]).toBe(2);
  });

  it('places rings of order 10 and 11 inside the control page and grants no ring frames', () => {
    const w = world();
    const s = w.server(1, 2, 512, 1000, 2000);
    expect(s.orders).toEqual({ left: 10, right: 11 });
    expect(s.share!.left).toBeNull();
    expect(s.share!.right).toBeNull();
    const c = w.client(2, 1, 512);
    c.write(new Uint8Array([7, 8, 9]));
    expect(u8(w, s.share!.ctrl.gpa + 1024)).toBe(7);
    s.write(new Uint8Array([5]));
    expect(u8(w, s.share!.ctrl.gpa + 2048)).toBe(5);
    expect(w.frames.get(1)!.inUse()).toBe(1);
  });

  it('refuses sizes above 1 MiB, a server without RAM, no frames, no grant refs, and a full transaction quota', () => {
    const w = world();
    const init = (domid: number, leftMin: number, frames = w.frames.get(1)!) =>
      libxenvchanServerInit(w.host, { domid, peer: 2, port: 512, leftMin, rightMin: 0, frames });
    expect(init(1, (1 << 20) + 1)).toMatchObject({ ok: false, error: { code: 'EINVAL', step: 'sizes' } });
    expect(init(0, 0)).toMatchObject({ ok: false, error: { code: 'EINVAL', step: 'frames' } });
    expect(init(1, 1 << 20, new FrameRange(FRAMES_BASE, 100))).toMatchObject({ ok: false, error: { code: 'ENOMEM', step: 'frames' } });
    const w2 = world();
    for (let ref = 8; ref < 1020; ref++) w2.host.grants.grantAccess(1, ref, 3, RAM_BASE, true);
    const r = libxenvchanServerInit(w2.host, { domid: 1, peer: 2, port: 512, leftMin: 65536, rightMin: 0, frames: w2.frames.get(1)! });
    expect(r).toMatchObject({ ok: false, error: { code: 'ENOSPC', step: 'grant' } });
    expect(w2.frames.get(1)!.inUse()).toBe(0);
    expect(w2.host.grants.freeRef(1)).toBe(1020);
    for (let i = 0; i < 10; i++) expect(w.host.xenstore.transactionStart(1).ok).toBe(true);
    expect(init(1, 0)).toMatchObject({ ok: false, error: { code: 'ENOSPC', step: 'xenstore' } });
    expect(w.frames.get(1)!.inUse()).toBe(0);
    expect(w.host.evtchn.list(1).filter((p) => p.state !== 'reserved')).toEqual([]);
  });
});

describe('client setup', () => {
  it('binds, maps the control page and the rings (its read ring read-only), marks itself live and wakes the server', () => {
    const w = world();
    const s = w.server(1, 2, 512, 4096, 8192);
    const c = w.client(2, 1, 512);
    const ctrl = s.share!.ctrl.gpa;
    expect(u8(w, ctrl + 20)).toBe(1);
    expect(u8(w, ctrl + 23)).toBe(VCHAN_NOTIFY_WRITE);
    expect(s.state()).toBe('connected');
    expect(c.state()).toBe('connected');
    expect(w.host.evtchn.table(2)!.state[c.port]).toBe(ECS.INTERDOMAIN);
    expect(w.events).toContain(`1:${s.port}`);
    const m = c.mapping!;
    expect(m.ctrl.hostAddr).toBe(GRANT_MAP_WINDOW_BASE);
    expect(m.left).toMatchObject({ readonly: false, handles: [1] });
    expect(m.right).toMatchObject({ readonly: true, handles: [2, 3] });
    const rightRef = s.share!.right!.refs[0]!;
    expect(entryFlags(w, rightRef)).toBe(GTF.permit_access | GTF.reading);
    expect(entryFlags(w, s.share!.left!.refs[0]!)).toBe(GTF.permit_access | GTF.reading | GTF.writing);
    // The client's guest code sees the same frames through its window; the read ring faults on a store.
    const mem2 = w.doms.get(2)!.memory!;
    s.write(new Uint8Array([0xab]));
    expect(mem2.load(m.right!.hostAddr, 1)).toBe(0xab);
    expect(mem2.store(m.right!.hostAddr, 1, 1)).not.toBe(0);
  });

  it('works for a client without a window (dom0\'s host code) through the host-side mappings', () => {
    const w = world();
    const s = w.server(1, 0, 600, 65536, 65536);
    const c = w.client(0, 1, 600);
    expect(c.write(new Uint8Array([1, 2, 3]))).toBe(3);
    expect(s.read(10)).toEqual(new Uint8Array([1, 2, 3]));
    expect(s.write(new Uint8Array([4]))).toBe(1);
    expect(c.read(10)).toEqual(new Uint8Array([4]));
  });

  it('fails cleanly: no vchan (xenstored says EACCES), a value of 0, orders it cannot accept, another domain\'s vchan', () => {
    const w = world(3);
    const init = (domid = 2, port = 512) => libxenvchanClientInit(w.host, { domid, server: 1, port, slots: w.slots.get(domid)! });
    expect(init()).toMatchObject({ ok: false, error: { code: 'EACCES', step: 'xenstore' } });
    const s = w.server(1, 2, 512, 0, 0);
    expect(init(3)).toMatchObject({ ok: false, error: { code: 'EACCES', step: 'xenstore' } });
    w.host.xenstore.write(1, `${PATH}/ring-ref`, '0');
    expect(init()).toMatchObject({ ok: false, error: { code: 'EINVAL', step: 'xenstore' } });
    w.host.xenstore.write(1, `${PATH}/ring-ref`, String(s.share!.ctrl.refs[0]));
    const mem = w.doms.get(1)!.memory!;
    mem.store(s.share!.ctrl.gpa + VCHAN_IFACE.RIGHT_ORDER, 2, 10);
    expect(init()).toMatchObject({ ok: false, error: { code: 'EPROTO', step: 'orders' } });
    expect(w.slots.get(2)!.inUse()).toBe(0);
    expect(w.host.evtchn.list(2).filter((p) => p.state !== 'reserved')).toEqual([]);
    expect(w.host.evtchn.table(1)!.state[s.port]).toBe(ECS.UNBOUND);
    mem.store(s.share!.ctrl.gpa + VCHAN_IFACE.RIGHT_ORDER, 2, 11);
    expect(init().ok).toBe(true);
  });

  it('refuses a ring frame the server did not grant to it', () => {
    const w = world(3);
    const s = w.server(1, 2, 512, 8192, 8192);
    w.host.grants.grantAccess(1, s.share!.left!.refs[1]!, 3, s.share!.left!.gpa, false);
    const r = libxenvchanClientInit(w.host, { domid: 2, server: 1, port: 512, slots: w.slots.get(2)! });
    expect(r).toMatchObject({ ok: false, error: { code: 'GNTST_general_error', step: 'map_grant_ref' } });
    expect(w.slots.get(2)!.inUse()).toBe(0);
    expect(entryFlags(w, s.share!.ctrl.refs[0]!)).toBe(GTF.permit_access);
  });
});

describe('close', () => {
  it('client close: cli_live 0, everything unmapped, a final event; the server drains then sees the end', () => {
    const w = world();
    const s = w.server(1, 2, 512, 4096, 4096);
    const c = w.client(2, 1, 512);
    w.pump();
    c.write(new Uint8Array([1, 2]));
    c.close();
    expect(u8(w, s.share!.ctrl.gpa + 20)).toBe(0);
    expect(w.slots.get(2)!.inUse()).toBe(0);
    expect(w.host.evtchn.table(2)!.state[c.port]).toBe(ECS.FREE);
    expect(w.host.evtchn.table(1)!.state[s.port]).toBe(ECS.UNBOUND);
    expect(w.events.at(-1)).toBe(`1:${s.port}`);
    expect(s.read(1)).toEqual(new Uint8Array([1]));
    expect(s.read(5)).toEqual(new Uint8Array([2]));
    expect(s.read(5)).toBe('eof');
    expect(s.write(new Uint8Array([1]))).toBe(-1);
    expect(c.read(1)).toBe('eof');
    expect(c.write(new Uint8Array([1]))).toBe(-1);
  });

  it('server close: srv_live 0, XenStore directory gone; grants still mapped wait until reclaim', () => {
    const w = world();
    const s = w.server(1, 2, 512, 4096, 4096);
    const c = w.client(2, 1, 512);
    s.write(new Uint8Array([9]));
    s.close();
    expect(u8(w, s.share!.ctrl.gpa + 21)).toBe(0);
    expect(w.host.xenstore.read(1, PATH)).toEqual({ ok: false, error: 'ENOENT' });
    expect(s.share!.pending).toHaveLength(3);
    expect(w.frames.get(1)!.inUse()).toBe(3);
    expect(c.read(4)).toEqual(new Uint8Array([9]));
    expect(c.read(4)).toBe('eof');
    expect(s.reclaim()).toBe(3);
    c.close();
    expect(s.reclaim()).toBe(0);
    expect(w.frames.get(1)!.inUse()).toBe(0);
    expect(w.host.grants.freeRef(1)).toBe(8);
  });

  it('a server closed after a newer one took its port leaves the newer one\'s XenStore entries alone', () => {
    const w = world();
    const old = w.server(1, 2, 512, 4096, 4096);
    w.client(2, 1, 512).close();
    // the port was freed when the peer was done; a new call reuses it before the old end is closed
    const fresh = w.server(1, 2, 512, 4096, 4096);
    old.close();
    expect(w.host.xenstore.read(1, `${PATH}/ring-ref`)).toEqual({ ok: true, value: String(fresh.share!.ctrl.refs[0]) });
    const c = w.client(2, 1, 512);
    fresh.write(new Uint8Array([7]));
    expect(c.read(1)).toEqual(new Uint8Array([7]));
  });

  it('a server closed before any client connected gives everything back at once', () => {
    const w = world();
    const s = w.server(1, 2, 512, 1 << 20, 1 << 20);
    expect(w.frames.get(1)!.inUse()).toBe(1 + 512);
    s.close();
    expect(w.frames.get(1)!.inUse()).toBe(0);
    expect(s.share!.pending).toEqual([]);
    expect(s.isOpen()).toBe(false);
  });
});
