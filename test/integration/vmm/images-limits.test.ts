import { readFileSync } from 'node:fs';
import request from 'supertest';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/server.js';
import { until } from '../../helpers/until.js';

const hello = readFileSync(new URL('../../../guests/images/hello.elf', import.meta.url));
let server: TestServer;
const api = () => request(server.url);


beforeAll(async () => {
  server = await startServer({ manager: { limits: { maxVms: 8, maxRunningVms: 2, maxMemoryMiB: 40 } } });
});
afterAll(() => server.close());

describe('guest images', () => {
  it('lists base and every sample program as images', async () => {
    const images = (await api().get('/api/v1/images').expect(200)).body.images as { name: string; kernel: string; builtin: boolean }[];
    expect(images.map((i) => i.name)).toEqual(expect.arrayContaining(['base', 'hello', 'echo', 'sha256sum', 'cpubench', 'isa-digest', 'idle']));
    const base = (await api().get('/api/v1/images/base').expect(200)).body;
    expect(base).toMatchObject({ kernel: 'idle', builtin: true, services: { 'qubes.GetDate': { builtin: 'qubes.GetDate' } } });
    expect(base.programs.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['hello', 'sha256sum']));
  });

  it('takes an uploaded image with valid ELFs, boots it, and refuses to remove it while in use', async () => {
    const res = await api()
      .post('/api/v1/images')
      .send({ name: 'greeter', kernel: 'hello', programs: { hello: hello.toString('base64') } })
      .expect(201);
    expect(res.body).toMatchObject({ name: 'greeter', kernel: 'hello', builtin: false, programs: [{ name: 'hello', bytes: hello.length }] });
    await api().post('/api/v1/vms').send({ name: 'greet', class: 'StandaloneVM', label: 'red', properties: { kernel: 'greeter', memory: 4 } }).expect(201);
    await api().post('/api/v1/vms/greet/start').expect(200);
    await until(async () => (await api().get('/api/v1/vms/greet')).body.state === 'halted', 'hello to exit');
    expect((await api().get('/api/v1/vms/greet/stats')).body.last_exit).toEqual({ kind: 'shutdown', status: 0 });
    const inUse = await api().delete('/api/v1/images/greeter').expect(409);
    expect(inUse.body).toMatchObject({ code: 'IMAGE_IN_USE', details: { users: ['greet'] } });
    await api().delete('/api/v1/vms/greet').expect(204);
    await api().delete('/api/v1/images/greeter').expect(204);
    expect((await api().get('/api/v1/images/greeter').expect(404)).body.code).toBe('IMAGE_NOT_FOUND');
  });

  it.each([
    ['a truncated ELF', { name: 'bad1', kernel: 'k', programs: { k: hello.subarray(0, 100).toString('base64') } }, 'IMAGE_INVALID'],
    ['not an ELF', { name: 'bad2', kernel: 'k', programs: { k: Buffer.from('#!/bin/sh\n').toString('base64') } }, 'IMAGE_INVALID'],
    ['a kernel that is not a program', { name: 'bad3', kernel: 'nope', programs: { k: hello.toString('base64') } }, 'IMAGE_INVALID'],
    ['a service naming a missing program', { name: 'bad4', kernel: 'k', programs: { k: hello.toString('base64') }, services: { 'my.Svc': { program: 'gone' } } }, 'IMAGE_INVALID'],
    ['a built-in name', { name: 'hello', kernel: 'k', programs: { k: hello.toString('base64') } }, 'IMAGE_EXISTS'],
  ])('refuses %s and keeps nothing', async (_what, body, code) => {
    const res = await api().post('/api/v1/images').send(body);
    expect(res.body.code).toBe(code);
    if (code === 'IMAGE_INVALID') expect((await api().get(`/api/v1/images/${body.name}`)).status).toBe(404);
  });

  it('refuses to remove a built-in image', async () => {
    expect((await api().delete('/api/v1/images/base').expect(409)).body.code).toBe('VM_PROTECTED');
  });

  it('refuses to start a VM whose kernel names no image, and records domain-start-failed', async () => {
    await api().post('/api/v1/vms').send({ name: 'noimg', class: 'StandaloneVM', label: 'red', properties: { kernel: 'nonexistent', memory: 4 } }).expect(201);
    const res = await api().post('/api/v1/vms/noimg/start').expect(404);
    expect(res.body.code).toBe('IMAGE_NOT_FOUND');
    expect((await api().get('/api/v1/vms/noimg')).body.state).toBe('halted');
    await api().delete('/api/v1/vms/noimg').expect(204);
  });
});

describe('limits', () => {
  it('refuses to start beyond the running-VM cap and changes nothing', async () => {
    for (const n of ['l1', 'l2', 'l3']) {
      await api().post('/api/v1/vms').send({ name: n, class: 'StandaloneVM', label: 'red', properties: { memory: 8 } }).expect(201);
    }
    await api().post('/api/v1/vms/l1/start').expect(200);
    await api().post('/api/v1/vms/l2/start').expect(200);
    const before = (await api().get('/api/v1/events')).body.last_id;
    const res = await api().post('/api/v1/vms/l3/start').expect(409);
    expect(res.body.code).toBe('LIMIT_EXCEEDED');
    expect(res.body.detail).toMatch(/CELLA_MAX_RUNNING_VMS/);
    expect((await api().get('/api/v1/vms/l3')).body.state).toBe('halted');
    expect((await api().get('/api/v1/events')).body.last_id).toBe(before);
    await api().post('/api/v1/vms/l2/kill').expect(200);
  });

  it('refuses to start beyond the memory cap', async () => {
    await api().post('/api/v1/vms').send({ name: 'big', class: 'StandaloneVM', label: 'red', properties: { memory: 64 } }).expect(201);
    const res = await api().post('/api/v1/vms/big/start').expect(409);
    expect(res.body).toMatchObject({ code: 'LIMIT_EXCEEDED' });
    expect(res.body.detail).toMatch(/CELLA_MAX_MEMORY_MIB/);
    await api().post('/api/v1/vms/l1/kill').expect(200);
  });

  it('refuses to create beyond the VM cap', async () => {
    const made: string[] = [];
    for (let i = 0; ; i++) {
      const res = await api().post('/api/v1/vms').send({ name: `cap${i}`, class: 'StandaloneVM', label: 'red' });
      if (res.status !== 201) {
        expect(res.body.code).toBe('LIMIT_EXCEEDED');
        break;
      }
      made.push(`cap${i}`);
    }
    expect((await api().get('/api/v1/vms')).body.total).toBe(8);
    for (const n of made) await api().delete(`/api/v1/vms/${n}`).expect(204);
  });
});

describe('console websocket', () => {
  it('sends the tail, follows new output and closes when the VM stops', async () => {
    await api().post('/api/v1/vms').send({ name: 'talker', class: 'StandaloneVM', label: 'red', properties: { memory: 4 } }).expect(201);
    await api().post('/api/v1/vms/talker/start').expect(200);
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/vms/talker/console`);
    const received: string[] = [];
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('message', (d) => received.push(String(d)));
    await new Promise((r) => ws.once('open', r));
    await until(async () => received.join('').includes('idle kernel up'), 'the tail');
    await api().post('/api/v1/vms/talker/shutdown').send({ wait: true }).expect(200);
    expect(await closed).toBe(1000);
    expect(received.join('')).toBe('talker: idle kernel up\nidle: shutting down\n');
  });
});
