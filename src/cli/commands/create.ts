/** qvm-create: create a VM. */
import { Command, Option } from 'commander';
import { apiClient, getVm, propertyCatalogue, unwrap } from '../client.js';
import { fieldOnly } from '../problem-text.js';
import { usage } from '../cli-error.js';
import { parsePropertyValue } from '../property-text.js';

const CLASSES = ['AppVM', 'TemplateVM', 'StandaloneVM', 'DispVM'];

export function define(cmd: Command): Command {
  return cmd
    .description('Create a new VM')
    .argument('<name>', 'name of the new VM')
    .requiredOption('-l, --label <label>', 'label (red, orange, yellow, green, gray, blue, purple, black)')
    .addOption(new Option('-C, --class <class>', 'VM class').choices(CLASSES).default('AppVM'))
    .option('-t, --template <template>', 'template to base the VM on')
    .option('-p, --prop <name=value>', 'set a property (once a flag, repeatable; also --property)', collect('--prop'), [])
    .addOption(new Option('--property <name=value>').argParser(collect('--property')).default([]).hideHelp())
    .action(async (name: string, opts: { label: string; class: string; template?: string; prop: string[]; property: string[] }) => {
      const api = apiClient();
      const props = [...opts.prop, ...opts.property];
      // Qubes finds the template before it creates anything: no such VM is exit 2
      const [properties] = await Promise.all([props.length > 0 ? parseProps(props, api) : {}, opts.template ? getVm(api, opts.template) : null]);
      unwrap(
        await api.POST('/api/v1/vms', {
          body: { name, label: opts.label as never, class: opts.class as never, template: opts.template, properties },
        }),
        createFields,
      );
    });
}

/** The request's fields by the options that set them. */
function createFields(path: string): string {
  const prop = /^body\.properties\.(.+)$/.exec(path);
  if (prop) return `--prop ${prop[1]}`;
  const option = /^body\.(label|template|class)$/.exec(path)?.[1];
  return option ? `--${option}` : fieldOnly(path);
}

/** A repeatable NAME=VALUE option (one pair a flag, as Qubes' --prop): each pair checked as it is read. */
function collect(flag: string) {
  return (pair: string, previous: string[]): string[] => {
    if (pair.indexOf('=') <= 0) throw usage(`${flag} takes NAME=VALUE, not '${pair}'`);
    return [...previous, pair];
  };
}

async function parseProps(pairs: string[], api: ReturnType<typeof apiClient>): Promise<Record<string, never>> {
  const catalogue = await propertyCatalogue(api);
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq).replace(/-/g, '_');
    const prop = catalogue.find((p) => p.name === key);
    if (!prop) throw usage(`no such property: '${key}'`);
    out[key] = parsePropertyValue(prop, pair.slice(eq + 1));
  }
  return out as Record<string, never>;
}
