/** qvm-features: list, get, set and remove features of a VM. */
import { Command, Option } from 'commander';
import { apiClient, unwrap } from '../client.js';
import { CliError, EXIT_RUNTIME, usage } from '../cli-error.js';

export function define(cmd: Command): Command {
  return cmd
    .description('Manage features of a VM')
    .argument('<vmname>', 'the VM')
    .argument('[feature]', 'feature to show or set')
    .argument('[value]', 'new value')
    .option('-D, --unset', 'remove the feature (also --default, --delete)')
    .addOption(new Option('--default').hideHelp())
    .addOption(new Option('--delete').hideHelp())
    .action(async (name: string, feature: string | undefined, value: string | undefined, flags: FeatureFlags) => {
      const api = apiClient();
      const opts = { unset: flags.unset || flags.default || flags.delete };
      if (!feature) {
        if (opts.unset) throw usage('--unset needs a feature');
        const { features } = unwrap(await api.GET('/api/v1/vms/{name}/features', { params: { path: { name } } }));
        const width = Math.max(0, ...Object.keys(features).map((f) => f.length));
        process.stdout.write(Object.entries(features).map(([k, v]) => `${k.padEnd(width)}  ${v}`.trimEnd() + '\n').join(''));
        return;
      }
      const path = { name, feature };
      if (opts.unset) {
        if (value !== undefined) throw usage('--unset takes no value');
        const result = await api.DELETE('/api/v1/vms/{name}/features/{feature}', { params: { path } });
        if (result.error?.code !== 'FEATURE_NOT_FOUND') unwrap(result);
        return;
      }
      if (value !== undefined) {
        unwrap(await api.PUT('/api/v1/vms/{name}/features/{feature}', { params: { path }, body: { value } }));
        return;
      }
      const result = await api.GET('/api/v1/vms/{name}/features/{feature}', { params: { path } });
      if (result.error?.code === 'FEATURE_NOT_FOUND') throw new CliError(EXIT_RUNTIME, '');
      process.stdout.write(`${unwrap(result).value}\n`);
    });
}

interface FeatureFlags {
  unset?: boolean;
  default?: boolean;
  delete?: boolean;
}
