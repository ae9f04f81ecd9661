/**
 * qvm-check: for scripts, whether VMs exist or are in a state, by the exit code as Qubes' tool
 * gives it: 0 when every VM named exists (and, with state options, every one is in that state),
 * 1 when none is or one does not exist, 3 when only some are. Each VM's answer goes to stderr
 * (`work: running`) unless -q. Running is Qubes' is_running(): any state but Halted, Crashed and
 * Cella's Suspended (the VM is in a file). --halted is Cella's addition.
 */
import { Command } from 'commander';
import { allVms, apiClient, type Vm } from '../client.js';
import { CliError, EXIT_OK } from '../cli-error.js';

const NOT_RUNNING: readonly Vm['state'][] = ['halted', 'crashed', 'suspended'];

interface CheckOptions {
  all?: boolean;
  exclude?: string[];
  running?: boolean;
  paused?: boolean;
  halted?: boolean;
  template?: boolean;
  quiet?: boolean;
}

const FILTERS: { flag: keyof CheckOptions; status: string; test: (vm: Vm) => boolean }[] = [
  { flag: 'running', status: 'running', test: (vm) => !NOT_RUNNING.includes(vm.state) },
  { flag: 'paused', status: 'paused', test: (vm) => vm.state === 'paused' },
  { flag: 'halted', status: 'halted', test: (vm) => vm.state === 'halted' },
  { flag: 'template', status: 'template', test: (vm) => vm.class === 'TemplateVM' },
];

/** Exit codes of Qubes' qvm-check. */
const EXIT_NONE = 1;
const EXIT_SOME = 3;

export function define(cmd: Command): Command {
  return cmd
    .description('Exit 0 if the VMs exist (and are in the state asked for), 1 if none is or one does not exist, 3 if only some are')
    .argument('[vmname...]', 'VMs to check')
    .option('--all', 'check all VMs (but dom0)')
    .option('--exclude <vmname...>', 'with --all, leave these out')
    .option('--running', 'are they running (any state but halted, crashed, suspended)')
    .option('--paused', 'are they paused')
    .option('--halted', 'are they halted')
    .option('--template', 'are they TemplateVMs')
    .option('-q, --quiet', 'print nothing: the exit code tells')
    .action(async (names: string[], opts: CheckOptions) => {
      if (opts.exclude && !opts.all) throw new CliError(2, '--exclude only goes with --all');
      if (Boolean(opts.all) === names.length > 0) throw new CliError(2, opts.all ? 'give VM names or --all, not both' : 'name at least one VM, or use --all');
      const vms = await allVms(apiClient());
      const chosen = opts.all ? vms.filter((vm) => vm.class !== 'AdminVM' && !(opts.exclude ?? []).includes(vm.name)) : vms.filter((vm) => names.includes(vm.name));
      const missing = opts.all ? [] : [...new Set(names)].filter((n) => !chosen.some((vm) => vm.name === n)).sort();
      const say = (line: string) => opts.quiet || process.stderr.write(`${line}\n`);
      const filters = FILTERS.filter((f) => opts[f.flag]);
      let code = EXIT_OK;
      if (filters.length > 0) {
        const status = filters.map((f) => f.status).join(', ');
        const matching = chosen.filter((vm) => filters.every((f) => f.test(vm))).sort((a, b) => (a.name < b.name ? -1 : 1));
        if (matching.length < chosen.length) code = matching.length === 0 ? EXIT_NONE : EXIT_SOME;
        if (matching.length === 0) say(`None of qubes: ${status}`);
        for (const vm of matching) say(`${vm.name}: ${status}`);
      } else {
        if (chosen.length === 0) code = EXIT_NONE;
        for (const vm of [...chosen].sort((a, b) => (a.name < b.name ? -1 : 1))) say(`${vm.name}: exists`);
      }
      for (const name of missing) say(`${name}: non-existent!`);
      if (missing.length > 0) code = EXIT_NONE;
      if (code !== EXIT_OK) throw new CliError(code, '');
    });
}
