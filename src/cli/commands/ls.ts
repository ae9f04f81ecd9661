/** qvm-ls: list VMs in columns, as raw data, or as JSON. */
import { Command, Option } from 'commander';
import Table from 'cli-table3';
import { allVms, apiClient, type Vm } from '../client.js';
import { CliError, EXIT_NO_SUCH_VM, EXIT_USAGE } from '../cli-error.js';
import { formatValue } from '../property-text.js';
import { QUBES_STATE_NAMES } from '../state-names.js';

export const DEFAULT_COLUMNS = ['NAME', 'STATE', 'CLASS', 'LABEL', 'TEMPLATE', 'MEMORY', 'VCPUS'];

/** Columns with their own rule; any other column is the property of that name. */
const SPECIAL: Record<string, (vm: Vm) => string> = {
  STATE: (vm) => QUBES_STATE_NAMES[vm.state],
  CLASS: (vm) => vm.class,
  MEMORY: (vm) => (vm.state === 'halted' || vm.state === 'crashed' ? '0' : String(vm.memory)),
};

export function cell(vm: Vm, column: string): string {
  const special = SPECIAL[column];
  if (special) return special(vm);
  const key = column.toLowerCase().replace(/-/g, '_') as keyof Vm;
  return key === 'tags' ? vm.tags.join(',') : formatValue(vm[key]);
}

export function define(cmd: Command): Command {
  return cmd
    .description('List VMs and their state')
    .argument('[vmname...]', 'only these VMs')
    .option('--raw-data', 'no header, columns separated by |')
    .option('--json', 'print the VMs as JSON')
    .addOption(new Option('-O, --fields <fields>', 'comma-separated columns (NAME,STATE,CLASS,… or any property)'))
    .option('--class <class...>', 'only VMs of these classes')
    .option('--tags <tag...>', 'only VMs with any of these tags')
    .option('--running', 'only running VMs')
    .option('--halted', 'only halted VMs')
    .option('--paused', 'only paused VMs')
    .action(async (names: string[], opts: LsOptions) => {
      const vms = select(await allVms(apiClient()), names, opts);
      process.stdout.write(render(vms, opts));
    });
}

interface LsOptions {
  rawData?: boolean;
  json?: boolean;
  fields?: string;
  class?: string[];
  tags?: string[];
  running?: boolean;
  halted?: boolean;
  paused?: boolean;
}

function select(vms: Vm[], names: string[], opts: LsOptions): Vm[] {
  const missing = names.filter((n) => !vms.some((vm) => vm.name === n));
  if (missing.length > 0) throw new CliError(EXIT_NO_SUCH_VM, `no such domain: '${missing[0]}'`);
  const states = [opts.running && 'running', opts.halted && 'halted', opts.paused && 'paused'].filter(Boolean);
  return vms.filter(
    (vm) =>
      (names.length === 0 || names.includes(vm.name)) &&
      (!opts.class || opts.class.includes(vm.class)) &&
      (!opts.tags || opts.tags.some((t) => vm.tags.includes(t))) &&
      (states.length === 0 || states.includes(vm.state)),
  );
}

function render(vms: Vm[], opts: LsOptions): string {
  if (opts.json) return `${JSON.stringify(vms, null, 2)}\n`;
  const columns = opts.fields ? opts.fields.split(',').map((f) => f.trim().toUpperCase()).filter(Boolean) : DEFAULT_COLUMNS;
  if (columns.length === 0) throw new CliError(EXIT_USAGE, '--fields needs at least one column');
  const rows = vms.map((vm) => columns.map((c) => cell(vm, c)));
  if (opts.rawData) return rows.map((r) => `${r.join('|')}\n`).join('');
  const table = new Table({ head: columns, chars: PLAIN, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 2 } });
  table.push(...rows);
  return `${table.toString().split('\n').map((l) => l.trimEnd()).join('\n')}\n`;
}

/** No borders: columns aligned by spaces, as qvm-ls prints. */
export const PLAIN = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '',
};
