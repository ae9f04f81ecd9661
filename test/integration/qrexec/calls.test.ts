import { createHash } from 'node:crypto';
import request from 'supertest';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
const api = () => request(server.url);

const POLICY = `cella.Echo    *  a  b         allow
cella.Echo    *  a  c         allow
cella.Echo    *  a  @default  allow target=c
cella.Echo    *  a  d         allow
cella.Echo    *  a  e         allow autostart=no
cella.Sha256  *  a  b         ask default_target=b
cella.Echo    *  a  @anyvm    deny
cella.Env     *  a  b         allow
`;

beforeAll(async () => {
  server = await startServer();
  for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) {
    await api().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { memory: 32 } }).expect(201);
  }
  await api().put('/api/v1/policy/files/30-user.policy').send({ content: POLICY }).expect(200);
  for (const name of ['a', 'b', 'c']) await api().post(`/api/v1/vms/${name}/start`).expect(200);
});
afterAll(() => server.close());

/** Runs `line` in VM a's shell (through dom0's trusted call), feeding `input`. */
async function inA(line: string, input: Uint8Array = new Uint8Array(0)) {
  const stdin = Buffer.concat([Buffer.from(`${line}\n`), Buffer.from(input)]).toString('base64');
  const res = await api().post('/api/v1/vms/a/qrexec').send({ service: 'qubes.VMShell', stdin }).expect(200);
  return { code: res.body.exit_code as number, out: Buffer.from(res.body.stdout, 'base64'), err: Buffer.from(res.body.stderr, 'base64').toString() };
}

const lastCall = async (source: string) =>
  ((await api().get('/api/v1/events?since=0&limit=1000')).body.events as { event: string; subject: string; payload: Record<string, unknown> }[])
    .filter((e) => e.event === 'qrexec-call' && e.subject === source)
    .at(-1)!.payload;

