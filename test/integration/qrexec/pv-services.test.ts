import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VmInstance } from '../../../src/guest-kernel/vm-instance.js';
import { parseCommandLine } from '../../../src/guest-kernel/vm-shell.js';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
let vm: VmInstance;
/** Jobs this test started, and who waits for each. */
const waiting = new Map<number, (status: number) => void>();

beforeAll(async () => {
  server = await startServer({ listen: false });
  await server.manager.execute({ type: 'vm.create', name: 'svc', klass: 'StandaloneVM', label: 'red', properties: { memory: 32 } });
  await server.manager.execute({ type: 'vm.start', name: 'svc' });
  vm = (await server.manager.lifecycle.instanceOf('svc'))!;
  const agentDone = vm.jobs.onDone;
  vm.jobs.onDone = (id, status) => (waiting.has(id) ? waiting.get(id)!(status) : agentDone(id, status));
});
afterAll(() => server.close());

/** Runs a service of the VM as a call would: its stdin fed, its stdout and stderr drained. */
async function call(service: string, argument: string, input: Uint8Array | string) {
  const [stdin, stdout, stderr] = [vm.objects.pipe(), vm.objects.pipe(), vm.objects.pipe()];
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  let fed = 0;
  const feed = () => {
    while (fed < bytes.length) {
      const n = stdin.writer.write(bytes.subarray(fed, fed + 65536));
      if (typeof n !== 'number') return;
      fed += n;
    }
    stdin.writer.close();
  };
  const drain = (p: typeof stdout, into: Uint8Array[]) => () => {
    for (let got = p.reader.read(65536); got instanceof Uint8Array; got = p.reader.read(65536)) into.push(got);
  };
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  stdin.watch(feed);
  stdout.watch(drain(stdout, out));
  stderr.watch(drain(stderr, err));
  feed();
  const job = vm.services.start(
    { service, argument, source: 'dom0' },
    { stdin: { kind: 'pipe-r', id: stdin.id }, stdout: { kind: 'pipe-w', id: stdout.id }, stderr: { kind: 'pipe-w', id: stderr.id } },
  );
  const code = await new Promise<number>((resolve) => waiting.set(job, resolve));
  await new Promise((r) => setImmediate(r));
  drain(stdout, out)();
  drain(stderr, err)();
  return { code, out: Buffer.concat(out), err: Buffer.concat(err).toString() };
}

const sha = (data: string | Uint8Array) => `${createHash('sha256').update(data).digest('hex')}  -\n`;

