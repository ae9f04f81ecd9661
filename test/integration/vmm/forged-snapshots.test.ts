/**
 * Suspend files are input: a forged file whose SHA-256 was computed again over the forgery passes
 * the file layer, and must then be refused for what it means, naming the field, with the VM still
 * suspended and resumable from its good file afterwards. Each forgery starts from a real suspend
 * file of a real guest (decoded, one field changed, encoded again by the real writer).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/server.js';
import { until } from '../../helpers/until.js';
import { decodeSnapshot, encodeSnapshot, forgeFrom, type DecodedSnapshot } from '../../helpers/snapshot-forgery.js';
import { reseal, sectionHeaderAt, sectionsOf } from '../../unit/snapshot/support/forge.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The one VM of a file: its header entry, kernel and domain sections. */
function vmOf(d: DecodedSnapshot): { vm: Json; kernel: Json; domain: Json } {
  const vm = (d.header.vms as Json[])[0];
  return { vm, kernel: d.json.get(`${vm.uuid}/kernel`) as Json, domain: d.json.get(`${vm.uuid}/domain`) as Json };
}

interface Forgery {
  what: string;
  /** A change of the decoded file (encoded again), or of its bytes (resealed). */
  change?: (d: ReturnType<typeof vmOf>) => void;
  bytes?: (file: Buffer, sectionAt: number) => void;
  /** What the refusal says: the field, then why. */
  detail: RegExp;
}

