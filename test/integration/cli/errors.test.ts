import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
let env: Record<string, string>;
const qvm = (name: string, ...args: string[]) => runCli(name, args, env);

beforeAll(async () => {
  server = await startServer();
  env = { CELLA_URL: server.url };
  await fetch(`${server.url}/api/v1/vms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'work', class: 'StandaloneVM', label: 'red' }) });
});
afterAll(() => server.close());

/** A web server that is not Cella, answering every request with `status`, `type` and `body`. */
async function otherServer(status: number, type: string, body: string): Promise<{ url: string; close(): Promise<void> }> {
  const http: Server = createServer((_req, res) => res.writeHead(status, { 'content-type': type }).end(body));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { url, close: () => new Promise((resolve) => http.close(() => resolve())) };
}

describe('what the CLI says when it is refused', () => {
  it('says what it reached when the server is not Cella', async () => {
    const html = await otherServer(200, 'text/html', '<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head><body>…</body></html>');
    try {
      const res = await runCli('qvm-ls', [], { CELLA_URL: html.url });
      expect(res.code).toBe(1);
      expect(res.stderr).toBe(`qvm-ls: error: ${html.url} is not a Cella manager: GET /api/v1/vms answered HTTP 200, text/html: "<!DOCTYPE html> <html><head><title>Welcome to nginx!</title>…" (check CELLA_URL)\n`);
    } finally {
      await html.close();
    }
    const json = await otherServer(404, 'application/json', '{"error":"not found"}');
    try {
      const res = await runCli('qvm-start', ['work'], { CELLA_URL: json.url });
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(new RegExp(`^qvm-start: error: .*${json.url} is not a Cella manager: .* answered HTTP 404, application/json: "\\{\\\\"error\\\\":\\\\"not found\\\\"\\}" \\(check CELLA_URL\\)\\n$`));
    } finally {
      await json.close();
    }
  });

  it('names the option or property a refused value came from, in plain words', async () => {
    const create = await qvm('qvm-create', 'big', '-l', 'red', '-C', 'StandaloneVM', '--prop', 'memory=5000', '--prop', 'vcpus=0');
    expect(create).toMatchObject({ code: 1, stderr: 'qvm-create: error: --prop memory: at most 2047; --prop vcpus: at least 1\n' });
    const name = await qvm('qvm-create', '1x', '-l', 'red', '-C', 'StandaloneVM');
    expect(name.stderr).toBe('qvm-create: error: name: a letter first, then letters, digits, _ . - only\n');
    expect(await qvm('qvm-prefs', 'work', 'memory', '100000')).toMatchObject({ code: 1, stderr: 'qvm-prefs: error: memory: at most 2047\n' });
    expect(await qvm('qvm-prefs', 'work', 'vcpus', '0')).toMatchObject({ code: 1, stderr: 'qvm-prefs: error: vcpus: at least 1\n' });
  });

  it('exits 2 for a template that does not exist', async () => {
    const res = await qvm('qvm-create', 'x', '-l', 'red', '-t', 'nope');
    expect(res).toMatchObject({ code: 2, stderr: "qvm-create: error: no such domain: 'nope'\n" });
    expect((await fetch(`${server.url}/api/v1/vms/x`)).status).toBe(404);
  });

  it('refuses the history of a policy file that never was', async () => {
    const res = await runCli('qvm', ['policy', 'history', 'nope.policy'], env);
    expect(res).toMatchObject({ code: 1, stdout: '', stderr: "qvm-policy: error: no such policy file: 'nope.policy'\n" });
  });
});