describe('qrexec calls from a guest program in VM a', () => {
  it.each([
    ['0 B', 0],
    ['1 B', 1],
    ['64 KiB', 64 * 1024],
    ['10 MiB', 10 * 1024 * 1024],
  ])('carries stdin and stdout intact through an allowed call (%s)', async (_label, size) => {
    const payload = new Uint8Array(size).map((_, i) => (i * 7 + (i >> 8)) & 0xff);
    const r = await inA('qrexec-client-vm b cella.Echo', payload);
    expect(r.code).toBe(0);
    expect(r.out.length).toBe(size);
    expect(createHash('sha256').update(r.out).digest('hex')).toBe(createHash('sha256').update(payload).digest('hex'));
    expect(await lastCall('a')).toMatchObject({ target: 'b', service: 'cella.Echo', decision: 'allow', exit_code: 0, bytes_in: size, bytes_out: size });
  });

  it('is refused with 126 when the policy denies, naming the rule in the call event', async () => {
    const r = await inA('qrexec-client-vm f cella.Echo');
    expect(r.code).toBe(126);
    // one line on stderr, as Qubes' qrexec-client-vm prints it
    expect(r.err).toBe('Request refused\n');
    expect(await lastCall('a')).toMatchObject({ target: 'f', decision: 'deny', exit_code: 126, rule: { file: '30-user.policy', line: 7 } });
    // @anyvm does not cover dom0: no rule matches, which denies too (without a rule)
    expect((await inA('qrexec-client-vm dom0 cella.Echo')).code).toBe(126);
    expect(await lastCall('a')).toMatchObject({ decision: 'deny', exit_code: 126, rule: null });
  });

  it("leaves the shell's stdout and stderr open for what comes after the call, in order", async () => {
    expect(await inA('qrexec-client-vm b cella.Echo; echo after', Buffer.from('echoed '))).toMatchObject({ code: 0, out: Buffer.from('echoed after\n'), err: '' });
    expect(await inA('qrexec-client-vm f cella.Echo || echo went on')).toMatchObject({ code: 0, out: Buffer.from('went on\n'), err: 'Request refused\n' });
  });

  it('treats an unknown target as @default, as Qubes does (a caller cannot probe which VMs exist)', async () => {
    const r = await inA('qrexec-client-vm nosuchvm cella.Echo', Buffer.from('x'));
    expect({ code: r.code, out: r.out.toString() }).toEqual({ code: 0, out: 'x' });
    expect(await lastCall('a')).toMatchObject({ target: 'c', decision: 'allow', rule: { line: 3 } });
  });

  it('gives the service program the caller and the service in its environment', async () => {
    const r = await inA('qrexec-client-vm b cella.Env+some-arg');
    expect(r.code).toBe(0);
    expect(r.out.toString().split('\n')).toEqual(
      expect.arrayContaining(['QREXEC_REMOTE_DOMAIN=a', 'QREXEC_SERVICE_FULL_NAME=cella.Env+some-arg', 'QREXEC_SERVICE_ARGUMENT=some-arg']),
    );
    expect(await lastCall('a')).toMatchObject({ service: 'cella.Env', argument: '+some-arg', decision: 'allow' });
  });

  it('refuses a loopback call as Qubes does', async () => {
    expect((await inA('qrexec-client-vm a cella.Sha256')).code).toBe(126);
  });

  it('waits for an ask to be answered, then goes to the chosen target', async () => {
    const pending = inA('qrexec-client-vm b cella.Sha256', Buffer.from('abc'));
    let asks: { id: string; choices: string[] }[] = [];
    for (let i = 0; i < 500 && asks.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
      asks = (await api().get('/api/v1/qrexec/asks')).body.asks;
    }
    expect(asks[0].choices).toContain('b');
    await api().post(`/api/v1/qrexec/asks/${asks[0].id}`).send({ allow: true, target: 'b' }).expect(200);
    const r = await pending;
    expect({ code: r.code, out: r.out.toString() }).toEqual({ code: 0, out: `${createHash('sha256').update('abc').digest('hex')}  -\n` });
  });

  it('is refused when the user denies the ask', async () => {
    const pending = inA('qrexec-client-vm b cella.Sha256');
    let id = '';
    for (let i = 0; i < 500 && !id; i++) {
      await new Promise((r) => setTimeout(r, 10));
      id = (await api().get('/api/v1/qrexec/asks')).body.asks[0]?.id ?? '';
    }
    await api().post(`/api/v1/qrexec/asks/${id}`).send({ allow: false }).expect(200);
    expect((await pending).code).toBe(126);
  });

  it('follows a target= redirect', async () => {
    const r = await inA('qrexec-client-vm @default cella.Echo', Buffer.from('redirected'));
    expect(r.out.toString()).toBe('redirected');
    expect(await lastCall('a')).toMatchObject({ target: 'c', decision: 'allow' });
  });

  it('starts a halted target when autostart allows, and refuses when it does not', async () => {
    expect((await api().get('/api/v1/vms/d')).body.state).toBe('halted');
    const r = await inA('qrexec-client-vm d cella.Echo', Buffer.from('woke'));
    expect({ code: r.code, out: r.out.toString() }).toEqual({ code: 0, out: 'woke' });
    expect((await api().get('/api/v1/vms/d')).body.state).toBe('running');
    expect((await inA('qrexec-client-vm e cella.Echo')).code).toBe(126);
    expect((await api().get('/api/v1/vms/e')).body.state).toBe('halted');
  });

  it('answers 127 for a service the target does not have', async () => {
    await api().put('/api/v1/policy/files/20-nope.policy').send({ content: 'cella.Nope * a b allow\n' }).expect(200);
    expect((await inA('qrexec-client-vm b cella.Nope')).code).toBe(127);
  });
});