const WARM: Forgery[] = [
  { what: '1000 vCPUs', change: ({ vm }) => (vm.spec.vcpus = 1000), detail: /the header: vms\[0\]\.spec\.vcpus: Too big/ },
  { what: 'another vCPU count than the domain has', change: ({ vm }) => (vm.spec.vcpus = 3), detail: /the header of victim: spec\.vcpus: 3, the suspended domain has 2/ },
  { what: 'another image than the domain runs', change: ({ vm }) => (vm.spec.image = 'cpubench'), detail: /the header of victim: spec\.image: "cpubench", the suspended domain has "base"/ },
  { what: 'an image path that leaves the images', change: ({ vm }) => (vm.spec.image = '../../etc/passwd'), detail: /the header: vms\[0\]\.spec\.image: / },
  { what: 'a pc outside RAM', change: ({ kernel }) => (kernel.vcpus[0].vcpu.pc = 0x1000), detail: /kernel state of .*: vcpus\[0\]\.vcpu\.pc: 0x1000 is on no page its address space maps/ },
  { what: 'a register of 2^40', change: ({ kernel }) => (kernel.vcpus[0].vcpu.x[5] = 2 ** 40), detail: /vcpus\[0\]\.vcpu\.x\[5\]: above 2\^31-1/ },
  { what: 'a console of 2^31 bytes', change: ({ kernel }) => (kernel.console.capacity = 2 ** 31), detail: /console\.capacity: not the spec's console buffer \(65536 bytes\)/ },
  { what: 'a program break above its limit', change: ({ kernel }) => (kernel.process.brk.current = kernel.process.brk.limit + 4096), detail: /process\.brk: current 0x[0-9a-f]+ is above its limit/ },
  { what: 'an all-zero random state', change: ({ kernel }) => (kernel.process.random = [0, 0, 0, 0]), detail: /process\.random: the all-zero state/ },
  { what: 'a control port of 99999', change: ({ kernel }) => (kernel.agent.control.end.port = 99999), detail: /agent\.control\.end\.port: .*beyond max_event_channels \(1023\)/ },
  { what: 'a control port the domain has not bound', change: ({ kernel }) => (kernel.agent.control.end.port = 700), detail: /agent\.control\.end\.port: port 700 is not bound/ },
  { what: 'a grant ref beyond the grant table', change: ({ kernel }) => (kernel.agent.control.end.share.ctrl.refs[0] = 999_999), detail: /agent\.control\.end\.share\.ctrl\.refs\[0\]: grant ref 999999 is beyond/ },
  { what: 'a grant-table frame outside RAM', change: ({ domain }) => (domain.grantTable.frames[0] = 0x1000_0000), detail: /domain section of .*: grantTable\.frames\[0\]: 0x10000000 is outside RAM/ },
  { what: "a XenStore node in dom0's home", change: ({ domain }) => domain.xenstore.nodes.push({ path: '/local/domain/0/evil', value: 'x', perms: ['n0'], children: [], generation: 1 }), detail: /xenstore\.nodes\[\d+\]\.path: "\/local\/domain\/0\/evil" is not a path inside the domain's home \/local\/domain\/\d+/ },
  { what: 'an event channel beyond the port limit', change: ({ domain }) => (domain.eventChannels.ports[0].port = 5000), detail: /eventChannels\.ports\[0\]\.port: beyond max_event_channels/ },
  { what: 'console bytes that do not match its counters', change: ({ kernel }) => (kernel.console.total = 1), detail: /console: data: \d+ bytes, where 1 written/ },
  { what: "an earlier version's lifecycle copy in another state than suspending", change: ({ vm }) => (vm.lifecycle = { status: 'active', value: 'running' }), detail: /vms\[0\]\.lifecycle\.value: not the suspending state/ },
  { what: 'a field no Cella writes', change: ({ kernel }) => (kernel.process.extra = 1), detail: /process: .*extra/i },
  // an extra JSON section, then made a section of kind 77 with the OPTIONAL flag: the file layer skips such kinds
  { what: 'an extra section of an unknown kind, marked optional', bytes: (b, at) => (b.writeUInt32LE(77, at), b.writeUInt32LE(1, at + 4)), detail: /section "zz-extra" \(kind 77\) is not one the header names/ },
  { what: 'an extra section named by no VM', bytes: () => undefined, detail: /section "zz-extra" \(kind 1\) is not one the header names/ },
  { what: 'a section name of invalid UTF-8', bytes: (b, at) => b.writeUInt8(0xff, at + 20), detail: /section \d+: its name is not UTF-8/ },
];

let server: TestServer;
const api = () => request(server.url);
let file = '';
let good: Buffer;

beforeAll(async () => {
  server = await startServer();
  await api().post('/api/v1/vms').send({ name: 'victim', class: 'StandaloneVM', label: 'red', properties: { memory: 8 } }).expect(201);
  await api().post('/api/v1/vms/victim/start').expect(200);
  const snap = (await api().post('/api/v1/vms/victim/suspend').send({ file: 'victim.cella' }).expect(200)).body.snapshot;
  file = join(server.dir, 'snapshots', snap.file);
  good = readFileSync(file);
});
afterAll(() => server.close());

/** Writes the forgery over the VM's file (from the good one). */
async function forge(f: Forgery): Promise<void> {
  const from = `${file}.good`;
  writeFileSync(from, good);
  if (f.change) {
    await forgeFrom(from, file, (d) => f.change!(vmOf(d)));
    return;
  }
  await forgeFrom(from, file, () => undefined, [{ kind: 'json', name: 'zz-extra', value: { hidden: true } }]);
  const at = sectionHeaderAt((await sectionsOf(file)).find((x) => x.name === 'zz-extra')!);
  const bytes = readFileSync(file);
  f.bytes!(bytes, at);
  writeFileSync(file, reseal(bytes));
}

describe('a forged suspend file with a correct SHA-256', () => {
  it.each(WARM)('is refused on a warm resume: $what', async (f) => {
    await forge(f);
    const res = await api().post('/api/v1/vms/victim/resume').send({});
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('SNAPSHOT_INVALID');
    expect(res.body.detail).toMatch(f.detail);
    expect((await api().get('/api/v1/vms/victim').expect(200)).body.state).toBe('suspended');
  });

  it('leaves the VM suspended into its good file, which resumes', async () => {
    writeFileSync(file, good);
    expect((await api().post('/api/v1/vms/victim/resume').send({}).expect(200)).body.state).toBe('running');
    const sure = (await api().post('/api/v1/vms/victim/qrexec').send({ command: 'echo still here' }).expect(200)).body;
    expect(Buffer.from(sure.stdout, 'base64').toString()).toBe('still here\n');
  });

  it('is refused on a resume after a restart: maxEventChannels of 1e9, and nothing changes', async () => {
    await api().post('/api/v1/vms/victim/suspend').send({ file: 'victim.cella' }).expect(200);
    good = readFileSync(file);
    await server.close(true);
    server = await startServer({ dir: server.dir });
    for (const [change, detail] of [
      [(d: ReturnType<typeof vmOf>) => (d.vm.spec.maxEventChannels = 1e9), /the header: vms\[0\]\.spec\.maxEventChannels: /],
      [(d: ReturnType<typeof vmOf>) => (d.vm.spec.memoryMiB = 4096), /the header: vms\[0\]\.spec\.memoryMiB: /],
      [(d: ReturnType<typeof vmOf>) => (d.kernel.vcpus[1].vcpu.csr.mhartid = 0), /vcpus\[1\]\.vcpu\.csr\.mhartid: not hart 1/],
    ] as const) {
      await forge({ what: '', change, detail });
      const res = await api().post('/api/v1/vms/victim/resume').send({});
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 422, code: 'SNAPSHOT_INVALID' });
      expect(res.body.detail).toMatch(detail);
      expect((await api().get('/api/v1/vms/victim').expect(200)).body.state).toBe('suspended');
    }
    writeFileSync(file, good);
    expect((await api().post('/api/v1/vms/victim/resume').send({}).expect(200)).body.state).toBe('running');
  });

  it("writes no copy of the lifecycle machine (nothing reads it), and still resumes an earlier version's file that has one", async () => {
    await api().post('/api/v1/vms/victim/suspend').send({ file: 'victim.cella' }).expect(200);
    const d = await decodeSnapshot(file);
    expect(Object.keys((d.header.vms as Json[])[0])).toEqual(['uuid', 'name', 'domid', 'spec', 'from', 'processes']);
    (d.header.vms as Json[])[0].lifecycle = { status: 'active', value: 'suspending', context: {}, children: {}, historyValue: {} };
    await encodeSnapshot(file, d);
    expect((await api().post('/api/v1/vms/victim/resume').send({}).expect(200)).body.state).toBe('running');
  });
});


