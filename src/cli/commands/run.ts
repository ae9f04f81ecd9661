/**
 * qvm-run [-p] [--service] [--no-autostart] VM COMMAND…: runs a command line in a VM (through
 * qubes.VMShell, as Qubes' qvm-run does) or calls a service; `qvm call SOURCE TARGET SERVICE[+ARG]`
 * makes the call from inside SOURCE, as qrexec-client-vm run there, so the policy decides.
 * Exit codes: the remote one; 126 refused, 125 qrexec failure, 127 no such service.
 */
import { Command } from 'commander';
import { apiClient, unwrap } from '../client.js';
import { CliError } from '../cli-error.js';

async function readStdin(): Promise<Buffer> {
  if (process.stdin.isTTY) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function call(vm: string, body: { service: string; stdin: Buffer; autostart: boolean }, passIo: boolean): Promise<void> {
  const res = unwrap(
    await apiClient().POST('/api/v1/vms/{name}/qrexec', {
      params: { path: { name: vm } },
      body: { service: body.service, stdin: body.stdin.toString('base64'), autostart: body.autostart },
    }),
  );
  if (passIo) {
    process.stdout.write(Buffer.from(res.stdout, 'base64'));
    process.stderr.write(Buffer.from(res.stderr, 'base64'));
  }
  if (res.exit_code !== 0) throw new CliError(res.exit_code & 0xff, res.error ?? '');
}

export function defineRun(cmd: Command): Command {
  return cmd
    .description("Run a command in a VM (through qubes.VMShell), or call a service with --service")
    .argument('<vmname>', 'the VM')
    .argument('<command...>', 'the command line, or SERVICE[+ARG] with --service')
    .option('-p, --pass-io', 'pass stdin, stdout and stderr')
    .option('--service', 'COMMAND is a qrexec service name')
    .option('-n, --no-autostart', 'do not start a halted VM')
    .option('-u, --user <user>', 'accepted for compatibility; services run as the VM’s default user')
    .action(async (vm: string, words: string[], opts: { passIo?: boolean; service?: boolean; autostart: boolean }) => {
      const input = opts.passIo ? await readStdin() : Buffer.alloc(0);
      if (opts.service) return call(vm, { service: words.join(' '), stdin: input, autostart: opts.autostart }, Boolean(opts.passIo));
      const line = Buffer.from(`${words.join(' ')}\n`);
      return call(vm, { service: 'qubes.VMShell', stdin: Buffer.concat([line, input]), autostart: opts.autostart }, Boolean(opts.passIo));
    });
}

export function defineCall(cmd: Command): Command {
  return cmd
    .description('Call SERVICE[+ARG] of TARGET from inside SOURCE (qrexec-client-vm): the policy decides')
    .argument('<source>', 'the calling VM')
    .argument('<target>', 'the target VM (or @default, @dispvm…, as the policy resolves)')
    .argument('<service>', 'SERVICE[+ARG]')
    .option('-n, --no-autostart', 'do not start a halted SOURCE')
    .action(async (source: string, target: string, service: string, opts: { autostart: boolean }) => {
      const input = await readStdin();
      const line = Buffer.from(`qrexec-client-vm '${target.replace(/'/g, '')}' '${service.replace(/'/g, '')}'\n`);
      return call(source, { service: 'qubes.VMShell', stdin: Buffer.concat([line, input]), autostart: opts.autostart }, true);
    });
}
