/** Logs (one pino line per lifecycle step, crash, policy refusal, refused request) and /metrics in Prometheus' format. */
import { Writable } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/server.js';
import { until } from '../../helpers/until.js';

interface Line { level: number; msg: string; vm?: string; [k: string]: unknown }
const lines: Line[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const text of chunk.toString('utf8').split('\n')) if (text) lines.push(JSON.parse(text) as Line);
    done();
  },
});

let server: TestServer;
const api = () => request(server.url);
const INFO = 30;
const WARN = 40;
const ERROR = 50;

/** The first line with this message (about this VM), once it is there. */
async function line(msg: string, vm?: string): Promise<Line> {
  await until(() => lines.some((l) => l.msg === msg && (vm === undefined || l.vm === vm)), `log line "${msg}"`);
  return lines.find((l) => l.msg === msg && (vm === undefined || l.vm === vm))!;
}

beforeAll(async () => {
  server = await startServer({ logger: pino({ level: 'info' }, sink), manager: { autosuspendTickMs: 50 } });
  for (const [name, kernel] of [['a', 'base'], ['b', 'base'], ['boom', 'crash']]) {
    await api().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { memory: 16, kernel } }).expect(201);
  }
  await api().put('/api/v1/policy/files/30-user.policy').send({ content: 'cella.Echo * a b deny\n' }).expect(200);
  await api().post('/api/v1/tokens').send({ name: 'mgmt', vm: 'a' }).expect(201);
});
afterAll(() => server.close());

describe('log lines', () => {
  it('logs start, pause, suspend, resume and kill with the VM name', async () => {
    await api().post('/api/v1/vms/a/start').expect(200);
    await api().post('/api/v1/vms/a/pause').expect(200);
    await api().post('/api/v1/vms/a/unpause').expect(200);
    await api().post('/api/v1/vms/a/suspend').expect(200);
    await api().post('/api/v1/vms/a/resume').expect(200);
    for (const msg of ['VM started', 'VM paused', 'VM unpaused', 'VM suspending', 'VM suspended', 'VM resumed']) {
      expect(await line(msg, 'a')).toMatchObject({ level: INFO, vm: 'a' });
    }
    expect(lines.filter((l) => l.msg === 'VM started' && l.vm === 'a')).toHaveLength(1);
  });

  it('logs a crash as a warning with its reason', async () => {
    await api().post('/api/v1/vms/boom/start').expect(200);
    expect(await line('VM crashed', 'boom')).toMatchObject({ level: WARN, reason: 'crashed', detail: expect.any(String) });
  });

  it('logs an autosuspend', async () => {
    await api().post('/api/v1/vms/b/start').expect(200);
    await api().patch('/api/v1/vms/b').send({ autosuspend_idle_s: 1 }).expect(200);
    expect(await line('VM idle: autosuspend', 'b')).toMatchObject({ level: INFO, reason: 'idle' });
  });

  it('logs a qrexec call the policy refused', async () => {
    const stdin = Buffer.from('qrexec-client-vm b cella.Echo\n').toString('base64');
    const res = await api().post('/api/v1/vms/a/qrexec').send({ service: 'qubes.VMShell', stdin }).expect(200);
    expect(res.body.exit_code).toBe(126);
    expect(await line('qrexec call refused by policy', 'a')).toMatchObject({ level: INFO, target: 'b', service: 'cella.Echo', decision: 'deny' });
  });

  it('logs a refused request with its code and VM', async () => {
    await api().get('/api/v1/vms/ghost').expect(404);
    expect(await line('request refused', 'ghost')).toMatchObject({ level: INFO, code: 'VM_NOT_FOUND', status: 404 });
  });

  it('logs a 5xx with the error', async () => {
    const own: Line[] = [];
    const broken = await startServer({
      logger: pino({ level: 'info' }, new Writable({ write: (c: Buffer, _e, done) => (own.push(...c.toString().split('\n').filter(Boolean).map((t) => JSON.parse(t) as Line)), done()) })),
    });
    const db = new BetterSqlite3(broken.dbFile);
    db.exec('DROP TABLE event');
    db.close();
    await request(broken.url).post('/api/v1/vms').send({ name: 'lost', class: 'TemplateVM', label: 'red' }).expect(500);
    await broken.close();
    expect(own.find((l) => l.msg === 'request failed')).toMatchObject({ level: ERROR, code: 'INTERNAL', err: { message: expect.stringMatching(/event/) } });
  });
});

/** The value of one sample of the exposition text, or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const row = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  return row === undefined ? undefined : Number(row.slice(row.lastIndexOf(' ') + 1));
}

describe('GET /metrics', () => {
  it('serves VMs by state, per-VM counters, qrexec results, the process and HTTP latency', async () => {
    const res = await api().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    if (process.env.SHOW_METRICS) console.log(text);
    expect(sample(text, 'cella_vms', '{state="crashed",class="StandaloneVM"}')).toBe(1);
    expect(sample(text, 'cella_vms', '{state="running",class="AdminVM"}')).toBe(1);
    expect(sample(text, 'cella_vm_instructions_total', '{vm="a"}')).toBeGreaterThan(0);
    expect(sample(text, 'cella_vm_host_cpu_seconds_total', '{vm="a"}')).toBeGreaterThan(0);
    expect(sample(text, 'cella_vm_memory_bytes', '{vm="a"}')).toBe(16 * 1024 * 1024);
    expect(sample(text, 'cella_qrexec_calls_total', '{result="refused"}')).toBe(1);
    expect(sample(text, 'cella_policy_decisions_total', '{decision="deny"}')).toBe(1);
    expect(sample(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(sample(text, 'cella_http_request_duration_seconds_count', '{method="GET",route="/api/v1/vms/:name",status="404"}')).toBe(1);
  });

  it('is dom0 only: a management VM token gets 403', async () => {
    const token = (await api().post('/api/v1/tokens').send({ name: 'm2', vm: 'b' }).expect(201)).body.token as string;
    await api().get('/metrics').set('authorization', `Bearer ${token}`).expect(403);
  });
});
