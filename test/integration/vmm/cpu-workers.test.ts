/**
 * vCPUs on CPU worker threads (issue 15): a manager with two CPU workers, whatever CELLA_TEST_CPUS
 * says, driven through its real HTTP API with real guests.
 */
import { setTimeout as wait } from 'node:timers/promises';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_INSTRUCTIONS } from '../../../src/hypervisor/scheduler.js';
import { runCli } from '../../helpers/cli.js';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
const api = () => request(server.url);

interface HostView {
  mode: string;
  cpus: { cpu: number; worker_instructions: number; main_instructions: number; vcpus: { vm: string }[] }[];
  vms: { name: string; cpu: number; host_cpu_ms: number; cpu_percent: number }[];
}

const host = async (): Promise<HostView> => (await api().get('/api/v1/host').expect(200)).body;
const instructions = async (name: string): Promise<number> => (await api().get(`/api/v1/vms/${name}/stats`).expect(200)).body.instructions;
const stateOf = async (name: string): Promise<string> => (await api().get(`/api/v1/vms/${name}`).expect(200)).body.state;

async function until(what: string, ok: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await wait(20);
  }
}

beforeAll(async () => {
  server = await startServer({ manager: { cpus: 2 } });
  for (const name of ['spin-a', 'spin-b']) {
    await api().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { kernel: 'spin', memory: 4, vcpus: 1 } }).expect(201);
  }
});
afterAll(() => server.close());