describe('a forged suspend file of a VM with a guest program running', () => {
  it('is refused for a process whose pc leaves its memory or whose memory is larger than a process may have; the program then ends as it would have', async () => {
    await api().post('/api/v1/vms').send({ name: 'worker', class: 'StandaloneVM', label: 'red', properties: { memory: 8 } }).expect(201);
    await api().post('/api/v1/vms/worker/start').expect(200);
    // sha256sum reads its stdin: it waits, a process of the kernel, while the VM is suspended
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/vms/worker/qrexec?command=sha256sum`);
    const out: Buffer[] = [];
    let end: unknown = null;
    const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) end = JSON.parse(String(data));
      else if (data[0] === 1) out.push(data.subarray(1));
    });
    await new Promise((resolve) => ws.on('open', resolve));
    const input = Buffer.from('half of the input, ');
    ws.send(input);
    const vm = (await server.manager.lifecycle.instanceOf('worker'))!;
    await until(() => [...vm.processes.entries()].length === 1, 'sha256sum to run');
    const snap = (await api().post('/api/v1/vms/worker/suspend').send({ file: 'worker.cella' }).expect(200)).body.snapshot;
    const path = join(server.dir, 'snapshots', snap.file);
    const whole = readFileSync(path);
    writeFileSync(`${path}.good`, whole);
    for (const [change, detail] of [
      [(k: Json) => (k.processes.processes[0].vcpu.pc = 0x8080_0000), /processes\.processes\[0\]\.vcpu\.pc: 0x80800000 is on no page its address space maps/],
      [(k: Json) => (k.processes.processes[0].memoryBytes = 64 * 1024 * 1024), /processes\.processes\[0\]\.memoryBytes: above 8388608 bytes/],
      [(k: Json) => (k.jobs.jobs.find((j: Json) => j.kind === 'process').pid = 99), /jobs\.jobs\[\d+\]\.pid: pid 99 is not a process of the table/],
    ] as const) {
      await forgeFrom(`${path}.good`, path, (d) => change(vmOf(d).kernel));
      const res = await api().post('/api/v1/vms/worker/resume').send({});
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 422, code: 'SNAPSHOT_INVALID' });
      expect(res.body.detail).toMatch(detail);
      expect((await api().get('/api/v1/vms/worker').expect(200)).body.state).toBe('suspended');
    }
    writeFileSync(path, whole);
    await api().post('/api/v1/vms/worker/resume').send({}).expect(200);
    const rest = Buffer.from('and the other half');
    ws.send(rest);
    ws.send('EOF');
    await closed;
    expect(end).toEqual({ exit_code: 0, error: null });
    const digest = createHash('sha256').update(Buffer.concat([input, rest])).digest('hex');
    expect(Buffer.concat(out).toString()).toBe(`${digest}  -\n`);
  });
});
