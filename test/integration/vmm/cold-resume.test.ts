/**
 * Resume after a manager restart: a VM suspended by one manager is resumed by the next one on the
 * same data directory, from its file alone (the first manager's model is gone).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as wait } from 'node:timers/promises';
import request from 'supertest';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import type { VmInstance } from '../../../src/guest-kernel/vm-instance.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { until } from '../../helpers/until.js';
import { expectedConsoles, makePingPong } from '../../helpers/ping-pong.js';
import { watchEnding } from '../../helpers/guest-ending.js';

async function instanceOf(server: TestServer, name: string): Promise<VmInstance> {
  return (await server.manager.lifecycle.instanceOf(name))!;
}

/** Stops `first` (its data directory kept), opens a new manager on the same data, runs `body` with it, then stops it. */
async function afterRestart(first: TestServer, body: (second: TestServer, api: () => ReturnType<typeof request>) => Promise<void>): Promise<void> {
  await first.close(true);
  const second = await startServer({ dir: first.dir, cpus: 2 });
  try {
    await body(second, () => request(second.url));
  } finally {
    await second.close();
  }
}

/** Creates and starts StandaloneVMs `names` of `memory` MiB. */
async function startVms(api: () => ReturnType<typeof request>, names: readonly string[], memory: number): Promise<void> {
  for (const name of names) {
    await api().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { memory } }).expect(201);
    await api().post(`/api/v1/vms/${name}/start`).expect(200);
  }
}

/** The exit codes of the guests' own qrexec calls as they end in `server` (its VM monitor's callback, still passed on). */
function guestCallExits(server: TestServer): number[] {
  const exits: number[] = [];
  const record = server.manager.monitor.onGuestCall;
  server.manager.monitor.onGuestCall = (domid, ident, outcome) => {
    exits.push(outcome.exitCode);
    record(domid, ident, outcome);
  };
  return exits;
}

