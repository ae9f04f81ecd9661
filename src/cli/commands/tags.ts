/** qvm-tags: list, test, add and remove tags of a VM. */
import { Command } from 'commander';
import { apiClient, unwrap } from '../client.js';
import { CliError, EXIT_RUNTIME, usage } from '../cli-error.js';

const LIST = ['list', 'ls', 'l'];
const ADD = ['add', 'a', 'set'];
const DEL = ['del', 'd', 'unset', 'u'];

export function define(cmd: Command): Command {
  return cmd
    .description('Manage tags of a VM')
    .argument('<vmname>', 'the VM')
    .argument('[command]', 'list|add|del (list when absent)', 'list')
    .argument('[tags...]', 'tags')
    .action(async (name: string, command: string, tags: string[]) => {
      const api = apiClient();
      if (LIST.includes(command)) return list(api, name, tags);
      if (tags.length === 0) throw usage(`${command} needs at least one tag`);
      if (ADD.includes(command)) {
        for (const tag of tags) unwrap(await api.PUT('/api/v1/vms/{name}/tags/{tag}', { params: { path: { name, tag } } }));
        return;
      }
      if (DEL.includes(command)) {
        for (const tag of tags) {
          const result = await api.DELETE('/api/v1/vms/{name}/tags/{tag}', { params: { path: { name, tag } } });
          if (result.error?.code !== 'TAG_NOT_FOUND') unwrap(result);
        }
        return;
      }
      throw usage(`unknown command '${command}': use list, add or del`);
    });
}

async function list(api: ReturnType<typeof apiClient>, name: string, wanted: string[]): Promise<void> {
  if (wanted.length > 1) throw usage('list takes at most one tag');
  const { tags } = unwrap(await api.GET('/api/v1/vms/{name}/tags', { params: { path: { name } } }));
  if (wanted.length === 1) {
    if (!tags.includes(wanted[0])) throw new CliError(EXIT_RUNTIME, '');
    process.stdout.write(`${wanted[0]}\n`);
    return;
  }
  process.stdout.write(tags.map((t) => `${t}\n`).join(''));
}
