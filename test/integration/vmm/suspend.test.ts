import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { setTimeout as wait } from 'node:timers/promises';
import request from 'supertest';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VmInstance } from '../../../src/guest-kernel/vm-instance.js';
import { seededFraction } from '../../helpers/seeded.js';
import { watchEnding, type Ending } from '../../helpers/guest-ending.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { loadVm, openVmSnapshot } from '../../../src/vmm/suspend/vm-snapshot.js';

let server: TestServer;
const api = () => request(server.url);

beforeAll(async () => {
  // two CPU workers: the members of a group run on different CPUs
  server = await startServer({ cpus: 2 });
});
afterAll(() => server.close());

/** Every event after `since`, following pages. */
async function eventsAfter(since: number): Promise<{ id: number; event: string; subject: string; payload: Record<string, unknown> }[]> {
  const all = [];
  for (;;) {
    const page = (await api().get(`/api/v1/events?since=${since}&limit=1000`).expect(200)).body;
    all.push(...page.events);
    if (page.events.length < 1000) return all;
    since = page.last_id;
  }
}


async function instanceOf(name: string): Promise<VmInstance> {
  return (await server.manager.lifecycle.instanceOf(name))!;
}

/**
 * Runs the CPU-bound guest in VM `name` from its start, suspending and resuming it `k` times at random
 * instruction counts. The same VM each time: same uuid, seed and domain id, so the same memory.
 */
async function runCpubench(name: string, k: number, seed: number, length = 1): Promise<Ending & { suspendedAt: number[] }> {
  if ((await api().get(`/api/v1/vms/${name}`)).status === 404) {
    await api().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { kernel: 'cpubench', memory: 8 } }).expect(201);
    // long enough that 20 suspend/resume cycles fit: the guest runs on (~30M instructions) while each request is served
    await api().put(`/api/v1/vms/${name}/features/kernel-args`).send({ value: '4000' }).expect(200);
  }
  await api().post(`/api/v1/vms/${name}/start`).expect(200);
  const ending = watchEnding(await instanceOf(name));
  const random = seededFraction(seed);
  const suspendedAt: number[] = [];
  // spread the suspend points over most of the run (`length`: instructions of an uninterrupted run)
  const targets = Array.from({ length: k }, () => Math.floor(random() * 0.9 * length)).sort((a, b) => a - b);
  for (const target of targets) {
    const vm = await instanceOf(name);
    while (ending() === null && vm.instructions() < target) await wait(1);
    if (ending() !== null) break;
    const res = await api().post(`/api/v1/vms/${name}/suspend`).send({}).expect(200);
    suspendedAt.push(vm.instructions());
    expect(res.body.vm.state).toBe('suspended');
    await api().post(`/api/v1/vms/${name}/resume`).send({}).expect(200);
  }
  for (let i = 0; i < 30_000 && ending() === null; i++) await wait(1);
  expect(ending()).not.toBeNull();
  // halted once the lifecycle has taken the ended domain down
  for (let i = 0; i < 1000 && (await api().get(`/api/v1/vms/${name}`)).body.state !== 'halted'; i++) await wait(2);
  return { ...ending()!, suspendedAt };
}

