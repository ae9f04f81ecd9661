/** qvm-ls: list VMs in columns (a preset format or chosen fields), as raw data, as bare names, or as JSON. */
import { Command, Option } from 'commander';
import { allVms, apiClient, hostView, propertyCatalogue, type HostView, type PropertyInfo, type Vm } from '../client.js';
import { CliError, EXIT_NO_SUCH_VM, usage } from '../cli-error.js';
import { columns } from '../columns.js';
import { formatValue } from '../property-text.js';
import { QUBES_STATE_NAMES } from '../state-names.js';

/** Qubes' preset formats, with the columns Cella has (no network: no NETVM, IP). */
export const FORMATS: Record<string, string[]> = {
  simple: ['NAME', 'STATE', 'CLASS', 'LABEL', 'TEMPLATE', 'MEMORY', 'VCPUS'],
  full: ['NAME', 'STATE', 'CLASS', 'LABEL', 'QID', 'UUID'],
  kernel: ['NAME', 'STATE', 'CLASS', 'TEMPLATE', 'KERNEL'],
  prefs: ['NAME', 'LABEL', 'TEMPLATE', 'VCPUS', 'MAXMEM', 'KERNEL', 'AUTOSTART', 'ON-HOST-STOP'],
  host: ['NAME', 'STATE', 'CLASS', 'CPU', 'CPU%', 'MEMORY', 'VCPUS'],
};

/** A running VM's place on the host (GET /api/v1/host), for the CPU columns. */
type HostRow = HostView['vms'][number];

/** Columns with their own rule; any other column is the property of that name. */
const SPECIAL: Record<string, { doc: string; cell: (vm: Vm, host: HostRow | undefined) => string; host?: true }> = {
  NAME: { doc: 'The VM name.', cell: (vm) => vm.name },
  STATE: { doc: "Qubes' power state: Running, Halted, Paused, Transient, Halting, Crashed, Suspending, Suspended.", cell: (vm) => QUBES_STATE_NAMES[vm.state] },
  CLASS: { doc: 'The VM class: AppVM, TemplateVM, StandaloneVM, DispVM or AdminVM.', cell: (vm) => vm.class },
  MEMORY: { doc: 'Memory the VM has now, in MiB (0 when it is not running); the property is `qvm-prefs VM memory`.', cell: (vm) => (vm.state === 'halted' || vm.state === 'crashed' ? '0' : String(vm.memory)) },
  TAGS: { doc: 'The VM’s tags, comma-separated.', cell: (vm) => vm.tags.join(',') },
  CPU: { doc: 'The host CPU (CPU worker) its vCPUs run on; - when it has no domain.', cell: (_vm, h) => (h ? String(h.cpu) : '-'), host: true },
  'CPU%': { doc: 'Its share of one host CPU over the last second (xentop CPU%); - when it has no domain.', cell: (_vm, h) => (h ? h.cpu_percent.toFixed(1) : '-'), host: true },
};

/** A column's key: the property name (`shutdown-timeout` and `SHUTDOWN_TIMEOUT` are `shutdown_timeout`). */
const keyOf = (column: string) => column.trim().toLowerCase().replace(/-/g, '_');
/** A column's head, as Qubes prints it: upper case, `-` for `_`. */
const headOf = (column: string) => column.trim().toUpperCase().replace(/_/g, '-');

export function cell(vm: Vm, column: string, host?: HostRow): string {
  const special = SPECIAL[headOf(column)];
  return special ? special.cell(vm, host) : formatValue(vm[keyOf(column) as keyof Vm]);
}

