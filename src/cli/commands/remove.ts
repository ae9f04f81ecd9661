/** qvm-remove: remove VMs, after asking unless --force. */
import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { apiClient, unwrap } from '../client.js';
import { CliError, EXIT_RUNTIME } from '../cli-error.js';

export function define(cmd: Command): Command {
  return cmd
    .description('Remove VMs')
    .argument('<vmname...>', 'VMs to remove')
    .option('-f, --force', 'do not ask for confirmation')
    .action(async (names: string[], opts: { force?: boolean }) => {
      if (!opts.force && !(await confirm(`This will completely remove the selected VM(s): ${names.join(', ')}`))) {
        throw new CliError(EXIT_RUNTIME, 'remove cancelled');
      }
      const api = apiClient();
      for (const name of names) unwrap(await api.DELETE('/api/v1/vms/{name}', { params: { path: { name } } }));
    });
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question}\nAre you sure? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } catch {
    return false;
  } finally {
    rl.close();
  }
}
