/**
 * Security and data-safety defects found by attacking a running manager: a PATCH that asked for
 * nothing, tokens that outlived their VM, policy file names that leave the directory, a delete
 * racing starts, and a memory size create accepted but start could not run.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
const dom0 = () => request(server.url);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

// mgmt may list and start VMs tagged managed, and read their state, but not their properties
const POLICY = `admin.vm.List             *  mgmt  dom0          allow target=dom0
admin.vm.List             *  mgmt  @tag:managed  allow target=dom0
admin.vm.property.Set     *  mgmt  @tag:managed  allow target=dom0
admin.vm.Start            *  mgmt  @tag:managed  allow target=dom0
`;

let token = '';

beforeAll(async () => {
  server = await startServer();
  for (const name of ['b', 'mgmt']) {
    await dom0().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { memory: 8 } }).expect(201);
  }
  await dom0().put('/api/v1/vms/b/tags/managed').expect(204);
  await dom0().put('/api/v1/policy/files/30-user.policy').send({ content: POLICY }).expect(200);
  token = (await dom0().post('/api/v1/tokens').send({ name: 'mgmt-token', vm: 'mgmt' }).expect(201)).body.token;
});
afterAll(() => server.close());

describe('a request that asks for nothing is still authorised', () => {
  it('refuses PATCH {} from a token the policy denies admin.vm.property.GetAll, as GET is refused', async () => {
    const patch = await dom0().patch('/api/v1/vms/b').set(bearer(token)).send({});
    expect(patch.status).toBe(403);
    expect(patch.body).toMatchObject({ code: 'FORBIDDEN', details: { method: 'admin.vm.property.GetAll', dest: 'b' } });
    expect(patch.body).not.toHaveProperty('uuid');
    await dom0().get('/api/v1/vms/b').set(bearer(token)).expect(403);
  });

  it('answers a missing VM and a hidden one alike (no existence oracle)', async () => {
    const missing = await dom0().patch('/api/v1/vms/ghost').set(bearer(token)).send({});
    const hidden = await dom0().patch('/api/v1/vms/dom0').set(bearer(token)).send({});
    expect([missing.status, hidden.status]).toEqual([403, 403]);
    expect(missing.body.code).toBe('FORBIDDEN');
    expect((await dom0().get('/api/v1/vms/ghost').set(bearer(token))).status).toBe(403);
  });

  it('a set the token may make still needs the read its answer is', async () => {
    await dom0().patch('/api/v1/vms/b').set(bearer(token)).send({ vcpus: 1 }).expect(403);
    expect((await dom0().get('/api/v1/vms/b')).body.defaults).toContain('vcpus');
  });

  it('dom0 may still PATCH {} (and it changes nothing)', async () => {
    const before = (await dom0().get('/api/v1/vms/b')).body;
    expect((await dom0().patch('/api/v1/vms/b').send({}).expect(200)).body).toEqual(before);
  });
});

describe('a token ends with its VM', () => {
  it('stops working when its VM is removed, and a new VM of the same name does not inherit it', async () => {
    await dom0().post('/api/v1/vms').send({ name: 'tmp-mgmt', class: 'StandaloneVM', label: 'red' }).expect(201);
    await dom0().put('/api/v1/policy/files/31-tmp.policy').send({ content: 'admin.vm.List * tmp-mgmt dom0 allow target=dom0\n' }).expect(200);
    const secret = (await dom0().post('/api/v1/tokens').send({ name: 'tmp-token', vm: 'tmp-mgmt' }).expect(201)).body.token as string;
    await dom0().get('/api/v1/vms').set(bearer(secret)).expect(200);
    await dom0().delete('/api/v1/vms/tmp-mgmt').expect(204);
    expect((await dom0().get('/api/v1/vms').set(bearer(secret))).status).toBe(401);
    expect((await dom0().get('/api/v1/tokens')).body.tokens.map((t: { name: string }) => t.name)).not.toContain('tmp-token');
    await dom0().post('/api/v1/vms').send({ name: 'tmp-mgmt', class: 'StandaloneVM', label: 'red' }).expect(201);
    expect((await dom0().get('/api/v1/vms').set(bearer(secret))).status).toBe(401);
    // the name is free for a new token bound to the new VM
    await dom0().post('/api/v1/tokens').send({ name: 'tmp-token', vm: 'tmp-mgmt' }).expect(201);
  });
});

describe('policy file names that would leave the directory', () => {
  it.each(['include%2F..', 'include%2F.', 'include%2F...', 'include%2F.hidden', '..policy', '.x.policy'])('refuses PUT %s with 400, storing nothing', async (name) => {
    const before = (await dom0().get('/api/v1/policy/files')).body;
    const res = await dom0().put(`/api/v1/policy/files/${name}`).send({ content: '' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect((await dom0().get('/api/v1/policy/files')).body).toEqual(before);
  });

  it('qvm policy export writes every file into a new directory, and nothing into one that is not empty', async () => {
    const env = { CELLA_URL: server.url };
    const root = mkdtempSync(join(tmpdir(), 'cella-export-'));
    try {
      const fresh = join(root, 'backup');
      expect((await runCli('qvm', ['policy', 'export', fresh], env)).code).toBe(0);
      const names = (await dom0().get('/api/v1/policy/files')).body.files.map((f: { name: string }) => f.name).sort();
      const written = [...readdirSync(fresh).filter((n) => n !== 'include'), ...readdirSync(join(fresh, 'include')).map((n) => `include/${n}`)].sort();
      expect(written).toEqual(names);
      expect(readFileSync(join(fresh, '30-user.policy'), 'utf8')).toBe(POLICY);

      const busy = join(root, 'busy');
      mkdirSync(busy);
      writeFileSync(join(busy, 'keep'), 'x');
      const refused = await runCli('qvm', ['policy', 'export', busy], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/not an empty directory/);
      expect(readdirSync(busy)).toEqual(['keep']);
      expect(readdirSync(root).sort()).toEqual(['backup', 'busy']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('a delete racing starts', () => {
  it('in the manager, a start and a delete issued together never both succeed, and a deleted VM has no domain', async () => {
    const m = server.manager;
    const domains = () => m.monitor.hv.domains().length;
    for (const deleteFirst of [false, true]) {
      for (let round = 0; round < 10; round++) {
        const name = `inproc${deleteFirst ? 'd' : 's'}${round}`;
        await m.execute({ type: 'vm.create', name, klass: 'StandaloneVM', label: 'red', properties: { memory: 8 } });
        const before = domains();
        const [start, del] = deleteFirst
          ? await Promise.allSettled([m.execute({ type: 'vm.delete', name }), m.execute({ type: 'vm.start', name })]).then(([d, st]) => [st, d])
          : await Promise.allSettled([m.execute({ type: 'vm.start', name }), m.execute({ type: 'vm.delete', name })]);
        expect([start.status, del.status]).not.toEqual(['fulfilled', 'fulfilled']);
        if (del.status === 'fulfilled') {
          expect(start).toMatchObject({ status: 'rejected', reason: { code: 'VM_NOT_FOUND' } });
          expect(domains()).toBe(before);
        } else {
          expect(del).toMatchObject({ status: 'rejected', reason: { code: 'INVALID_STATE' } });
          await m.execute({ type: 'vm.kill', name });
          await m.execute({ type: 'vm.delete', name });
        }
      }
    }
  });

  it('never leaves a ghost: when DELETE wins, the queued starts find no VM; no 500 (20 rounds)', async () => {
    for (let round = 0; round < 20; round++) {
      const name = `race${round}`;
      await dom0().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { memory: 8 } }).expect(201);
      await dom0().post(`/api/v1/vms/${name}/start`).expect(200);
      // a kill holds the VM's lock; starts queue behind it while the delete goes for the row
      const results = await Promise.all([
        dom0().post(`/api/v1/vms/${name}/kill`),
        dom0().delete(`/api/v1/vms/${name}`),
        dom0().post(`/api/v1/vms/${name}/start`),
        dom0().post(`/api/v1/vms/${name}/start`),
      ]);
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
      const after = await dom0().get(`/api/v1/vms/${name}`);
      if (statuses[1] === 204) {
        expect(after.status).toBe(404);
        expect(statuses.slice(2).filter((s) => s === 200)).toEqual([]);
      } else {
        // the delete lost to a start: refused, and the VM runs, in the API and in the database
        expect(results[1].body.code).toBe('INVALID_STATE');
        expect(after.body.state).toBe('running');
        await dom0().post(`/api/v1/vms/${name}/kill`).expect(200);
        await dom0().delete(`/api/v1/vms/${name}`).expect(204);
      }
      expect(server.manager.monitor.hv.domains().length).toBeLessThanOrEqual(1);
    }
  });
});

describe('what start cannot run, create refuses', () => {
  it('refuses memory 2048 (RAM must stay below 2 GiB) at create and at PATCH, naming the limit', async () => {
    const create = await dom0().post('/api/v1/vms').send({ name: 'big', class: 'StandaloneVM', label: 'red', properties: { memory: 2048, maxmem: 2048 } });
    expect(create.status).toBe(400);
    expect(create.body.detail).toMatch(/memory: .*<=2047/);
    expect((await dom0().get('/api/v1/vms/big')).status).toBe(404);
    await dom0().patch('/api/v1/vms/b').send({ memory: 2048 }).expect(400);
  });

  it('starts the largest VM it accepts', async () => {
    await dom0().post('/api/v1/vms').send({ name: 'big', class: 'StandaloneVM', label: 'red', properties: { memory: 2047, maxmem: 2047 } }).expect(201);
    expect((await dom0().post('/api/v1/vms/big/start')).status).toBe(200);
    await dom0().post('/api/v1/vms/big/kill').expect(200);
    expect(existsSync(server.dir)).toBe(true);
  });
});
