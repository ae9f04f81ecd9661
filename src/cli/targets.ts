/** Which VMs a multi-VM command acts on: the names given, or --all less --exclude (Qubes' rules). */
import type { Command } from 'commander';
import { allVms, getVm, type Api } from './client.js';
import { usage } from './cli-error.js';

export interface TargetOptions {
  all?: boolean;
  exclude?: string[];
}

export function targetOptions(cmd: Command): Command {
  return cmd
    .argument('[vmname...]', 'VMs to act on')
    .option('--all', 'act on all VMs (but dom0)')
    .option('--exclude <vmname...>', 'with --all, leave these out');
}

/** With --all, only VMs in one of `states` (the ones the action applies to), as Qubes' tools pick them. */
export async function resolveTargets(api: Api, names: string[], opts: TargetOptions, states?: readonly string[]): Promise<string[]> {
  if (opts.exclude && !opts.all) throw usage('--exclude only goes with --all');
  if (opts.all) {
    if (names.length > 0) throw usage('give VM names or --all, not both');
    const vms = await allVms(api);
    return vms
      .filter((vm) => vm.class !== 'AdminVM' && !(opts.exclude ?? []).includes(vm.name) && (!states || states.includes(vm.state)))
      .map((vm) => vm.name);
  }
  if (names.length === 0) throw usage('name at least one VM, or use --all');
  await mustExist(api, names);
  return names;
}

/** As Qubes' tools read their VM names before they act: a name that is no VM is exit 2 and nothing is done. */
export async function mustExist(api: Api, names: readonly string[]): Promise<void> {
  const found = await Promise.allSettled([...new Set(names)].map((name) => getVm(api, name)));
  const missing = found.find((r) => r.status === 'rejected');
  if (missing) throw (missing as PromiseRejectedResult).reason;
}