describe('qrexec calls from dom0', () => {
  it('completes 50 concurrent calls into one VM', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const res = await api()
          .post('/api/v1/vms/b/qrexec')
          .send({ service: 'cella.Echo', stdin: Buffer.from(`call ${i}`).toString('base64') })
          .expect(200);
        return [res.body.exit_code, Buffer.from(res.body.stdout, 'base64').toString()];
      }),
    );
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => [0, `call ${i}`]));
  });

  /** A streamed call: `payload` sent in 50 KB frames, then EOF; what came back on each stream and at the end. */
  async function streamed(query: string, payload: Buffer) {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/vms/b/qrexec?${query}`);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let end: unknown = null;
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) end = JSON.parse(String(data));
      else (data[0] === 1 ? out : err).push(data.subarray(1));
    });
    await new Promise((resolve) => ws.on('open', resolve));
    for (let at = 0; at < payload.length; at += 50_000) ws.send(payload.subarray(at, at + 50_000));
    ws.send('EOF');
    return { close: await closed, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), end };
  }

  it('streams a call over a websocket: stdin in binary frames, tagged stdout and stderr back, then the exit code', async () => {
    const payload = Buffer.from(new Uint8Array(3_000_000).map((_, i) => i % 251));
    expect(await streamed('command=sha256sum', payload)).toEqual({
      close: 1000, stdout: `${createHash('sha256').update(payload).digest('hex')}  -\n`, stderr: '', end: { exit_code: 0, error: null },
    });
    const failed = await streamed(`command=${encodeURIComponent('cat nofile')}`, Buffer.alloc(0));
    expect(failed).toMatchObject({ close: 1000, stdout: '', end: { exit_code: 1, error: null } });
    expect(failed.stderr).toMatch(/nofile/);
    expect((await streamed('service=cella.Echo', Buffer.from('svc'))).stdout).toBe('svc');
  });

  it('puts every call on the live event stream too', async () => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/events`);
    const seen: { type: string; event?: string; payload?: Record<string, unknown> }[] = [];
    ws.on('message', (data) => seen.push(JSON.parse(String(data))));
    await new Promise((resolve) => ws.on('open', resolve));
    await api().post('/api/v1/vms/b/qrexec').send({ service: 'cella.Echo', stdin: Buffer.from('live').toString('base64') }).expect(200);
    for (let i = 0; i < 200 && !seen.some((m) => m.event === 'qrexec-call'); i++) await new Promise((r) => setTimeout(r, 10));
    ws.close();
    expect(seen.find((m) => m.event === 'qrexec-call')?.payload).toMatchObject({
      source: 'dom0', target: 'b', service: 'cella.Echo', decision: 'trusted', exit_code: 0, bytes_in: 4, bytes_out: 4,
    });
  });

  it('runs plain command lines and reports exit codes', async () => {
    const r = await api().post('/api/v1/vms/b/qrexec').send({ command: 'echo from the shell' }).expect(200);
    expect(Buffer.from(r.body.stdout, 'base64').toString()).toBe('from the shell\n');
    expect((await api().post('/api/v1/vms/b/qrexec').send({ command: 'false' }).expect(200)).body.exit_code).toBe(1);
    expect((await api().post('/api/v1/vms/b/qrexec').send({ service: 'qubes.GetDate' }).expect(200)).body.exit_code).toBe(0);
  });

  it('refuses a halted VM without autostart with 409, and a body with both service and command', async () => {
    expect((await api().post('/api/v1/vms/e/qrexec').send({ command: 'true', autostart: false }).expect(409)).body.code).toBe('INVALID_STATE');
    expect((await api().post('/api/v1/vms/b/qrexec').send({ command: 'true', service: 'x' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('drives qvm-run and qvm call from the command line', async () => {
    const env = { CELLA_URL: server.url };
    const run = await runCli('qvm-run', ['-p', 'b', 'sha256sum'], env, 'abc');
    expect(run).toMatchObject({ code: 0, stdout: `${createHash('sha256').update('abc').digest('hex')}  -\n` });
    expect((await runCli('qvm-run', ['-p', 'b', 'false'], env)).code).toBe(1);
    expect((await runCli('qvm-run', ['-p', '--service', 'b', 'cella.Echo'], env, 'svc')).stdout).toBe('svc');
    const viaPolicy = await runCli('qvm', ['call', 'a', 'b', 'cella.Echo'], env, 'through policy');
    expect(viaPolicy).toMatchObject({ code: 0, stdout: 'through policy' });
    expect(await runCli('qvm', ['call', 'a', 'dom0', 'cella.Echo'], env)).toEqual({ code: 126, stdout: '', stderr: 'Request refused\n' });
    expect(await runCli('qvm-run', ['-p', 'b', 'echo a; echo b && false || echo "c;d"'], env)).toEqual({ code: 0, stdout: 'a\nb\nc;d\n', stderr: '' });
    expect((await runCli('qvm-run', ['-p', '--no-autostart', 'e', 'true'], env)).code).toBe(1);
  });
});
