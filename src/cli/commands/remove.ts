/** qvm-remove: remove VMs, after asking unless --force. */
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { apiClient, unwrap } from '../client.js';
import { CliError, EXIT_RUNTIME } from '../cli-error.js';
import { mustExist } from '../targets.js';

export function define(cmd: Command): Command {
  return cmd
    .description('Remove VMs')
    .argument('<vmname...>', 'VMs to remove')
    .option('-f, --force', 'do not ask for confirmation')
    .action(async (names: string[], opts: { force?: boolean }) => {
      const api = apiClient();
      // a name that is no VM is exit 2 before anything is asked, as in Qubes
      await mustExist(api, names);
      if (!opts.force && !(await confirm(`This will completely remove the selected VM(s): ${names.join(', ')}\nAre you sure? [y/N] `))) {
        throw new CliError(EXIT_RUNTIME, 'remove cancelled');
      }
      for (const name of names) unwrap(await api.DELETE('/api/v1/vms/{name}', { params: { path: { name } } }));
    });
}

/** Asks on stderr; true for y or yes. The end of input (</dev/null, Ctrl-D) is no. */
function confirm(question: string): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: Boolean(process.stdin.isTTY) });
    let answered = false;
    rl.once('line', (answer) => {
      answered = true;
      // a terminal echoed the answer and its newline; piped input did not
      if (!process.stdin.isTTY) process.stderr.write('\n');
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
    rl.once('close', () => {
      if (answered) return;
      process.stderr.write('\n');
      resolve(false);
    });
    rl.setPrompt(question);
    rl.prompt();
  });
}
