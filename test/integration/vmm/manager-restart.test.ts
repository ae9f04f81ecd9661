import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../../src/store/store.js';
import { Manager } from '../../../src/vmm/manager.js';

const dir = mkdtempSync(join(tmpdir(), 'cella-restart-'));
const url = `file:${join(dir, 'cella.db')}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('manager start and stop', () => {
  it('starts autostart VMs when it opens, and shuts running VMs down on a clean stop', async () => {
    const first = await Manager.open(await Store.open(url));
    await first.execute({ type: 'vm.create', name: 'auto', klass: 'StandaloneVM', label: 'red', properties: { autostart: true, memory: 4 } });
    await first.execute({ type: 'vm.create', name: 'manual', klass: 'StandaloneVM', label: 'red', properties: { memory: 4 } });
    await first.execute({ type: 'vm.start', name: 'manual' });
    const since = await first.execute({ type: 'events.last' });
    await first.close();
    const second = await Manager.open(await Store.open(url));
    const { events } = await second.execute({ type: 'events.history', since, limit: 100 });
    expect(events.filter((e) => e.subject === 'manual').map((e) => e.event)).toEqual(['domain-pre-shutdown', 'domain-stopped', 'domain-shutdown']);
    expect((await second.execute({ type: 'vm.get', name: 'auto' })).state).toBe('running');
    expect((await second.execute({ type: 'vm.get', name: 'manual' })).state).toBe('halted');
    await second.close();
  });

  it('sets VMs it finds recorded as running (after a crash of the manager) to halted', async () => {
    const store = await Store.open(url);
    const vm = (await store.vms.all()).find((v) => v.name === 'manual')!;
    await store.vms.update(vm, { powerState: 'running' });
    const manager = await Manager.open(store, { autostart: false });
    expect((await manager.execute({ type: 'vm.get', name: 'manual' })).state).toBe('halted');
    expect((await manager.execute({ type: 'vm.get', name: 'auto' })).state).toBe('halted');
    await manager.close();
  });
});