describe('a manager restart with a VM suspended', () => {
  it('keeps it suspended; the next manager resumes it from the file and the guest ends exactly as an uninterrupted run', async () => {
    const first = await startServer({ cpus: 2 });
    const c1 = () => request(first.url);
    await c1().post('/api/v1/vms').send({ name: 'cpu', class: 'StandaloneVM', label: 'red', properties: { kernel: 'cpubench', memory: 8 } }).expect(201);
    await c1().put('/api/v1/vms/cpu/features/kernel-args').send({ value: '2000' }).expect(200);

    // the reference: one uninterrupted run
    await c1().post('/api/v1/vms/cpu/start').expect(200);
    const reference = watchEnding(await instanceOf(first, 'cpu'));
    await until(() => reference() !== null, 'the reference run to end', 60_000);
    await until(async () => (await c1().get('/api/v1/vms/cpu')).body.state === 'halted', 'cpu to halt');
    expect(reference()!.instructions).toBeGreaterThan(50e6);

    // the same VM again, suspended a third of the way, and the manager stopped
    await c1().post('/api/v1/vms/cpu/start').expect(200);
    const vm = await instanceOf(first, 'cpu');
    const domid = vm.pd.id;
    await until(() => vm.instructions() > reference()!.instructions / 3, 'a third of the run', 60_000);
    const snap = (await c1().post('/api/v1/vms/cpu/suspend').send({}).expect(200)).body.snapshot;
    await afterRestart(first, async (second, c2) => {
      expect((await c2().get('/api/v1/vms/cpu').expect(200)).body.state).toBe('suspended');
      expect((await c2().get(`/api/v1/snapshots/${snap.id}`).expect(200)).body).toMatchObject({ id: snap.id, suspended: ['cpu'] });
      expect(readdirSync(`${second.dir}/snapshots`)).toContain(snap.file);
      // the suspended VM's domain id is kept for it: a VM started meanwhile gets another one
      await c2().post('/api/v1/vms').send({ name: 'other', class: 'StandaloneVM', label: 'red', properties: { memory: 8 } }).expect(201);
      await c2().post('/api/v1/vms/other/start').expect(200);
      expect((await instanceOf(second, 'other')).pd.id).not.toBe(domid);

      const resumed = (await c2().post('/api/v1/vms/cpu/resume').send({}).expect(200)).body;
      expect(resumed.state).toBe('running');
      const again = await instanceOf(second, 'cpu');
      expect(again.pd.id).toBe(domid);
      const ending = watchEnding(again);
      await until(() => ending() !== null, 'the resumed run to end', 60_000);
      expect(ending()).toEqual(reference());
      const events = (await c2().get('/api/v1/events?since=0&limit=1000').expect(200)).body.events as { event: string; subject: string; payload: Record<string, unknown> }[];
      expect(events.filter((e) => e.subject === 'cpu').map((e) => e.event)).toContain('domain-resumed');
    });
  }, 180_000);

  it('ends the calls that were in flight (the caller hears 125), serves new calls, and a kill frees its domain id', async () => {
    const first = await startServer({ cpus: 2 });
    const c1 = () => request(first.url);
    await startVms(c1, ['qa', 'qb'], 16);
    await c1().put('/api/v1/policy/files/30-cold.policy').send({ content: 'cella.Echo * qa qb allow\n' }).expect(200);
    // a guest program in qa streams to cella.Echo in qb; qa is suspended in the middle of it
    const ws = new WebSocket(`${first.url.replace('http', 'ws')}/api/v1/vms/qa/qrexec?command=${encodeURIComponent('qrexec-client-vm qb cella.Echo')}`);
    let received = 0;
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary && data[0] === 1) received += data.length - 1;
    });
    await new Promise((resolve) => ws.on('open', resolve));
    for (let i = 0; i < 4; i++) ws.send(Buffer.alloc(64 * 1024, 7));
    await until(() => received >= 128 * 1024, 'echoed bytes');
    const qa = await instanceOf(first, 'qa');
    expect(qa.agent!.calling).toBe(1);
    const domid = qa.pd.id;
    await c1().post('/api/v1/vms/qa/suspend').send({}).expect(200);
    ws.terminate();
    await afterRestart(first, async (second, c2) => {
      const guestCalls = guestCallExits(second);
      await c2().post('/api/v1/vms/qa/resume').send({}).expect(200);
      expect(guestCalls).toEqual([125]);
      const again = await instanceOf(second, 'qa');
      expect(again.pd.id).toBe(domid);
      // qrexec-client-vm's call ended with 125 and the program exited; nothing of the old calls is left
      expect(again.agent!.calling).toBe(0);
      expect(again.agent!.active).toBe(0);
      await until(() => [...again.processes.entries()].length === 0, 'the processes of the old call to end');
      const call = (await c2().post('/api/v1/vms/qa/qrexec').send({ command: 'echo after the restart' }).expect(200)).body;
      expect(call).toMatchObject({ exit_code: 0 });
      expect(Buffer.from(call.stdout, 'base64').toString()).toBe('after the restart\n');
      // suspended and resumed again within this manager, then killed: its domain id is free again
      await c2().post('/api/v1/vms/qa/suspend').send({}).expect(200);
      await c2().post('/api/v1/vms/qa/resume').send({}).expect(200);
      await c2().post('/api/v1/vms/qa/suspend').send({}).expect(200);
      await c2().post('/api/v1/vms/qa/kill').expect(200);
      expect((await c2().get('/api/v1/vms/qa').expect(200)).body.state).toBe('halted');
      expect(second.manager.monitor.freeDomid()).toBe(1);
    });
  }, 60_000);

  it('resumes a group from its one file with the channel and the grant between its members: the ping-pong demo ends with both checksums right', async () => {
    const rounds = 100_000;
    const first = await startServer({ cpus: 2 });
    const c1 = () => request(first.url);
    await makePingPong(c1, 'ping', 'pong', rounds);
    await c1().post('/api/v1/vms/pong/start').expect(200);
    await c1().post('/api/v1/vms/ping/start').expect(200);
    const pingVm = await instanceOf(first, 'ping');
    // in the middle of the exchange: the page is mapped and events go back and forth
    await until(() => pingVm.instructions() > 5_000_000, 'the exchange to be under way', 20_000);
    const group = (await c1().post('/api/v1/snapshots').send({ vms: ['ping', 'pong'] }).expect(201)).body.id as string;
    await afterRestart(first, async (second, c2) => {
      const resumed = (await c2().post(`/api/v1/snapshots/${group}/resume`).expect(200)).body;
      expect(resumed.vms.map((v: { name: string; state: string }) => [v.name, v.state])).toEqual([['ping', 'running'], ['pong', 'running']]);
      const halted = async (n: string) => (await c2().get(`/api/v1/vms/${n}`)).body.state === 'halted';
      await until(async () => (await halted('ping')) && (await halted('pong')), 'both guests to finish', 30_000);
      const want = expectedConsoles(rounds);
      expect((await c2().get('/api/v1/vms/ping/console')).body.data).toBe(want.ping);
      expect((await c2().get('/api/v1/vms/pong/console')).body.data).toBe(want.pong);
    });
  }, 90_000);

  it('carries on a qrexec call between members of a group resumed after a restart: no byte lost or repeated', async () => {
    const first = await startServer({ cpus: 2 });
    const c1 = () => request(first.url);
    await startVms(c1, ['ga', 'gb'], 16);
    await c1().put('/api/v1/policy/files/30-group.policy').send({ content: 'cella.Echo * ga gb allow\n' }).expect(200);
    /** Runs `command` in ga through a websocket call from dom0, feeding `input`; resolves with its exit. */
    const run = (url: string, command: string, input: Buffer) =>
      new Promise<unknown>((resolve) => {
        const ws = new WebSocket(`${url.replace('http', 'ws')}/api/v1/vms/ga/qrexec?command=${encodeURIComponent(command)}`);
        ws.on('message', (data: Buffer, isBinary) => {
          if (!isBinary) resolve(JSON.parse(String(data)));
        });
        ws.on('open', () => {
          for (let at = 0; at < input.length; at += 64 * 1024) ws.send(input.subarray(at, at + 64 * 1024));
          ws.send('EOF');
        });
        ws.on('close', () => resolve(null));
      });
    // the call between the two reads and writes ga's own files: nothing of it goes through dom0
    const payload = Buffer.from(new Uint8Array(16 * 1024 * 1024).map((_, i) => (i * 131 + (i >> 9)) & 0xff));
    expect(await run(first.url, 'cat > /in', payload)).toEqual({ exit_code: 0, error: null });
    const ga = await instanceOf(first, 'ga');
    void run(first.url, 'qrexec-client-vm gb cella.Echo < /in > /out', Buffer.alloc(0));
    /** Bytes the call in ga has got back so far (its caller's side, as a suspend would save it). */
    const echoed = () => (ga.agent!.save().own[0]?.data?.side.stdout.bytes ?? 0);
    // once some of it has come back, gb is paused (its service stops where it is), then both are suspended
    for (let i = 0; i < 1_000_000 && echoed() < 256 * 1024; i++) await new Promise((resolve) => setImmediate(resolve));
    await first.manager.execute({ type: 'vm.pause', name: 'gb' });
    const at = echoed();
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(payload.length);
    expect(ga.agent!.calling).toBe(1);
    const group = (await c1().post('/api/v1/snapshots').send({ vms: ['ga', 'gb'] }).expect(201)).body.id as string;
    await afterRestart(first, async (second, c2) => {
      const guestCalls = guestCallExits(second);
      const kept: string[] = [];
      const keep = second.manager.monitor.onKeptDataPort;
      second.manager.monitor.onKeptDataPort = (server, client, port) => {
        kept.push(`${server}:${client}:${port}`);
        keep(server, client, port);
      };
      const resumed = (await c2().post(`/api/v1/snapshots/${group}/resume`).expect(200)).body;
      // the call's data port stays taken in dom0's table (named by both ends)
      const [gaDom, gbDom] = [(await instanceOf(second, 'ga')).pd.id, (await instanceOf(second, 'gb')).pd.id];
      expect(new Set(kept)).toEqual(new Set([expect.stringMatching(new RegExp(`^${gaDom}:${gbDom}:5\\d\\d$`))]));
      expect(resumed.vms.map((v: { name: string; state: string }) => [v.name, v.state])).toEqual([['ga', 'running'], ['gb', 'paused']]);
      await c2().post('/api/v1/vms/gb/unpause').expect(200);
      const gaAgain = await instanceOf(second, 'ga');
      await until(() => guestCalls.length > 0, 'the call between ga and gb to end', 30_000);
      expect(guestCalls).toEqual([0]);
      await until(() => [...gaAgain.processes.entries()].length === 0, 'qrexec-client-vm to exit');
      const out = Buffer.from(gaAgain.files.get('/out')!);
      expect(out.length).toBe(payload.length);
      expect(createHash('sha256').update(out).digest('hex')).toBe(createHash('sha256').update(payload).digest('hex'));
      // and a new call between them gets a port of its own
      expect(await run(second.url, 'qrexec-client-vm gb cella.Echo < /in > /again', Buffer.alloc(0))).toEqual({ exit_code: 0, error: null });
      expect(Buffer.from(gaAgain.files.get('/again')!).equals(payload)).toBe(true);
    });
  }, 90_000);

  it('resumes a VM that was paused when suspended paused again, in the same manager and after a restart', async () => {
    const first = await startServer({ cpus: 2 });
    const c1 = () => request(first.url);
    await c1().post('/api/v1/vms').send({ name: 'spin', class: 'StandaloneVM', label: 'red', properties: { kernel: 'cpubench', memory: 8 } }).expect(201);
    await c1().put('/api/v1/vms/spin/features/kernel-args').send({ value: '100000' }).expect(200);
    await c1().post('/api/v1/vms/spin/start').expect(200);
    await c1().post('/api/v1/vms/spin/pause').expect(200);
    const frozen = async (server: TestServer) => {
      const vm = await instanceOf(server, 'spin');
      const before = vm.instructions();
      await new Promise((resolve) => setTimeout(resolve, 100));
      return vm.instructions() === before;
    };
    await c1().post('/api/v1/vms/spin/suspend').send({}).expect(200);
    expect((await c1().post('/api/v1/vms/spin/resume').send({}).expect(200)).body.state).toBe('paused');
    expect(await frozen(first)).toBe(true);
    await c1().post('/api/v1/vms/spin/suspend').send({}).expect(200);
    await afterRestart(first, async (second, c2) => {
      expect((await c2().post('/api/v1/vms/spin/resume').send({}).expect(200)).body.state).toBe('paused');
      expect(await frozen(second)).toBe(true);
      const events = (await c2().get('/api/v1/events?since=0&limit=1000').expect(200)).body.events as { event: string; subject: string; payload: Record<string, unknown> }[];
      expect(events.filter((e) => e.subject === 'spin').slice(-2).map((e) => [e.event, e.payload.state])).toEqual([['domain-resumed', 'paused'], ['domain-paused', undefined]]);
      await c2().post('/api/v1/vms/spin/unpause').expect(200);
      expect(await frozen(second)).toBe(false);
      await c2().post('/api/v1/vms/spin/kill').expect(200);
    });
  }, 60_000);

  it('brings a vCPU blocked waiting for events back blocked: it retires nothing until an event comes', async () => {
    const first = await startServer({ cpus: 2 });
    const c1 = () => request(first.url);
    await c1().post('/api/v1/vms').send({ name: 'idle', class: 'StandaloneVM', label: 'red', properties: { memory: 8, vcpus: 1 } }).expect(201);
    await c1().post('/api/v1/vms/idle/start').expect(200);
    const vm = await instanceOf(first, 'idle');
    await until(() => vm.ecs[0].state === 'blocked', 'the kernel to block');
    const retired = vm.instructions();
    const exits = { ...vm.exitsByReason };
    await c1().post('/api/v1/vms/idle/suspend').send({}).expect(200);
    await afterRestart(first, async (second, c2) => {
      await c2().post('/api/v1/vms/idle/resume').send({}).expect(200);
      const again = await instanceOf(second, 'idle');
      expect(again.ecs[0].state).toBe('blocked');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(again.instructions()).toBe(retired);
      // not one exit: the blocking call was not run again
      expect(again.exitsByReason).toEqual(exits);
      // and it wakes for work: a call runs
      expect((await c2().post('/api/v1/vms/idle/qrexec').send({ command: 'echo awake' }).expect(200)).body.exit_code).toBe(0);
      expect(again.instructions()).toBeGreaterThan(retired);
    });
  }, 60_000);

  it('keeps a VM suspended when its file is gone or damaged, and says why', async () => {
    const first = await startServer({ cpus: 2 });
    const c1 = () => request(first.url);
    await c1().post('/api/v1/vms').send({ name: 'gone', class: 'StandaloneVM', label: 'red', properties: { memory: 8 } }).expect(201);
    await c1().post('/api/v1/vms/gone/start').expect(200);
    const snap = (await c1().post('/api/v1/vms/gone/suspend').send({}).expect(200)).body.snapshot;
    const path = `${first.dir}/snapshots/${snap.file}`;
    const whole = readFileSync(path);
    const damaged = Buffer.from(whole);
    damaged[damaged.length >> 1] ^= 0x40;
    writeFileSync(path, damaged);

    await afterRestart(first, async (second, c2) => {
      expect((await c2().post('/api/v1/vms/gone/resume').send({}).expect(422)).body).toMatchObject({ code: 'SNAPSHOT_INVALID', detail: expect.stringContaining(snap.file) });
      expect((await c2().get('/api/v1/vms/gone').expect(200)).body.state).toBe('suspended');
      expect(second.manager.monitor.freeDomid()).not.toBe(snap.vms[0].domid);
      rmSync(path);
      expect((await c2().post('/api/v1/vms/gone/resume').send({}).expect(404)).body).toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
      expect((await c2().get('/api/v1/vms/gone').expect(200)).body.state).toBe('suspended');
      await c2().post('/api/v1/vms/gone/kill').expect(200);
      expect((await c2().get('/api/v1/vms/gone').expect(200)).body.state).toBe('halted');
      await c2().post('/api/v1/vms/gone/start').expect(200);
    });
  }, 60_000);
});
