import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, committedMigrations } from '../../../src/store/migrate.js';
import { Store, uniqueViolation } from '../../../src/store/store.js';
import { Manager } from '../../../src/vmm/manager.js';
import { createScratchDatabase, TEST_DATABASE_URL, type ScratchDatabase } from '../../helpers/postgres.js';

interface Backend {
  name: string;
  setup(): Promise<string>;
  teardown(): Promise<void>;
}

function sqliteBackend(): Backend {
  let dir = '';
  return {
    name: 'SQLite',
    async setup() {
      dir = mkdtempSync(join(tmpdir(), 'cella-store-'));
      return `file:${join(dir, 'cella.db')}`;
    },
    async teardown() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresBackend(serverUrl: string): Backend {
  let db: ScratchDatabase | undefined;
  return {
    name: 'PostgreSQL',
    async setup() {
      db = await createScratchDatabase(serverUrl);
      return db.url;
    },
    async teardown() {
      await db?.drop();
    },
  };
}

const backends = [sqliteBackend(), ...(TEST_DATABASE_URL ? [postgresBackend(TEST_DATABASE_URL)] : [])];

describe.each(backends)('store on $name', (backend) => {
  let url = '';
  let store: Store;

  beforeAll(async () => {
    url = await backend.setup();
    store = await Store.open(url);
  });
  afterAll(async () => {
    await store?.close();
    await backend.teardown();
  });

  const byName = async (name: string) => (await store.vms.all()).find((v) => v.name === name) ?? null;
  const vm = (name: string, qid: number, extra: Record<string, unknown> = {}) => ({
    uuid: `00000000-0000-4000-8000-${String(qid).padStart(12, '0')}`,
    qid,
    name,
    klass: 'TemplateVM',
    label: 'black',
    ...extra,
  });

  it('applies every committed migration once and records it as Prisma does', async () => {
    const kind = url.startsWith('file:') ? 'sqlite' : 'postgresql';
    expect(await applyMigrations(kind, url)).toEqual([]);
    const rows = await store.database.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string }[]>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(committedMigrations(kind).map((m) => [m.name, m.checksum]));
  });

  it('creates, finds, updates and deletes a VM', async () => {
    await store.vms.create(vm('alpha', 1, { memory: 128 }));
    const found = await byName('alpha');
    expect(found).toMatchObject({ name: 'alpha', qid: 1, memory: 128, maxmem: null, tags: [] });
    const updated = await store.vms.update(found!, { memory: null, label: 'red' });
    expect(updated).toMatchObject({ memory: null, label: 'red' });
    await store.vms.delete(found!.uuid);
    expect(await byName('alpha')).toBeNull();
  });

  it('reports a duplicate name as a unique violation on name', async () => {
    await store.vms.create(vm('dup', 2));
    try {
      const err = await store.vms.create(vm('dup', 3)).catch((e: unknown) => e);
      expect(uniqueViolation(err)).toEqual(['name']);
    } finally {
      await store.vms.delete(vm('dup', 2).uuid);
    }
  });

  it('reports a duplicate qid as a unique violation on qid', async () => {
    await store.vms.create(vm('qa', 5));
    try {
      const err = await store.vms.create({ ...vm('qb', 6), qid: 5 }).catch((e: unknown) => e);
      expect(uniqueViolation(err)).toEqual(['qid']);
    } finally {
      await store.vms.delete(vm('qa', 5).uuid);
    }
  });

  it('returns from create and update the very record a read gives back', async () => {
    const t = await store.vms.create(vm('rt-tpl', 50, { templateForDispvms: null, memory: 96 }));
    const app = await store.vms.create(vm('rt-app', 51, { klass: 'AppVM', templateUuid: t.uuid, autostart: true, onHostStop: 'kill' }));
    const read = async (uuid: string) => (await store.vms.byUuids([uuid]))[0];
    expect(await read(t.uuid)).toEqual(t);
    expect(await read(app.uuid)).toEqual(app);
    const updated = await store.vms.update(app, { autostart: false, memory: 32, defaultDispvmUuid: t.uuid });
    expect(await read(app.uuid)).toEqual(updated);
    expect(updated).toMatchObject({ autostart: false, memory: 32, defaultDispvmUuid: t.uuid, name: 'rt-app' });
    await store.vms.delete(app.uuid);
    await store.vms.delete(t.uuid);
    await expect(store.vms.delete(t.uuid)).rejects.toThrow(/not in the store/);
  });

  it('hands out the lowest free qid, filling gaps', async () => {
    await store.vms.create(vm('q1', 1));
    await store.vms.create(vm('q3', 3));
    expect(await store.vms.lowestFreeQid()).toBe(2);
    await store.vms.create(vm('q2', 2));
    expect(await store.vms.lowestFreeQid()).toBe(4);
    for (const q of [1, 2, 3]) await store.vms.delete(vm('', q).uuid);
  });

  it('keeps tags and features per VM, idempotently', async () => {
    const row = await store.vms.create(vm('tagged', 10));
    expect(await store.vms.addTag(row.uuid, 'x')).toBe(true);
    expect(await store.vms.addTag(row.uuid, 'x')).toBe(false);
    expect((await byName('tagged'))!.tags).toEqual(['x']);
    expect(await store.vms.removeTag(row.uuid, 'x')).toBe(true);
    expect(await store.vms.removeTag(row.uuid, 'x')).toBe(false);
    await store.vms.setFeature(row.uuid, 'gui', '1');
    await store.vms.setFeature(row.uuid, 'gui', '');
    expect(await store.vms.features(row.uuid)).toEqual({ gui: '' });
    expect(await store.vms.deleteFeature(row.uuid, 'gui')).toBe(true);
    expect(await store.vms.feature(row.uuid, 'gui')).toBeNull();
    await store.vms.delete(row.uuid);
  });

  it('refuses at the database level to delete a template in use', async () => {
    const t = await store.vms.create(vm('tpl', 20));
    await store.vms.create(vm('app', 21, { klass: 'AppVM', templateUuid: t.uuid }));
    await expect(store.vms.delete(t.uuid)).rejects.toThrow();
    expect(await byName('tpl')).not.toBeNull();
    await store.vms.delete(vm('', 21).uuid);
    await store.vms.delete(t.uuid);
  });

  it('reads VMs back by uuid with their tags', async () => {
    const a = await store.vms.create(vm('by1', 30));
    await store.vms.create(vm('by2', 31));
    await store.vms.addTag(a.uuid, 'k');
    expect((await store.vms.byUuids([a.uuid])).map((v) => [v.name, v.tags])).toEqual([['by1', ['k']]]);
    await store.vms.delete(a.uuid);
    await store.vms.delete(vm('', 31).uuid);
  });

  it('appends events with increasing ids and reads them back from a cursor', async () => {
    const before = await store.events.lastId();
    const a = await store.events.append('domain-add', null, { vm: 'a' });
    const b = await store.events.append('property-set:memory', 'a', { name: 'memory', newvalue: 1, oldvalue: null });
    expect(b.id).toBeGreaterThan(a.id);
    const page = await store.events.since(before, 10);
    expect(page.map((e) => [e.name, e.subject, e.payload])).toEqual([
      ['domain-add', null, { vm: 'a' }],
      ['property-set:memory', 'a', { name: 'memory', newvalue: 1, oldvalue: null }],
    ]);
    expect(await store.events.lastId()).toBe(b.id);
  });

  it('writes nothing of a transaction that fails', async () => {
    const last = await store.events.lastId();
    await expect(
      store.transaction(async (repos) => {
        await repos.vms.create(vm('ghost', 40));
        await repos.events.append('domain-add', null, { vm: 'ghost' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await byName('ghost')).toBeNull();
    expect(await store.events.lastId()).toBe(last);
  });

  it('runs the manager: dom0 exists, VMs are created with events', async () => {
    const since = await store.events.lastId();
    const manager = await Manager.open(store);
    const dom0 = await manager.execute({ type: 'vm.get', name: 'dom0' });
    expect(dom0).toMatchObject({ qid: 0, class: 'AdminVM', state: 'running' });
    await manager.execute({ type: 'vm.create', name: 'base-tpl', klass: 'TemplateVM', label: 'black', properties: { memory: 32 } });
    const app = await manager.execute({ type: 'vm.create', name: 'mgr-app', klass: 'AppVM', label: 'red', template: 'base-tpl', properties: {} });
    expect(app).toMatchObject({ template: 'base-tpl', memory: 32 });
    const { events } = await manager.execute({ type: 'events.history', since, limit: 1000 });
    expect(events.filter((e) => e.event === 'domain-add').map((e) => e.payload.vm)).toEqual(['base-tpl', 'mgr-app']);
  });
});
