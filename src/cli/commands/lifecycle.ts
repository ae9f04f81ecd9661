/** qvm-start, qvm-shutdown, qvm-kill, qvm-pause, qvm-unpause: lifecycle actions on one or many VMs. */
import { Command, Option } from 'commander';
import { apiClient, problemError, type Api } from '../client.js';
import { CliError, EXIT_RUNTIME } from '../cli-error.js';
import { resolveTargets, targetOptions, type TargetOptions } from '../targets.js';

type Action = 'start' | 'pause' | 'unpause' | 'kill';

/** The states an action applies to: what --all picks. */
const APPLIES: Record<Action | 'shutdown', readonly string[]> = {
  start: ['halted', 'crashed'],
  pause: ['running'],
  unpause: ['paused'],
  kill: ['starting', 'running', 'paused', 'halting'],
  shutdown: ['running'],
};

/** Runs `act` on every target in parallel; reports each failure on stderr; resolves to the failures. */
async function each(prog: string, targets: string[], act: (name: string) => Promise<void>): Promise<number> {
  const results = await Promise.allSettled(targets.map((name) => act(name)));
  let failures = 0;
  results.forEach((r, i) => {
    if (r.status === 'rejected') {
      failures++;
      process.stderr.write(`${prog}: error: ${targets[i]}: ${(r.reason as Error).message}\n`);
    }
  });
  return failures;
}

async function action(api: Api, name: string, act: Action): Promise<void> {
  const res = await api.POST(`/api/v1/vms/{name}/${act}`, { params: { path: { name } } });
  if (res.error !== undefined || !res.response.ok) throw problemError(res.error, res.response);
}

/** Refusals Qubes' qvm-kill and qvm-shutdown pass over: the VM is not running (halted, crashed) already. */
function notRunning(err: unknown): boolean {
  return err instanceof CliError && err.code === 'INVALID_STATE' && ['halted', 'crashed'].includes(String(err.details?.state));
}

/** The exit code: Qubes' tools give 1 for any failure, or the number of failures. */
function finish(failures: number, countFailures: boolean): void {
  if (failures > 0) throw new CliError(countFailures ? Math.min(failures, 255) : EXIT_RUNTIME, '');
}

export function defineStart(cmd: Command): Command {
  return targetOptions(cmd.description('Start VMs'))
    .option('--skip-if-running', 'do not fail for VMs that already run')
    .action(async (names: string[], opts: TargetOptions & { skipIfRunning?: boolean }) => {
      const api = apiClient();
      const targets = await resolveTargets(api, names, opts, APPLIES.start);
      const failures = await each(progOf(cmd), targets, async (name) => {
        try {
          await action(api, name, 'start');
        } catch (err) {
          if (opts.skipIfRunning && err instanceof CliError && err.code === 'INVALID_STATE' && /already running/.test(err.message)) return;
          throw err;
        }
      });
      finish(failures, false);
    });
}

export function defineSimple(act: 'pause' | 'unpause' | 'kill', description: string) {
  return (cmd: Command): Command =>
    targetOptions(cmd.description(description)).action(async (names: string[], opts: TargetOptions) => {
      const api = apiClient();
      const targets = await resolveTargets(api, names, opts, APPLIES[act]);
      const failures = await each(progOf(cmd), targets, async (name) => {
        try {
          await action(api, name, act);
        } catch (err) {
          if (act !== 'kill' || !notRunning(err)) throw err;
        }
      });
      finish(failures, false);
    });
}

export function defineShutdown(cmd: Command): Command {
  return targetOptions(cmd.description('Shut VMs down gracefully; they are killed when they do not within their shutdown_timeout'))
    .option('--wait', 'wait until the VMs have halted')
    .addOption(new Option('--timeout <seconds>', 'kill a VM this many seconds after asking (implies --wait)').argParser(seconds))
    .option('--force', 'shut down even if other VMs depend on it')
    .action(async (names: string[], opts: TargetOptions & { wait?: boolean; timeout?: number; force?: boolean }) => {
      const api = apiClient();
      const targets = await resolveTargets(api, names, opts, APPLIES.shutdown);
      const wait = Boolean(opts.wait || opts.timeout);
      const failures = await each(progOf(cmd), targets, async (name) => {
        const res = await api.POST('/api/v1/vms/{name}/shutdown', {
          params: { path: { name } },
          body: { wait, force: Boolean(opts.force || opts.all), ...(opts.timeout ? { timeout: opts.timeout } : {}) },
        });
        const err = res.error !== undefined || !res.response.ok ? problemError(res.error, res.response) : null;
        if (err && !notRunning(err)) throw err;
      });
      finish(failures, true);
    });
}

function seconds(text: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1 || v > 86_400) throw new CliError(2, `--timeout takes whole seconds (1–86400), not '${text}'`);
  return v;
}

function progOf(cmd: Command): string {
  return cmd.name().startsWith('qvm-') ? cmd.name() : `qvm-${cmd.name()}`;
}