describe('suspend and resume of one VM', () => {
  it('is bit-exact: the CPU-bound guest ends with the same output, registers and memory with 1, 5 and 20 suspends', async () => {
    const reference = await runCpubench('cpu', 0, 1);
    expect(reference.console).toMatch(/cpubench/);
    expect(reference.instructions).toBeGreaterThan(50e6);
    for (const [k, seed] of [[1, 11], [5, 22], [20, 33]] as const) {
      const run = await runCpubench('cpu', k, seed, reference.instructions);
      expect(run.suspendedAt.length).toBe(k);
      expect(new Set(run.suspendedAt).size).toBe(k);
      expect({ console: run.console, registers: run.registers, memory: run.memory, instructions: run.instructions }).toEqual({
        console: reference.console,
        instructions: reference.instructions,
        registers: reference.registers,
        memory: reference.memory,
      });
    }
  }, 120_000);

  it('indexes each snapshot and refuses what the state does not allow', async () => {
    await api().post('/api/v1/vms').send({ name: 'idle1', class: 'StandaloneVM', label: 'red', properties: { memory: 16 } }).expect(201);
    expect((await api().post('/api/v1/vms/idle1/suspend').send({}).expect(409)).body).toMatchObject({ code: 'INVALID_STATE' });
    await api().post('/api/v1/vms/idle1/start').expect(200);
    const s = (await api().post('/api/v1/vms/idle1/suspend').send({ file: 'idle1-manual.cella' }).expect(200)).body.snapshot;
    expect(s).toMatchObject({ file: 'idle1-manual.cella', format_version: 2, vms: [{ name: 'idle1', memory_mib: 16 }] });
    expect(readdirSync(`${server.dir}/snapshots`)).toContain('idle1-manual.cella');
    expect((await api().get(`/api/v1/snapshots/${s.id}`).expect(200)).body.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await api().post('/api/v1/vms/idle1/start').expect(409)).body.detail).toMatch(/suspended/);
    expect((await api().post('/api/v1/vms/idle1/pause').expect(409)).body.code).toBe('INVALID_STATE');
    expect((await api().delete(`/api/v1/snapshots/${s.id}`).expect(409)).body.code).toBe('INVALID_STATE');
    expect((await api().post('/api/v1/vms/idle1/resume').send({ snapshot: 'other' }).expect(409)).body.code).toBe('SNAPSHOT_MISMATCH');
    expect((await api().get('/api/v1/vms/idle1').expect(200)).body.state).toBe('suspended');
    await api().post('/api/v1/vms/idle1/resume').send({}).expect(200);
    expect((await api().post('/api/v1/vms/idle1/resume').send({}).expect(409)).body.code).toBe('INVALID_STATE');
    await api().delete(`/api/v1/snapshots/${s.id}`).expect(204);
    expect(readdirSync(`${server.dir}/snapshots`)).not.toContain('idle1-manual.cella');
    await api().post('/api/v1/vms/idle1/suspend').send({ file: '../escape.cella' }).expect(400);
    await api().post('/api/v1/vms/idle1/kill').expect(200);
  });
});

