/** qvm-clone: a copy of a VM under a new name (its properties, tags and features), made whole or not at all. */
import { Command, Option } from 'commander';
import { apiClient, unwrap } from '../client.js';
import { fieldOnly } from '../problem-text.js';

const CLASSES = ['AppVM', 'TemplateVM', 'StandaloneVM', 'DispVM'];

export function define(cmd: Command): Command {
  return cmd
    .description('Clone a VM: the new VM has its class, label, template, the properties set on it, its tags and features')
    .argument('<vmname>', 'the VM to clone')
    .argument('<newname>', 'name of the new VM')
    .addOption(new Option('-C, --class <class>', "class of the new VM (the source's when absent)").choices(CLASSES))
    .action(async (source: string, name: string, opts: { class?: string }) => {
      const body = { name, ...(opts.class ? { class: opts.class as never } : {}) };
      unwrap(await apiClient().POST('/api/v1/vms/{name}/clone', { params: { path: { name: source } }, body }), (path) =>
        path === 'body.name' ? 'new name' : path === 'body.class' ? '--class' : fieldOnly(path),
      );
    });
}
