/**
 * VMs whose image programs are linked as for Linux (text at 0x10000, guests/linux), through the
 * real manager: as the kernel, as services and shell commands, next to a kernel linked in RAM;
 * suspended and resumed bit-exact, and resumed after a manager restart in the middle of a call
 * between two of them.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as wait } from 'node:timers/promises';
import request from 'supertest';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PTE } from '../../../src/vcpu/page-table-entry.js';
import type { VmInstance } from '../../../src/guest-kernel/vm-instance.js';
import { watchEnding } from '../../helpers/guest-ending.js';
import { seededFraction } from '../../helpers/seeded.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { until } from '../../helpers/until.js';

const elf = (dir: 'linux' | 'images', name: string): string =>
  readFileSync(new URL(`../../../guests/${dir}/${name}.elf`, import.meta.url)).toString('base64');
const LOW = ['idle', 'echo', 'probe', 'probe-pie', 'qrexec-client-vm', 'cpubench'];
const lowPrograms = Object.fromEntries(LOW.map((n) => [n, elf('linux', n)]));
const services = { 'cella.Echo': { program: 'echo' } };

let server: TestServer;
const api = () => request(server.url);

/** Uploads the images: every program linked at 0x10000; the same with the RAM-linked idle as kernel; cpubench as kernel. */
async function uploadImages(s: TestServer): Promise<void> {
  const c = () => request(s.url);
  await c().post('/api/v1/images').send({ name: 'lowimg', kernel: 'idle', programs: lowPrograms, services }).expect(201);
  await c().post('/api/v1/images').send({ name: 'mixed', kernel: 'idle', programs: { ...lowPrograms, idle: elf('images', 'idle') }, services }).expect(201);
  await c().post('/api/v1/images').send({ name: 'lowcpu', kernel: 'cpubench', programs: { cpubench: elf('linux', 'cpubench') } }).expect(201);
}

async function startVm(c: () => ReturnType<typeof request>, name: string, kernel: string, memory = 32): Promise<void> {
  await c().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { kernel, memory } }).expect(201);
  await c().post(`/api/v1/vms/${name}/start`).expect(200);
}

async function instanceOf(s: TestServer, name: string): Promise<VmInstance> {
  return (await s.manager.lifecycle.instanceOf(name))!;
}

async function qrexec(vm: string, body: Record<string, unknown>) {
  const res = await api().post(`/api/v1/vms/${vm}/qrexec`).send(body).expect(200);
  return { code: res.body.exit_code as number, out: Buffer.from(res.body.stdout, 'base64').toString(), err: Buffer.from(res.body.stderr, 'base64').toString() };
}

const probeOutput = (args: string[], input: string): string =>
  ['probe: linked where Linux links programs', ...args.map((a) => `arg: ${a}`), 'data: initialised', 'bss: zero', 'break: 12 KiB written and read back', ''].join('\n') + input;

beforeAll(async () => {
  server = await startServer();
  await uploadImages(server);
});
afterAll(() => server.close());

describe('a VM whose image programs are linked at 0x10000', () => {
  it.each([
    ['lowimg', 'its kernel too'],
    ['mixed', 'under a kernel linked in RAM'],
  ])('runs them as services and commands (%s: %s), each in its own address space', async (image) => {
    const name = `vm-${image}`;
    await startVm(api, name, image);
    const vm = await instanceOf(server, name);
    // the kernel's address space: a kernel linked at 0x10000 is there, one linked in RAM at its own address
    const kernelAt = image === 'lowimg' ? 0x10000 : 0x8000_0000;
    expect(vm.process.space.offsetOf(kernelAt, PTE.EXEC)).toBeGreaterThanOrEqual(0);
    expect(await qrexec(name, { service: 'cella.Echo', stdin: Buffer.from('through echo at 0x10000').toString('base64') }))
      .toEqual({ code: 0, out: 'through echo at 0x10000', err: '' });
    expect(await qrexec(name, { command: 'probe one two', stdin: Buffer.from('from the call').toString('base64') }))
      .toEqual({ code: 43, out: probeOutput(['one', 'two'], 'from the call'), err: '' });
    expect(await qrexec(name, { command: 'probe-pie', stdin: '' })).toEqual({ code: 41, out: probeOutput([], ''), err: '' });
    expect(await qrexec(name, { command: 'echo made by the shell | probe', stdin: '' })).toMatchObject({ code: 41, out: probeOutput([], 'made by the shell\n') });
    await api().post(`/api/v1/vms/${name}/kill`).expect(200);
  });
});