describe('suspend and resume in the middle of a qrexec call', () => {
  it('a 10 MiB stream from a guest program in a to cella.Echo in b survives suspending b, then a, then both together', async () => {
    for (const name of ['qa', 'qb']) {
      await api().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { memory: 32 } }).expect(201);
    }
    await api().put('/api/v1/policy/files/30-suspend.policy').send({ content: 'cella.Echo * qa qb allow\n' }).expect(200);
    for (const name of ['qa', 'qb']) await api().post(`/api/v1/vms/${name}/start`).expect(200);

    const payload = Buffer.from(new Uint8Array(10 * 1024 * 1024).map((_, i) => (i * 31 + (i >> 11)) & 0xff));
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/vms/qa/qrexec?command=${encodeURIComponent('qrexec-client-vm qb cella.Echo')}`);
    const out: Buffer[] = [];
    let received = 0;
    let end: unknown = null;
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) end = JSON.parse(String(data));
      else if (data[0] === 1) {
        out.push(data.subarray(1));
        received += data.length - 1;
      }
    });
    await new Promise((resolve) => ws.on('open', resolve));

    /** Sends the payload up to `until` bytes, then waits until most of it has come back. */
    let sent = 0;
    const feed = async (until: number) => {
      for (; sent < until; sent += 64 * 1024) ws.send(payload.subarray(sent, Math.min(until, sent + 64 * 1024)));
      while (received < until - 512 * 1024) await wait(2);
    };
    const cycle = async (suspend: () => Promise<void>, resume: () => Promise<void>) => {
      await suspend();
      const before = received;
      await wait(50);
      // nothing comes back while a part of the call is suspended, and no one failed
      expect(received - before).toBeLessThan(256 * 1024);
      expect(end).toBeNull();
      await resume();
    };

    await feed(2.5 * 1024 * 1024);
    await cycle(
      async () => void (await api().post('/api/v1/vms/qb/suspend').send({}).expect(200)),
      async () => void (await api().post('/api/v1/vms/qb/resume').send({}).expect(200)),
    );
    await feed(5 * 1024 * 1024);
    await cycle(
      async () => void (await api().post('/api/v1/vms/qa/suspend').send({}).expect(200)),
      async () => void (await api().post('/api/v1/vms/qa/resume').send({}).expect(200)),
    );
    await feed(7.5 * 1024 * 1024);
    let group = '';
    await cycle(
      async () => void (group = (await api().post('/api/v1/snapshots').send({ vms: ['qa', 'qb'] }).expect(201)).body.id),
      async () => {
        const r = await api().post(`/api/v1/snapshots/${group}/resume`).expect(200);
        expect(r.body.vms.map((v: { state: string }) => v.state)).toEqual(['running', 'running']);
      },
    );
    await feed(payload.length);
    ws.send('EOF');
    expect(await closed).toBe(1000);
    expect(end).toEqual({ exit_code: 0, error: null });
    const back = Buffer.concat(out);
    expect(back.length).toBe(payload.length);
    expect(createHash('sha256').update(back).digest('hex')).toBe(createHash('sha256').update(payload).digest('hex'));
    const calls = (await eventsAfter(0)).filter((e: { event: string }) => e.event === 'qrexec-call');
    expect(calls.find((e: { subject: string }) => e.subject === 'qa')?.payload).toMatchObject({ target: 'qb', exit_code: 0, bytes_in: payload.length, bytes_out: payload.length });
  }, 120_000);
});

describe('a suspend file that is damaged, or cannot be written', () => {
  /** What a refused resume must leave as it was: the VM's record, its domain's tables and its resident memory. */
  async function fingerprint(name: string): Promise<string> {
    const vm = (await api().get(`/api/v1/vms/${name}`).expect(200)).body;
    const channels = (await api().get(`/api/v1/vms/${name}/event-channels`)).body;
    const grants = (await api().get(`/api/v1/vms/${name}/grants`)).body;
    const instance = await instanceOf(name);
    const memory = createHash('sha256').update(instance.pd.memory!.u8).digest('hex');
    return JSON.stringify({ vm, channels, grants, memory, ecs: instance.ecs.map((ec) => ec.vcpu?.pc) });
  }

  it('refuses every sampled byte flip and truncation with SNAPSHOT_INVALID, keeps the VM suspended, then resumes from the whole file', async () => {
    await api().post('/api/v1/vms').send({ name: 'flip', class: 'StandaloneVM', label: 'red', properties: { memory: 16 } }).expect(201);
    await api().post('/api/v1/vms/flip/start').expect(200);
    await wait(20);
    const snap = (await api().post('/api/v1/vms/flip/suspend').send({ file: 'flip.cella' }).expect(200)).body.snapshot;
    const path = `${server.dir}/snapshots/flip.cella`;
    const whole = readFileSync(path);
    expect(whole.length).toBe(snap.bytes);
    const before = await fingerprint('flip');

    const random = seededFraction(8);
    const at = (n: number) => Math.floor(random() * n);
    // every offset of the first and last 96 bytes (magic, version, header length; trailer), and 160 more anywhere
    const flips = [...Array.from({ length: 96 }, (_, i) => i), ...Array.from({ length: 96 }, (_, i) => whole.length - 1 - i), ...Array.from({ length: 160 }, () => at(whole.length))];
    const cuts = [...Array.from({ length: 32 }, (_, i) => i), ...Array.from({ length: 32 }, (_, i) => whole.length - 1 - i), ...Array.from({ length: 64 }, () => at(whole.length))];
    const details = new Set<string>();
    const refuse = async (bytes: Buffer, what: string) => {
      writeFileSync(path, bytes);
      const res = await api().post('/api/v1/vms/flip/resume').send({});
      expect({ what, status: res.status, code: res.body.code }).toEqual({ what, status: 422, code: 'SNAPSHOT_INVALID' });
      expect(res.body.detail).toMatch(/flip\.cella/);
      details.add(String(res.body.detail).replace(/.*flip\.cella:?\s*/, '').replace(/\d+/g, 'N'));
    };
    for (const offset of flips) {
      const bad = Buffer.from(whole);
      bad[offset] ^= 1 + at(255);
      await refuse(bad, `flip at ${offset}`);
    }
    for (const length of cuts) await refuse(whole.subarray(0, length), `cut to ${length}`);
    // the reasons name what is wrong, not one catch-all
    expect(details.size).toBeGreaterThan(3);

    expect(await fingerprint('flip')).toBe(before);
    const failures = (await eventsAfter(0)).filter((e: { event: string; subject: string }) => e.event === 'domain-resume-failed' && e.subject === 'flip');
    expect(failures.length).toBe(flips.length + cuts.length);

    writeFileSync(path, whole);
    expect((await api().post('/api/v1/vms/flip/resume').send({}).expect(200)).body.state).toBe('running');
    const echo = await api().post('/api/v1/vms/flip/qrexec').send({ service: 'cella.Echo', stdin: Buffer.from('whole again').toString('base64') }).expect(200);
    expect([echo.body.exit_code, Buffer.from(echo.body.stdout, 'base64').toString()]).toEqual([0, 'whole again']);
    await api().post('/api/v1/vms/flip/kill').expect(200);
  }, 120_000);

  it('refuses a damaged group file for the whole group: every member stays suspended', async () => {
    for (const name of ['g1', 'g2']) {
      await api().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { memory: 8 } }).expect(201);
      await api().post(`/api/v1/vms/${name}/start`).expect(200);
    }
    const snap = (await api().post('/api/v1/snapshots').send({ vms: ['g1', 'g2'], file: 'pair.cella' }).expect(201)).body;
    const path = `${server.dir}/snapshots/pair.cella`;
    const whole = readFileSync(path);
    const bad = Buffer.from(whole);
    bad[whole.length - 40] ^= 0x5a;
    writeFileSync(path, bad);
    expect((await api().post(`/api/v1/snapshots/${snap.id}/resume`).expect(422)).body.code).toBe('SNAPSHOT_INVALID');
    expect([(await api().get('/api/v1/vms/g1')).body.state, (await api().get('/api/v1/vms/g2')).body.state]).toEqual(['suspended', 'suspended']);
    writeFileSync(path, whole);
    expect((await api().post(`/api/v1/snapshots/${snap.id}/resume`).expect(200)).body.vms.map((v: { state: string }) => v.state)).toEqual(['running', 'running']);
    for (const name of ['g1', 'g2']) await api().post(`/api/v1/vms/${name}/kill`).expect(200);
  });

  it('answers SNAPSHOT_IO when the file cannot be written, and the VM goes on running with nothing left behind', async () => {
    await api().post('/api/v1/vms').send({ name: 'nowrite', class: 'StandaloneVM', label: 'red', properties: { memory: 16 } }).expect(201);
    await api().post('/api/v1/vms/nowrite/start').expect(200);
    // a directory where the file should go: the final rename cannot replace it
    mkdirSync(`${server.dir}/snapshots/blocked.cella`, { recursive: true });
    const res = await api().post('/api/v1/vms/nowrite/suspend').send({ file: 'blocked.cella' });
    expect(res.status).toBe(507);
    expect(res.body).toMatchObject({ code: 'SNAPSHOT_IO' });
    expect(res.body.detail).toMatch(/blocked\.cella/);
    expect((await api().get('/api/v1/vms/nowrite').expect(200)).body.state).toBe('running');
    expect(readdirSync(`${server.dir}/snapshots`).filter((f) => f.startsWith('blocked'))).toEqual(['blocked.cella']);
    expect((await api().get('/api/v1/snapshots').expect(200)).body.snapshots.map((s: { file: string }) => s.file)).not.toContain('blocked.cella');
    const events = (await eventsAfter(0)).filter((e: { subject: string }) => e.subject === 'nowrite').map((e: { event: string }) => e.event);
    expect(events).toContain('domain-suspend-failed');
    // it answers a call: its vCPUs run again
    const echo = await api().post('/api/v1/vms/nowrite/qrexec').send({ service: 'cella.Echo', stdin: Buffer.from('still here').toString('base64') }).expect(200);
    expect([echo.body.exit_code, Buffer.from(echo.body.stdout, 'base64').toString()]).toEqual([0, 'still here']);
    // and it still suspends once the way is clear
    rmdirSync(`${server.dir}/snapshots/blocked.cella`);
    await api().post('/api/v1/vms/nowrite/suspend').send({ file: 'blocked.cella' }).expect(200);
    await api().post('/api/v1/vms/nowrite/kill').expect(200);
  });
});

describe("the domain's Xen-side tables in the file", () => {
  it('holds its ports, its grant table with the entries dom0 maps, its own mappings and its XenStore home, as they were', async () => {
    await api().post('/api/v1/vms').send({ name: 'tables', class: 'StandaloneVM', label: 'red', properties: { memory: 8 } }).expect(201);
    await api().post('/api/v1/vms/tables/start').expect(200);
    const before = {
      ports: (await api().get('/api/v1/vms/tables/event-channels').expect(200)).body,
      grants: (await api().get('/api/v1/vms/tables/grants').expect(200)).body,
    };
    const snap = (await api().post('/api/v1/vms/tables/suspend').send({}).expect(200)).body.snapshot;
    const opened = await openVmSnapshot(`${server.dir}/snapshots/${snap.file}`);
    if (!opened.ok) throw new Error(opened.error.message);
    try {
      const loaded = await loadVm(opened.value, snap.vms[0].uuid);
      if (!loaded.ok) throw new Error(loaded.error.message);
      const d = loaded.value.domain!;
      expect(d.domid).toBe(before.ports.domid);
      // the agent's control vchan: a port bound to dom0, ring frames granted to dom0 and mapped by it
      expect(d.eventChannels!.ports.map((p) => p.port)).toEqual(before.ports.ports.map((p: { port: number }) => p.port).filter((p: number) => p !== 0));
      expect(d.eventChannels!.ports.some((p) => p.remoteDom === 0)).toBe(true);
      expect(d.grantTable!.active.map((a) => [a.ref, a.mapper])).toEqual(before.grants.active.map((a: { ref: number; mapper: number }) => [a.ref, a.mapper]));
      expect(d.grantTable!.active.length).toBeGreaterThan(0);
      expect((d.maptrack?.mappings ?? []).map((m) => m.handle)).toEqual(before.grants.mappings.map((m: { handle: number }) => m.handle));
      const home = `/local/domain/${d.domid}`;
      expect(d.xenstore.nodes.map((n) => n.path)).toContain(home);
      expect(d.xenstore.nodes.every((n) => n.path === home || n.path.startsWith(`${home}/`))).toBe(true);
      expect(d.xenstore.nodes.some((n) => /ring-ref|event-channel/.test(n.path))).toBe(true);
    } finally {
      await opened.value.view.close();
    }
    await api().post('/api/v1/vms/tables/resume').send({}).expect(200);
    await api().post('/api/v1/vms/tables/kill').expect(200);
  });
});

describe('refusals that keep every snapshot whole', () => {
  it('refuses a file another VM is suspended into, or that another suspend is writing, and a group of nobody', async () => {
    for (const name of ['f1', 'f2']) {
      await api().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { memory: 8 } }).expect(201);
      await api().post(`/api/v1/vms/${name}/start`).expect(200);
    }
    const s1 = (await api().post('/api/v1/vms/f1/suspend').send({ file: 'shared.cella' }).expect(200)).body.snapshot;
    const taken = await api().post('/api/v1/vms/f2/suspend').send({ file: 'shared.cella' }).expect(409);
    expect(taken.body.detail).toBe(`snapshot file shared.cella holds snapshot ${s1.id}, which f1 is suspended into; resume first or choose another file`);
    expect(await (async () => (await api().get('/api/v1/vms/f2').expect(200)).body.state)()).toBe('running');
    expect((await api().get(`/api/v1/snapshots/${s1.id}`).expect(200)).body.suspended).toEqual(['f1']);
    await api().post('/api/v1/vms/f1/resume').send({}).expect(200);

    // two suspends into one new file at once: one writes it, the other is refused before it touches its VM
    const [a, b] = await Promise.all([
      api().post('/api/v1/vms/f1/suspend').send({ file: 'race.cella' }),
      api().post('/api/v1/vms/f2/suspend').send({ file: 'race.cella' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [winner, loser] = a.status === 200 ? ['f1', 'f2'] : ['f2', 'f1'];
    expect((await api().get(`/api/v1/vms/${loser}`).expect(200)).body.state).toBe('running');
    await api().post(`/api/v1/vms/${winner}/resume`).send({}).expect(200);

    const running = (await api().get('/api/v1/vms?state=running&limit=1000').expect(200)).body.items.map((v: { name: string }) => v.name).filter((n: string) => n !== 'dom0');
    const nobody = await api().post('/api/v1/snapshots').send({ all: true, exclude: running }).expect(409);
    expect(nobody.body).toMatchObject({ code: 'INVALID_STATE', detail: 'no running or paused VM to suspend' });
    for (const name of ['f1', 'f2']) await api().post(`/api/v1/vms/${name}/kill`).expect(200);
  });

  it('keeps the running-VM cap on resume: a VM suspended to make room cannot come back past it', async () => {
    const capped = await startServer({ cpus: 2, manager: { limits: { maxVms: 10, maxRunningVms: 1, maxMemoryMiB: 1024 } } });
    try {
      const c = () => request(capped.url);
      for (const name of ['x', 'y']) await c().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { memory: 8 } }).expect(201);
      await c().post('/api/v1/vms/x/start').expect(200);
      await c().post('/api/v1/vms/x/suspend').send({}).expect(200);
      await c().post('/api/v1/vms/y/start').expect(200);
      const refused = await c().post('/api/v1/vms/x/resume').send({}).expect(409);
      expect(refused.body.code).toBe('LIMIT_EXCEEDED');
      expect((await c().get('/api/v1/vms/x').expect(200)).body.state).toBe('suspended');
      await c().post('/api/v1/vms/y/kill').expect(200);
      await c().post('/api/v1/vms/x/resume').send({}).expect(200);
    } finally {
      await capped.close();
    }
  });

  it('counts every member of a group resume against the caps, and refuses the group whole', async () => {
    const capped = await startServer({ cpus: 2, manager: { limits: { maxVms: 10, maxRunningVms: 2, maxMemoryMiB: 1024 } } });
    try {
      const c = () => request(capped.url);
      for (const name of ['g1', 'g2', 'g3']) await c().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { memory: 8 } }).expect(201);
      for (const name of ['g1', 'g2']) await c().post(`/api/v1/vms/${name}/start`).expect(200);
      const group = (await c().post('/api/v1/snapshots').send({ vms: ['g1', 'g2'] }).expect(201)).body.id;
      await c().post('/api/v1/vms/g3/start').expect(200);
      // one VM runs, two would come back: three is over the cap of two
      const refused = await c().post(`/api/v1/snapshots/${group}/resume`).expect(409);
      expect(refused.body).toMatchObject({ code: 'LIMIT_EXCEEDED', detail: expect.stringMatching(/being resumed with g2/) });
      for (const name of ['g1', 'g2']) expect((await c().get(`/api/v1/vms/${name}`).expect(200)).body.state).toBe('suspended');
      await c().post('/api/v1/vms/g3/kill').expect(200);
      const resumed = (await c().post(`/api/v1/snapshots/${group}/resume`).expect(200)).body;
      expect(resumed.vms.map((v: { state: string }) => v.state)).toEqual(['running', 'running']);
    } finally {
      await capped.close();
    }
  });
});
