/**
 * Group commit (src/vmm/config/config-transaction.ts): writes that arrive together share one
 * database transaction, each with its own outcome and its events in order; a write refused after
 * it used the database undoes its group, whose writes then each run alone, once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../src/store/store.js';
import { CellaError } from '../../../src/vmm/errors.js';
import { Manager } from '../../../src/vmm/manager.js';
import { createScratchDatabase, TEST_DATABASE_URL, type ScratchDatabase } from '../../helpers/postgres.js';

interface Backend {
  name: string;
  url(): Promise<string>;
  drop(): Promise<void>;
}

const sqlite = (): Backend => {
  const dir = mkdtempSync(join(tmpdir(), 'cella-group-'));
  return { name: 'SQLite', url: async () => `file:${join(dir, 'cella.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
};
const postgres = (server: string): Backend => {
  let db: ScratchDatabase | undefined;
  return { name: 'PostgreSQL', url: async () => (db = await createScratchDatabase(server)).url, drop: async () => db?.drop() };
};

describe.each([sqlite(), ...(TEST_DATABASE_URL ? [postgres(TEST_DATABASE_URL)] : [])])('group commit on $name', (backend) => {
  let store: Store;
  let manager: Manager;
  let transactions = 0;

  beforeAll(async () => {
    store = await Store.open(await backend.url());
    const transaction = store.transaction.bind(store);
    store.transaction = (work) => {
      transactions++;
      return transaction(work);
    };
    manager = await Manager.open(store, { autostart: false, snapshotDir: join(tmpdir(), 'cella-group-snapshots') });
    await manager.execute({ type: 'vm.create', name: 'fedora', klass: 'TemplateVM', label: 'black', properties: {} });
  });
  afterAll(async () => {
    await manager?.close();
    await backend.drop();
  });
  beforeEach(() => {
    transactions = 0;
  });

  const create = (name: string) => manager.execute({ type: 'vm.create', name, klass: 'AppVM', label: 'red', template: 'fedora', properties: {} });
  const settle = <T>(p: Promise<T>) => p.then((value) => ({ ok: true as const, value }), (err: unknown) => ({ ok: false as const, err }));
  const addedSince = async (since: number) =>
    (await manager.execute({ type: 'events.history', since, limit: 1000 })).events.filter((e) => e.event === 'domain-add').map((e) => e.payload.vm);

  it('commits writes that arrive together in one transaction, each with its events, in the order they came', async () => {
    const since = await manager.execute({ type: 'events.last' });
    const names = Array.from({ length: 20 }, (_, i) => `g${i}`);
    const views = await Promise.all(names.map(create));
    expect(transactions).toBe(1);
    expect(views.map((v) => v.name)).toEqual(names);
    expect(new Set(views.map((v) => v.qid)).size).toBe(20);
    expect(await addedSince(since)).toEqual(names);
    expect((await manager.execute({ type: 'vm.list', filter: { klass: 'AppVM' }, offset: 0, limit: 100 })).total).toBe(20);
  });

  it('leaves out a write refused before it used the database; the others of its group commit', async () => {
    const since = await manager.execute({ type: 'events.last' });
    const [a, dup, twin, b] = await Promise.all([create('h1'), settle(create('g0')), settle(create('h1')), create('h2')]);
    expect(transactions).toBe(1);
    expect([a.name, b.name]).toEqual(['h1', 'h2']);
    for (const refused of [dup, twin]) {
      expect(refused.ok).toBe(false);
      expect(!refused.ok && refused.err instanceof CellaError && refused.err.code).toBe('VM_EXISTS');
    }
    expect(await addedSince(since)).toEqual(['h1', 'h2']);
  });

  it('undoes a group when a write is refused after it used the database, and runs each write alone, once', async () => {
    const since = await manager.execute({ type: 'events.last' });
    const [x, untag, y] = await Promise.all([create('k1'), settle(manager.execute({ type: 'vm.tag.remove', name: 'g1', tag: 'absent' })), create('k2')]);
    // the group, undone, then each of its three writes alone
    expect(transactions).toBe(4);
    expect([x.name, y.name]).toEqual(['k1', 'k2']);
    expect(!untag.ok && untag.err instanceof CellaError && untag.err.code).toBe('TAG_NOT_FOUND');
    expect(await addedSince(since)).toEqual(['k1', 'k2']);
    const listed = await manager.execute({ type: 'vm.list', filter: {}, offset: 0, limit: 1000 });
    expect(listed.items.filter((v) => v.name.startsWith('k')).map((v) => v.name)).toEqual(['k1', 'k2']);
  });

  it('lets a later write of a group see what an earlier one did', async () => {
    const [tpl, app, removed] = await Promise.all([
      manager.execute({ type: 'vm.create', name: 'tpl2', klass: 'TemplateVM', label: 'black', properties: { memory: 48 } }),
      manager.execute({ type: 'vm.create', name: 'app2', klass: 'AppVM', label: 'red', template: 'tpl2', properties: {} }),
      manager.execute({ type: 'vm.delete', name: 'h2' }).then(() => create('h2')),
    ]);
    expect(transactions).toBeLessThan(4);
    expect(tpl.name).toBe('tpl2');
    expect(app).toMatchObject({ template: 'tpl2', memory: 48 });
    expect(removed.name).toBe('h2');
  });
});
