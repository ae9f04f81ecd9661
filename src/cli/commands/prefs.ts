/** qvm-prefs: show, set and reset VM properties. */
import { Command } from 'commander';
import { apiClient, getVm, propertyCatalogue, unwrap, type PropertyInfo, type Vm } from '../client.js';
import { usage } from '../cli-error.js';
import { formatValue, parsePropertyValue } from '../property-text.js';

export function define(cmd: Command): Command {
  return cmd
    .description('List, get, set or reset properties of a VM')
    .argument('[vmname]', 'the VM')
    .argument('[property]', 'property to show or set')
    .argument('[value]', 'new value')
    .option('-D, --default', 'reset the property to its default')
    .option('--hide-default', 'do not show properties that have their default value')
    .option('-g, --get', 'accepted for older scripts, as in Qubes (PROPERTY alone gets it)')
    .option('-s, --set', 'accepted for older scripts, as in Qubes (PROPERTY VALUE sets it)')
    .option('--help-properties', 'list the properties with their documentation')
    .action(async (name: string | undefined, typed: string | undefined, value: string | undefined, opts: PrefsOptions) => {
      // Qubes takes shutdown-timeout for shutdown_timeout
      const property = typed?.replace(/-/g, '_');
      const api = apiClient();
      const catalogue = await propertyCatalogue(api);
      if (opts.helpProperties) return print(helpText(catalogue));
      if (!name) throw usage('missing required argument: vmname');
      const vm = await getVm(api, name);
      if (!property) return print(table(vm, catalogue, Boolean(opts.hideDefault)));
      const prop = catalogue.find((p) => p.name === property && p.classes.includes(vm.class));
      if (!prop) throw usage(`no such property: '${property}'`);
      if (opts.default) {
        if (value !== undefined) throw usage('--default takes no value');
        return void unwrap(await api.PATCH('/api/v1/vms/{name}', { params: { path: { name } }, body: { [property]: null } }));
      }
      if (value === undefined) {
        if (opts.hideDefault && vm.defaults.includes(property)) return;
        return print(`${formatValue(vm[property as keyof Vm])}\n`);
      }
      const body = { [property]: parsePropertyValue(prop, value) };
      unwrap(await api.PATCH('/api/v1/vms/{name}', { params: { path: { name } }, body }));
    });
}

interface PrefsOptions {
  default?: boolean;
  hideDefault?: boolean;
  helpProperties?: boolean;
}

function print(text: string): void {
  process.stdout.write(text);
}

/** `name  flag  value`: flag `-` = set on this VM, `D` = default. */
function table(vm: Vm, catalogue: PropertyInfo[], hideDefault: boolean): string {
  const props = catalogue.filter((p) => p.classes.includes(vm.class) && !(hideDefault && vm.defaults.includes(p.name)));
  const width = Math.max(...props.map((p) => p.name.length));
  return props
    .map((p) => {
      const flag = vm.defaults.includes(p.name) ? 'D' : '-';
      return `${p.name.padEnd(width)}  ${flag}  ${formatValue(vm[p.name as keyof Vm])}`.trimEnd();
    })
    .map((l) => `${l}\n`)
    .join('');
}

function helpText(catalogue: PropertyInfo[]): string {
  return catalogue.map((p) => `${p.name} (${p.type}${p.readonly ? ', read-only' : ''}): ${p.doc}\n`).join('');
}
