/**
 * Which suspend files stay (suspend.md, "Which files stay"): a file the user named stays until it is
 * removed; any other goes with the resume of the last VM suspended into it; prune removes every
 * file nobody is suspended into (and, asked to, the files without an index entry).
 */
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
const api = () => request(server.url);
const files = () => readdirSync(join(server.dir, 'snapshots')).sort();
const ids = async () => ((await api().get('/api/v1/snapshots').expect(200)).body.snapshots as { id: string }[]).map((s) => s.id).sort();

beforeAll(async () => {
  server = await startServer({ cpus: 2 });
  for (const name of ['fa', 'fb', 'fc']) {
    await api().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { memory: 8 } }).expect(201);
    await api().post(`/api/v1/vms/${name}/start`).expect(200);
  }
});
afterAll(() => server.close());

describe('suspend files that nobody can resume', () => {
  it('go with the resume when nobody named them; a named one stays; a group file stays until its last member is resumed', async () => {
    const plain = (await api().post('/api/v1/vms/fa/suspend').send({}).expect(200)).body.snapshot;
    expect(files()).toEqual([plain.file]);
    await api().post('/api/v1/vms/fa/resume').send({}).expect(200);
    expect(files()).toEqual([]);
    expect(await ids()).toEqual([]);
    await api().get(`/api/v1/snapshots/${plain.id}`).expect(404);

    const named = (await api().post('/api/v1/vms/fa/suspend').send({ file: 'keep.cella' }).expect(200)).body.snapshot;
    await api().post('/api/v1/vms/fa/resume').send({}).expect(200);
    expect(files()).toEqual(['keep.cella']);
    expect((await api().get(`/api/v1/snapshots/${named.id}`).expect(200)).body.suspended).toEqual([]);

    const group = (await api().post('/api/v1/snapshots').send({ vms: ['fb', 'fc'] }).expect(201)).body;
    await api().post('/api/v1/vms/fb/resume').send({}).expect(200);
    expect((await api().get(`/api/v1/snapshots/${group.id}`).expect(200)).body.suspended).toEqual(['fc']);
    await api().post('/api/v1/vms/fc/resume').send({}).expect(200);
    await api().get(`/api/v1/snapshots/${group.id}`).expect(404);
    expect(files()).toEqual(['keep.cella']);
  });

  it('are removed by prune, which keeps what a VM is suspended into and, unless asked, the orphan files', async () => {
    // a file left by a kill of its VM, one a VM is suspended into, the named one, and an orphan
    const killed = (await api().post('/api/v1/vms/fb/suspend').send({}).expect(200)).body.snapshot;
    await api().post('/api/v1/vms/fb/kill').expect(200);
    const held = (await api().post('/api/v1/vms/fc/suspend').send({}).expect(200)).body.snapshot;
    copyFileSync(join(server.dir, 'snapshots', held.file), join(server.dir, 'snapshots', 'brought.cella'));
    const keep = (await ids()).find((id) => id !== killed.id && id !== held.id)!;

    const cli = await runCli('qvm', ['snapshot', 'prune'], { CELLA_URL: server.url });
    expect(cli.code).toBe(0);
    expect(cli.stdout.split('\n').filter(Boolean).sort()).toEqual([killed.id, keep].sort());
    expect(await ids()).toEqual([held.id]);
    expect(files()).toEqual(['brought.cella', held.file].sort());

    expect((await api().post('/api/v1/snapshots/prune').send({ orphans: true }).expect(200)).body).toEqual({ snapshots: [], orphans: ['brought.cella'] });
    expect(files()).toEqual([held.file]);
    expect((await api().post('/api/v1/vms/fc/resume').send({}).expect(200)).body.state).toBe('running');
    expect(files()).toEqual([]);
  });
});