describe('suspend and resume of a kernel linked at 0x10000', () => {
  it('is bit-exact: cpubench ends with the same output, registers and RAM with and without 5 suspends', async () => {
    const runOnce = async (suspends: number) => {
      await api().post('/api/v1/vms/lowcpu/start').expect(200);
      const vm = await instanceOf(server, 'lowcpu');
      const ending = watchEnding(vm);
      const random = seededFraction(7);
      let done = 0;
      for (let k = 0; k < suspends; k++) {
        // well before its end (over 60 M): a suspend must not race the guest ending
        const target = (k + random()) * 9e6;
        while (ending() === null && vm.instructions() < target) await wait(1);
        if (ending() !== null) break;
        const suspended = await api().post('/api/v1/vms/lowcpu/suspend').send({});
        // the guest may still end while the suspend waits to write: then it is refused, and the VM halts
        if (suspended.status === 409 && ending() !== null) break;
        expect(suspended.body.vm.state).toBe('suspended');
        await api().post('/api/v1/vms/lowcpu/resume').send({}).expect(200);
        done++;
      }
      expect(done).toBe(suspends);
      await until(() => ending() !== null, 'cpubench to end', 60_000);
      await until(async () => (await api().get('/api/v1/vms/lowcpu')).body.state === 'halted', 'lowcpu to halt');
      return ending()!;
    };
    await api().post('/api/v1/vms').send({ name: 'lowcpu', class: 'StandaloneVM', label: 'red', properties: { kernel: 'lowcpu', memory: 8 } }).expect(201);
    await api().put('/api/v1/vms/lowcpu/features/kernel-args').send({ value: '1200' }).expect(200);
    const reference = await runOnce(0);
    expect(reference.console).toMatch(/cpubench reps=1200 checksum=0x/);
    expect(reference.instructions).toBeGreaterThan(240e6);
    expect(await runOnce(5)).toEqual(reference);
  }, 120_000);
});

describe('a manager restart in the middle of a call between two such VMs', () => {
  it('resumes the group from its file: the Linux-linked processes at both ends go on, no byte lost or repeated', async () => {
    const first = await startServer();
    const c1 = () => request(first.url);
    await uploadImages(first);
    for (const name of ['la', 'lb']) await startVm(c1, name, 'lowimg', 16);
    await c1().put('/api/v1/policy/files/30-low.policy').send({ content: 'cella.Echo * la lb allow\n' }).expect(200);
    const run = (url: string, command: string, input: Buffer) =>
      new Promise<unknown>((resolve) => {
        const ws = new WebSocket(`${url.replace('http', 'ws')}/api/v1/vms/la/qrexec?command=${encodeURIComponent(command)}`);
        ws.on('message', (data: Buffer, isBinary) => {
          if (!isBinary) resolve(JSON.parse(String(data)));
        });
        ws.on('open', () => {
          for (let at = 0; at < input.length; at += 64 * 1024) ws.send(input.subarray(at, at + 64 * 1024));
          ws.send('EOF');
        });
        ws.on('close', () => resolve(null));
      });
    const payload = Buffer.from(new Uint8Array(8 * 1024 * 1024).map((_, i) => (i * 131 + (i >> 9)) & 0xff));
    expect(await run(first.url, 'cat > /in', payload)).toEqual({ exit_code: 0, error: null });
    const la = await instanceOf(first, 'la');
    void run(first.url, 'qrexec-client-vm lb cella.Echo < /in > /out', Buffer.alloc(0));
    const echoed = () => (la.agent!.save().own[0]?.data?.side.stdout.bytes ?? 0);
    for (let i = 0; i < 1_000_000 && echoed() < 256 * 1024; i++) await new Promise((resolve) => setImmediate(resolve));
    await first.manager.execute({ type: 'vm.pause', name: 'lb' });
    expect(echoed()).toBeLessThan(payload.length);
    // the processes in flight are the programs linked at 0x10000, in address spaces of their own
    const [client] = [...la.processes.entries()];
    expect(client.name).toBe('qrexec-client-vm');
    expect(client.space.physicalAddress(0x10000)).toBe(0x8000_0000);
    const group = (await c1().post('/api/v1/snapshots').send({ vms: ['la', 'lb'] }).expect(201)).body.id as string;
    await first.close(true);
    const second = await startServer({ dir: first.dir });
    try {
      const c2 = () => request(second.url);
      const exits: number[] = [];
      const record = second.manager.monitor.onGuestCall;
      second.manager.monitor.onGuestCall = (domid, ident, outcome) => {
        exits.push(outcome.exitCode);
        record(domid, ident, outcome);
      };
      await c2().post(`/api/v1/snapshots/${group}/resume`).expect(200);
      const again = await instanceOf(second, 'la');
      const [restored] = [...again.processes.entries()];
      expect(restored.space.physicalAddress(0x10000)).toBe(0x8000_0000);
      await c2().post('/api/v1/vms/lb/unpause').expect(200);
      await until(() => exits.length > 0, 'the call between la and lb to end', 30_000);
      expect(exits).toEqual([0]);
      await until(() => [...again.processes.entries()].length === 0, 'qrexec-client-vm to exit');
      const out = Buffer.from(again.files.get('/out')!);
      expect(out.length).toBe(payload.length);
      expect(createHash('sha256').update(out).digest('hex')).toBe(createHash('sha256').update(payload).digest('hex'));
    } finally {
      await second.close();
    }
  }, 120_000);
});
