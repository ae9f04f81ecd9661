/** qvm-console: print the tail of a VM's console, or follow it (-f) until the VM stops. */
import { Command } from 'commander';
import { apiClient, openWebSocket, unwrap } from '../client.js';
import { CliError, EXIT_RUNTIME } from '../cli-error.js';

export function define(cmd: Command): Command {
  return cmd
    .description("Show a VM's console output")
    .argument('<vmname>', 'the VM')
    .option('-f, --follow', 'keep printing new output until the VM stops')
    .option('-n, --bytes <n>', 'how many of the last bytes to print', '4096')
    .action(async (name: string, opts: { follow?: boolean; bytes: string }) => {
      const api = apiClient();
      if (!opts.follow) {
        const out = unwrap(await api.GET('/api/v1/vms/{name}/console', { params: { path: { name }, query: { tail: Number(opts.bytes) || 0 } } }));
        process.stdout.write(out.data);
        return;
      }
      unwrap(await api.GET('/api/v1/vms/{name}', { params: { path: { name } } }));
      await follow(name);
    });
}

async function follow(name: string): Promise<void> {
  const ws = await openWebSocket(`/api/v1/vms/${encodeURIComponent(name)}/console`);
  return new Promise((resolve, reject) => {
    ws.on('message', (data) => process.stdout.write(String(data)));
    ws.on('unexpected-response', (req, res) => {
      req.destroy();
      reject(new CliError(EXIT_RUNTIME, res.statusCode === 409 ? `${name} is not running` : `console refused (HTTP ${res.statusCode})`));
    });
    ws.on('error', (err) => reject(new CliError(EXIT_RUNTIME, err.message)));
    ws.on('close', (code, reason) => (code === 1000 || code === 1005 ? resolve() : reject(new CliError(EXIT_RUNTIME, reason.toString() || `closed (${code})`))));
    process.once('SIGINT', () => ws.close());
  });
}