export function define(cmd: Command): Command {
  return cmd
    .description('List VMs and their state')
    .argument('[vmname...]', 'only these VMs')
    .option('--all', 'list all VMs (the default); needed for --exclude')
    .option('--exclude <vmname...>', 'with --all, leave these out')
    .addOption(new Option('-o, --format <format>', 'a preset list of columns (see --help-formats)').choices(Object.keys(FORMATS)))
    .addOption(new Option('-O, --fields <fields>', 'comma-separated columns (see --help-columns)').conflicts('format'))
    .option('--raw-data', 'no header, columns separated by |')
    .option('--raw-list', 'only the names, one a line (as --raw-data --fields name)')
    .option('--json', 'print the VMs as JSON')
    .option('--class <class...>', 'only VMs of these classes')
    .option('--tags <tag...>', 'only VMs with any of these tags')
    .option('--running', 'only running VMs')
    .option('--halted', 'only halted VMs')
    .option('--paused', 'only paused VMs')
    .option('--help-columns', 'list the columns with what they show, and exit')
    .option('--help-formats', 'list the preset formats with their columns, and exit')
    .action(async (names: string[], opts: LsOptions) => {
      if (opts.helpFormats) return void process.stdout.write(helpFormats());
      const api = apiClient();
      if (opts.helpColumns) return void process.stdout.write(helpColumns(await propertyCatalogue(api)));
      if (opts.exclude && !opts.all) throw usage('--exclude only goes with --all');
      if (opts.all && names.length > 0) throw usage('give VM names or --all, not both');
      const [vms, catalogue] = await Promise.all([allVms(api), opts.fields ? propertyCatalogue(api) : Promise.resolve(null)]);
      const cols = opts.rawList ? ['NAME'] : opts.fields ? fieldColumns(opts.fields, catalogue!) : FORMATS[opts.format ?? 'simple'];
      const chosen = select(vms, names, opts);
      const host = !opts.json && cols.some((c) => SPECIAL[c]?.host) ? new Map((await hostView(api)).vms.map((v) => [v.name, v])) : new Map<string, HostRow>();
      process.stdout.write(render(chosen, cols, opts, host));
    });
}

interface LsOptions {
  all?: boolean;
  exclude?: string[];
  format?: string;
  fields?: string;
  rawData?: boolean;
  rawList?: boolean;
  json?: boolean;
  class?: string[];
  tags?: string[];
  running?: boolean;
  halted?: boolean;
  paused?: boolean;
  helpColumns?: boolean;
  helpFormats?: boolean;
}

/** The columns --fields names; one that is neither a column nor a property is a usage error naming the valid ones. */
function fieldColumns(fields: string, catalogue: PropertyInfo[]): string[] {
  const cols = fields.split(',').map((f) => f.trim()).filter(Boolean);
  if (cols.length === 0) throw usage('--fields needs at least one column');
  const valid = [...Object.keys(SPECIAL), ...catalogue.map((p) => headOf(p.name)).filter((h) => !SPECIAL[h])];
  const unknown = cols.find((c) => !valid.includes(headOf(c)));
  if (unknown !== undefined) throw usage(`no such column: '${unknown}' (columns: ${valid.join(', ')})`);
  return cols.map(headOf);
}

function select(vms: Vm[], names: string[], opts: LsOptions): Vm[] {
  const missing = names.filter((n) => !vms.some((vm) => vm.name === n));
  if (missing.length > 0) throw new CliError(EXIT_NO_SUCH_VM, `no such domain: '${missing[0]}'`);
  const states = [opts.running && 'running', opts.halted && 'halted', opts.paused && 'paused'].filter(Boolean);
  return vms.filter(
    (vm) =>
      (names.length === 0 || names.includes(vm.name)) &&
      !(opts.exclude ?? []).includes(vm.name) &&
      (!opts.class || opts.class.includes(vm.class)) &&
      (!opts.tags || opts.tags.some((t) => vm.tags.includes(t))) &&
      (states.length === 0 || states.includes(vm.state)),
  );
}

function render(vms: Vm[], cols: string[], opts: LsOptions, host: ReadonlyMap<string, HostRow>): string {
  if (opts.json) return `${JSON.stringify(vms, null, 2)}\n`;
  const rows = vms.map((vm) => cols.map((c) => cell(vm, c, host.get(vm.name))));
  if (opts.rawData || opts.rawList) return rows.map((r) => `${r.join('|')}\n`).join('');
  return columns([cols, ...rows]);
}

function helpFormats(): string {
  const width = Math.max(...Object.keys(FORMATS).map((f) => f.length));
  return `Available formats:\n${Object.entries(FORMATS).map(([f, cols]) => `  ${f.padEnd(width)}  ${cols.join(',')}\n`).join('')}`;
}

function helpColumns(catalogue: PropertyInfo[]): string {
  const entries: [string, string][] = [
    ...Object.entries(SPECIAL).map(([head, c]): [string, string] => [head, c.doc]),
    ...catalogue.filter((p) => !SPECIAL[headOf(p.name)]).map((p): [string, string] => [headOf(p.name), p.doc]),
  ];
  const width = Math.max(...entries.map(([h]) => h.length));
  return `Available columns:\n${entries.map(([h, doc]) => `  ${h.padEnd(width)}  ${doc}\n`).join('')}\nEach property column is the property of that name (qvm-prefs --help-properties).\n`;
}
