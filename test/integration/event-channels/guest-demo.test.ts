import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { until } from '../../helpers/until.js';
import { expectedConsoles, makePingPong } from '../../helpers/ping-pong.js';

let server: TestServer;
const api = () => request(server.url);
const ROUNDS = 500;

async function makePair(ping: string, pong: string, rounds: number): Promise<void> {
  await makePingPong(api, ping, pong, rounds);
}

beforeAll(async () => {
  server = await startServer();
  await makePair('ping1', 'pong1', ROUNDS);
  await makePair('ping2', 'pong2', 1_000_000);
});
afterAll(() => server.close());

describe('event-channel and grant demo between two guests', () => {
  it('exchanges numbered messages through a granted page with event notifications; both checksums match', async () => {
    await api().post('/api/v1/vms/pong1/start').expect(200);
    await api().post('/api/v1/vms/ping1/start').expect(200);
    const halted = async (n: string) => (await api().get(`/api/v1/vms/${n}`)).body.state === 'halted';
    await until(async () => (await halted('ping1')) && (await halted('pong1')), 'both guests to finish', 20_000);
    const want = expectedConsoles(ROUNDS);
    expect((await api().get('/api/v1/vms/ping1/console')).body.data).toBe(want.ping);
    expect((await api().get('/api/v1/vms/pong1/console')).body.data).toBe(want.pong);
    for (const n of ['ping1', 'pong1']) expect((await api().get(`/api/v1/vms/${n}/stats`)).body.last_exit).toEqual({ kind: 'shutdown', status: 0 });
  });

  it('shows the channel and the grant while they talk, and a peer’s death puts the survivor back to unbound', async () => {
    await api().post('/api/v1/vms/pong2/start').expect(200);
    await api().post('/api/v1/vms/ping2/start').expect(200);
    const pongDom = (await api().get('/api/v1/vms/pong2/stats')).body.domid;
    const pingDom = (await api().get('/api/v1/vms/ping2/stats')).body.domid;
    const byPing = (g: { active: { mapper: number; ref: number }[] }) => g.active.filter((a) => a.mapper === pingDom);
    await until(async () => byPing((await api().get('/api/v1/vms/pong2/grants')).body).length > 0, 'the mapping', 20_000);
    const grants = (await api().get('/api/v1/vms/pong2/grants').expect(200)).body;
    // dom0's daemon maps pong2's control vchan too (refs the PV kernel granted); ping maps the demo page
    expect(byPing(grants)).toEqual([expect.objectContaining({ mapper: pingDom, domid: pingDom })]);
    const demoRef = byPing(grants)[0].ref;
    const pingGrants = (await api().get('/api/v1/vms/ping2/grants').expect(200)).body;
    expect(pingGrants.mappings).toEqual(expect.arrayContaining([expect.objectContaining({ granter: pongDom, ref: demoRef, hostAddr: 0x4000_0000, readonly: false })]));
    type Port = { state: string; pending: boolean; port: number; remoteDom?: number };
    const used = (ports: Port[]) => ports.filter((p) => p.state !== 'reserved');
    const pongPorts = used((await api().get('/api/v1/vms/pong2/event-channels').expect(200)).body.ports);
    expect(pongPorts).toEqual(expect.arrayContaining([expect.objectContaining({ state: 'interdomain', remoteDom: pingDom })]));
    const demoPort = pongPorts.find((p) => p.remoteDom === pingDom)!.port;
    const cli = await runCli('qvm', ['evtchn', 'pong2'], { CELLA_URL: server.url });
    expect(cli.stdout).toMatch(new RegExp(`^ +${demoPort}: interdomain vcpu=0 dom=${pingDom} port=\\d+`, 'm'));
    expect((await runCli('qvm', ['grants', 'pong2'], { CELLA_URL: server.url })).stdout).toMatch(new RegExp(`ref ${demoRef}: mapped by dom${pingDom}`));

    const dom0Before = used((await api().get('/api/v1/vms/dom0/event-channels')).body.ports);
    expect(dom0Before).toEqual(expect.arrayContaining([expect.objectContaining({ state: 'virq', virq: 3 })]));
    await api().post('/api/v1/vms/ping2/kill').expect(200);
    const after = used((await api().get('/api/v1/vms/pong2/event-channels')).body.ports);
    expect(after.find((p) => p.port === demoPort)).toMatchObject({ state: 'unbound', remoteDom: pingDom });
    expect(byPing((await api().get('/api/v1/vms/pong2/grants')).body)).toEqual([]);
    const virq = used((await api().get('/api/v1/vms/dom0/event-channels')).body.ports).find((p) => p.state === 'virq');
    expect(virq?.pending).toBe(true);
    expect(server.manager.monitor.xen.domainExceptions).toBeGreaterThan(0);
    await api().post('/api/v1/vms/pong2/kill').expect(200);
    expect((await api().get('/api/v1/vms/pong2/event-channels').expect(409)).body.code).toBe('INVALID_STATE');
  });
});