describe('PV kernel services', () => {
  it('runs a VMShell pipeline of image programs and builtins', async () => {
    const r = await call('qubes.VMShell', '', 'echo hi | sha256sum\n');
    expect({ code: r.code, out: r.out.toString() }).toEqual({ code: 0, out: sha('hi\n') });
  });

  it('gives the rest of stdin to the command', async () => {
    const r = await call('qubes.VMShell', '', 'sha256sum\nabc');
    expect(r.out.toString()).toBe(sha('abc'));
  });

  it('streams a megabyte through a guest program', async () => {
    const data = new Uint8Array(1 << 20).map((_, i) => (i * 13) & 0xff);
    const r = await call('qubes.VMShell', '', Buffer.concat([Buffer.from('sha256sum\n'), Buffer.from(data)]));
    expect({ code: r.code, out: r.out.toString() }).toEqual({ code: 0, out: sha(data) });
  });

  it('redirects to and from the kernel filesystem', async () => {
    expect((await call('qubes.VMShell', '', 'echo hello > greeting\n')).code).toBe(0);
    expect((await call('qubes.VMShell', '', 'sha256sum < greeting\n')).out.toString()).toBe(sha('hello\n'));
    expect((await call('qubes.VMShell', '', 'cat greeting greeting\n')).out.toString()).toBe('hello\nhello\n');
  });

  it('answers 127 for an unknown command or service', async () => {
    expect(await call('qubes.VMShell', '', 'nosuch arg\n')).toMatchObject({ code: 127, err: 'nosuch: command not found\n' });
    expect((await call('qubes.Nope', '', '')).code).toBe(127);
  });

  it('serves the built-in services', async () => {
    expect((await call('qubes.GetDate', '', '')).out.toString()).toMatch(/^1970-01-01T00:00:\d\d\+00:00\n$/);
    expect((await call('qubes.GetRandom', '+16', '')).out.length).toBe(16);
    expect((await call('qubes.WaitForSession', '', '')).code).toBe(0);
  });

  it('parses quotes, pipes and redirections, and refuses bad syntax', () => {
    expect(parseCommandLine(`echo 'a b' "c" | cat > out`)).toEqual({
      ok: true,
      list: [{ op: ';', stages: [{ words: ['echo', 'a b', 'c'] }, { words: ['cat'], stdoutFile: { path: 'out', append: false } }] }],
    });
    expect(parseCommandLine('| cat')).toMatchObject({ ok: false });
    expect(parseCommandLine("echo 'open")).toMatchObject({ ok: false, error: "unterminated ' quote" });
    expect(parseCommandLine('cat >')).toMatchObject({ ok: false });
  });

  it('runs lists joined by ; && || as sh does, with its exit status', async () => {
    expect(await call('qubes.VMShell', '', 'echo a; echo b\n')).toMatchObject({ code: 0, out: Buffer.from('a\nb\n') });
    expect((await call('qubes.VMShell', '', 'false && echo no || echo yes; echo end\n')).out.toString()).toBe('yes\nend\n');
    expect((await call('qubes.VMShell', '', 'true || echo no && echo yes\n')).out.toString()).toBe('yes\n');
    expect((await call('qubes.VMShell', '', 'true; false\n')).code).toBe(1);
    expect((await call('qubes.VMShell', '', 'false; true\n')).code).toBe(0);
    expect((await call('qubes.VMShell', '', 'false && true\n')).code).toBe(1);
    expect((await call('qubes.VMShell', '', 'echo x > f; cat f f; echo hi | sha256sum;\n')).out.toString()).toBe(`x\nx\n${sha('hi\n')}`);
  });

  it('quotes and escapes words as sh does', async () => {
    expect((await call('qubes.VMShell', '', `echo "a\\"b;" 'c\\d' e\\ f\\;g "$" # not an argument\n`)).out.toString()).toBe('a"b; c\\d e f;g $\n');
    expect((await call('qubes.VMShell', '', `echo 'a;b' "c&&d" e\\|\\|f\n`)).out.toString()).toBe('a;b c&&d e||f\n');
  });

  it('refuses by name what sh would do and this shell cannot, running nothing', async () => {
    const refused = async (line: string) => {
      const r = await call('qubes.VMShell', '', `echo ran > ran; ${line}\n`);
      return { code: r.code, err: r.err.toString(), ran: vm.objects.files.has('ran') };
    };
    vm.objects.files.delete('ran');
    expect(await refused('echo $HOME')).toEqual({ code: 2, err: 'sh: expansions ($H…) are not supported\n', ran: false });
    expect(await refused('echo "$(id)"')).toMatchObject({ code: 2, err: 'sh: expansions ($(…) are not supported\n', ran: false });
    expect(await refused('echo `id`')).toMatchObject({ code: 2, err: 'sh: command substitution (`…`) is not supported\n' });
    expect(await refused('sha256sum 2>err')).toMatchObject({ code: 2, err: 'sh: fd redirections (2>) are not supported\n' });
    expect(await refused('echo a & echo b')).toMatchObject({ code: 2, err: 'sh: background jobs (&) are not supported\n' });
    expect(await refused('(echo a)')).toMatchObject({ code: 2, err: 'sh: subshells ( … ) are not supported\n' });
    expect(await refused('cat *.txt')).toMatchObject({ code: 2, err: 'sh: patterns (*) are not supported: quote the word\n' });
    expect(await refused('X=1 echo')).toMatchObject({ code: 2, err: 'sh: variable assignments (X=…) are not supported\n' });
    expect(await refused('echo a &&')).toMatchObject({ code: 2, err: "sh: syntax error near '&&'\n" });
    expect(await refused('echo a ;; echo b')).toMatchObject({ code: 2, ran: false });
  });
});
