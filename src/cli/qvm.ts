/**
 * `qvm`: the command line, a REST client of the manager and nothing more. Run as `qvm ls …`
 * or through its `qvm-ls`, `qvm-create`, … links, which name the command themselves.
 */
import { basename } from 'node:path';
import { Command, CommanderError } from 'commander';
import { CliError, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE } from './cli-error.js';
import * as check from './commands/check.js';
import * as clone from './commands/clone.js';
import * as create from './commands/create.js';
import * as features from './commands/features.js';
import * as ls from './commands/ls.js';
import * as prefs from './commands/prefs.js';
import * as remove from './commands/remove.js';
import * as tags from './commands/tags.js';
import * as consoleCmd from './commands/console.js';
import * as policy from './commands/policy.js';
import { defineEvtchn, defineGrants } from './commands/xen.js';
import { defineCall, defineRun } from './commands/run.js';
import { defineShutdown, defineSimple, defineStart } from './commands/lifecycle.js';
import { defineResume, defineSnapshot, defineSuspend } from './commands/suspend.js';

type Definer = (cmd: Command) => Command;

export const COMMANDS: Record<string, Definer> = {
  ls: ls.define,
  create: create.define,
  prefs: prefs.define,
  remove: remove.define,
  clone: clone.define,
  check: check.define,
  tags: tags.define,
  features: features.define,
  start: defineStart,
  shutdown: defineShutdown,
  kill: defineSimple('kill', 'Kill VMs at once'),
  pause: defineSimple('pause', 'Pause VMs (their vCPUs stop; memory is kept)'),
  unpause: defineSimple('unpause', 'Unpause paused VMs'),
  console: consoleCmd.define,
  policy: policy.define,
  evtchn: defineEvtchn,
  grants: defineGrants,
  run: defineRun,
  call: defineCall,
  suspend: defineSuspend,
  resume: defineResume,
  snapshot: defineSnapshot,
};

/** Errors as one line `prog: error: …`, and no process.exit inside commander: for the command and its subcommands. */
function configure(cmd: Command, prog: string): Command {
  cmd
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ outputError: (text, write) => write(`${prog}: ${text}`) });
  for (const sub of cmd.commands) configure(sub, prog);
  return cmd;
}

/** Runs the CLI on `argv` (without node and script) as program `invokedAs`; resolves to the exit code. */
export async function main(invokedAs: string, argv: string[]): Promise<number> {
  let prog = invokedAs;
  let program: Command;
  const single = /^qvm-(.+)$/.exec(invokedAs)?.[1];
  if (single && COMMANDS[single]) {
    program = configure(COMMANDS[single](new Command(invokedAs)), invokedAs);
  } else {
    program = configure(new Command('qvm').description('Cella: manage VMs'), 'qvm');
    for (const [name, define] of Object.entries(COMMANDS)) program.addCommand(configure(define(new Command(name)), `qvm-${name}`));
    prog = argv[0] && COMMANDS[argv[0]] ? `qvm-${argv[0]}` : 'qvm';
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (err) {
    return report(prog, err);
  }
}

function report(prog: string, err: unknown): number {
  if (err instanceof CommanderError) {
    return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (err instanceof CliError) {
    if (err.message) process.stderr.write(`${prog}: error: ${err.message}\n`);
    return err.exitCode;
  }
  process.stderr.write(`${prog}: error: ${err instanceof Error ? err.message : String(err)}\n`);
  return EXIT_RUNTIME;
}

export async function run(): Promise<void> {
  const invokedAs = basename(process.argv[1] ?? 'qvm').replace(/\.(m?js|ts)$/, '');
  process.exitCode = await main(invokedAs, process.argv.slice(2));
}