describe('CPU workers', () => {
  it('places two CPU-bound VMs on different CPUs, runs them on the workers, not on the main thread, and the API keeps answering', async () => {
    await api().post('/api/v1/vms/spin-a/start').expect(200);
    await api().post('/api/v1/vms/spin-b/start').expect(200);
    const placed = await host();
    expect(placed.mode).toBe('workers');
    expect(placed.cpus).toHaveLength(2);
    const cpuOf = (name: string) => placed.vms.find((v) => v.name === name)!.cpu;
    expect(new Set([cpuOf('spin-a'), cpuOf('spin-b')])).toEqual(new Set([0, 1]));
    expect(placed.cpus.map((c) => c.vcpus.map((v) => v.vm))).toEqual([['spin-a'], ['spin-b']].sort((x, y) => cpuOf(x[0]) - cpuOf(y[0])));

    await until('both VMs past 20M instructions', async () => (await instructions('spin-a')) > 20_000_000 && (await instructions('spin-b')) > 20_000_000);
    const slowest: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await api().get('/healthz').expect(200);
      slowest.push(performance.now() - t0);
    }
    // a loose bound (figures are bench:smp's): the event loop runs no guest code, so nothing holds a request back for long
    expect(Math.max(...slowest)).toBeLessThan(1000);

    const view = await host();
    for (const c of view.cpus) {
      expect(c.worker_instructions).toBeGreaterThan(20_000_000);
      // a spinning guest's instructions run on its worker; the main thread ran at most its start
      // (a few hundred instructions up to its first write) and one chunk, before the scheduler saw
      // it run to the end of a budget
      expect(c.main_instructions).toBeLessThan(CHUNK_INSTRUCTIONS + 10_000);
    }
    await until('CPU% sampled', async () => (await host()).vms.every((v) => v.cpu_percent > 10), 5000);

    // qvm-ls shows the CPU and CPU% columns from the same view
    const ls = await runCli('qvm-ls', ['--raw-data', '--fields', 'name,cpu,cpu%', 'spin-a', 'spin-b'], { CELLA_URL: server.url });
    expect(ls.code).toBe(0);
    const rows = ls.stdout.trim().split('\n').map((line) => line.split('|'));
    expect(rows.map((r) => [r[0], Number(r[1])])).toEqual([['spin-a', cpuOf('spin-a')], ['spin-b', cpuOf('spin-b')]]);
    for (const r of rows) expect(Number(r[2])).toBeGreaterThan(10);
    const table = await runCli('qvm-ls', ['-o', 'host'], { CELLA_URL: server.url });
    expect(table.stdout.split('\n')[0].split(/\s+/)).toEqual(['NAME', 'STATE', 'CLASS', 'CPU', 'CPU%', 'MEMORY', 'VCPUS']);
    expect(table.stdout).toMatch(/dom0\s+Running\s+AdminVM\s+-\s+-/);
  });

  it('pauses and unpauses a vCPU that is on a CPU at an instruction boundary', async () => {
    await api().post('/api/v1/vms/spin-a/pause').expect(200);
    const paused = await instructions('spin-a');
    await wait(100);
    expect(await instructions('spin-a')).toBe(paused);
    await api().post('/api/v1/vms/spin-a/unpause').expect(200);
    await until('spin-a running on', async () => (await instructions('spin-a')) > paused + 1_000_000);
  });

  it('suspends a group whose members are on different CPUs at one instant and resumes both where they were', async () => {
    const before = await host();
    expect(new Set(before.vms.map((v) => v.cpu)).size).toBe(2);
    const running = new Map<string, number>();
    for (const name of ['spin-a', 'spin-b']) running.set(name, await instructions(name));
    const group = (await api().post('/api/v1/snapshots').send({ vms: ['spin-a', 'spin-b'] }).expect(201)).body;
    expect(group.vms.map((v: { name: string }) => v.name).sort()).toEqual(['spin-a', 'spin-b']);
    expect(await stateOf('spin-a')).toBe('suspended');
    expect(await stateOf('spin-b')).toBe('suspended');
    await api().post(`/api/v1/snapshots/${group.id}/resume`).expect(200);
    for (const name of ['spin-a', 'spin-b']) {
      // resumed with the instructions it had retired (no fewer than before the request), then running on
      const resumed = await instructions(name);
      expect(resumed).toBeGreaterThanOrEqual(running.get(name)!);
      await until(`${name} running on after the resume`, async () => (await instructions(name)) > resumed + 1_000_000);
    }
  });

  it('ends only the VMs of a CPU whose worker dies, as crashed with the reason, and starts the next VM on a live worker', async () => {
    const view = await host();
    const onZero = view.vms.filter((v) => v.cpu === 0).map((v) => v.name);
    const onOne = view.vms.filter((v) => v.cpu === 1).map((v) => v.name);
    expect(onZero).toHaveLength(1);
    server.manager.monitor.hv.pool!.kill(0, 'a bug (test hook)');
    await until('the VM on CPU 0 ends', async () => (await stateOf(onZero[0])) === 'crashed');
    const ended = (await api().get(`/api/v1/events?since=0&limit=1000`).expect(200)).body.events.filter(
      (e: { event: string; subject: string }) => e.subject === onZero[0] && e.event === 'domain-stopped',
    );
    expect(JSON.stringify(ended)).toContain('CPU 0 worker died: a bug (test hook)');
    // the other CPU's VM runs on
    const other = await instructions(onOne[0]);
    await until(`${onOne[0]} running on`, async () => (await instructions(onOne[0])) > other + 1_000_000);
    expect(await stateOf(onOne[0])).toBe('running');
    // the next start goes to the least loaded CPU (0, its new worker) and runs there
    await api().post(`/api/v1/vms/${onZero[0]}/start`).expect(200);
    expect((await host()).vms.find((v) => v.name === onZero[0])!.cpu).toBe(0);
    await until(`${onZero[0]} running again`, async () => (await instructions(onZero[0])) > 5_000_000);
    for (const name of ['spin-a', 'spin-b']) await api().post(`/api/v1/vms/${name}/kill`).expect(200);
  });

  it('honours cpu_affinity (vcpu-pin syntax): the VM starts on an allowed CPU; a CPU the host lacks refuses the start and changes nothing', async () => {
    await api().post('/api/v1/vms').send({ name: 'pinned', class: 'StandaloneVM', label: 'red', properties: { kernel: 'spin', memory: 4, vcpus: 1 } }).expect(201);
    // CPU 0 is the least loaded (nothing runs); the affinity keeps the VM off it
    await api().patch('/api/v1/vms/pinned').send({ cpu_affinity: 'all,^0' }).expect(200);
    await api().post('/api/v1/vms/pinned/start').expect(200);
    expect((await host()).vms.find((v) => v.name === 'pinned')!.cpu).toBe(1);
    await until('pinned running', async () => (await instructions('pinned')) > 2_000_000);
    await api().post('/api/v1/vms/pinned/kill').expect(200);

    const malformed = await api().patch('/api/v1/vms/pinned').send({ cpu_affinity: '3-1' }).expect(400);
    expect(JSON.stringify(malformed.body)).toContain('range 3-1 ends before it starts');
    await api().patch('/api/v1/vms/pinned').send({ cpu_affinity: '5' }).expect(200);
    const refused = await api().post('/api/v1/vms/pinned/start').expect(422);
    expect(refused.body).toMatchObject({ code: 'PROPERTY_VALUE_INVALID', detail: expect.stringContaining('CPU 5 does not exist (CPUs 0-1)') });
    expect(await stateOf('pinned')).toBe('halted');
    expect((await host()).vms.map((v) => v.name)).not.toContain('pinned');
    await api().patch('/api/v1/vms/pinned').send({ cpu_affinity: null }).expect(200);
    expect((await api().get('/api/v1/vms/pinned').expect(200)).body.cpu_affinity).toBe('all');
  });
});
