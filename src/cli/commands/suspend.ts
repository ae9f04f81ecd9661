/**
 * qvm-suspend, qvm-resume and `qvm snapshot ls|rm|prune`: suspend to file and resume.
 * Several VMs named together (or --all) are suspended as one group, into one consistent file.
 * Without --wait a command returns once the manager has begun (the VMs are stopped, or their file
 * has been verified and the restore begins); a failure after that is on the event stream
 * (domain-suspend-failed, domain-resume-failed), as for qvm-shutdown without --wait. With --wait
 * it returns when the file is durable or the VMs run again, and on a terminal it shows the bytes
 * written as a progress bar.
 */
import { Command } from 'commander';
import type WebSocket from 'ws';
import { apiClient, openWebSocket, problemError, serverUrl, unwrap, type Api } from '../client.js';
import { CliError, EXIT_RUNTIME, usage } from '../cli-error.js';
import { mustExist, resolveTargets, targetOptions, type TargetOptions } from '../targets.js';
import { columns } from '../columns.js';
import type { components } from '../../../openapi/api.js';

type Snapshot = components['schemas']['Snapshot'];

interface LiveEvent {
  type: 'event';
  event: string;
  subject: string | null;
  payload: Record<string, unknown>;
}

/** The manager's event stream, connected before a command is sent so that none of its events is missed. */
class EventWatch {
  private constructor(private readonly ws: WebSocket) {}

  static async open(): Promise<EventWatch> {
    const ws = await openWebSocket('/api/v1/events');
    return new Promise((resolve, reject) => {
      ws.once('message', () => resolve(new EventWatch(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new CliError(EXIT_RUNTIME, `the event stream was refused (HTTP ${res.statusCode})`)));
      ws.once('error', (err) => reject(new CliError(EXIT_RUNTIME, `cannot reach the Cella manager at ${serverUrl()} (${err.message}); is it running? (CELLA_URL)`)));
    });
  }

  on(listener: (e: LiveEvent) => void): void {
    this.ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as LiveEvent | { type: string };
      if (msg.type === 'event') listener(msg as LiveEvent);
    });
  }

  /** Resolves once `event` has been seen for every VM of `names`. */
  seenFor(event: string, names: readonly string[]): Promise<void> {
    const left = new Set(names);
    return new Promise((resolve) => {
      if (left.size === 0) resolve();
      this.on((e) => {
        if (e.event === event && e.subject !== null && left.delete(e.subject) && left.size === 0) resolve();
      });
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

/** A bar of bytes written, on stderr when it is a terminal; nothing otherwise. */
async function progressBar(watch: EventWatch, label: string): Promise<{ stop(): void }> {
  if (!process.stderr.isTTY) return { stop() {} };
  const { SingleBar } = await import('cli-progress');
  const bar = new SingleBar(
    { stream: process.stderr, format: `${label} [{bar}] {percentage}% | {done} of {all}`, hideCursor: true, clearOnComplete: false },
  );
  let started = false;
  watch.on((e) => {
    if (e.event !== 'snapshot-progress') return;
    const done = Number(e.payload.bytes_done);
    const total = Number(e.payload.bytes_total);
    if (!started) bar.start(total, 0, { done: size(0), all: size(total) });
    started = true;
    bar.update(done, { done: size(done), all: size(total) });
  });
  return { stop: () => started && bar.stop() };
}

/**
 * Sends `request` with the event stream open; resolves with its result under --wait, or once `begun`
 * has been seen for every target (the request goes on in the manager) without it.
 */
async function run<T>(
  targets: readonly string[], phase: 'suspend' | 'resume', wait: boolean, label: string,
  request: (api: Api, signal: AbortSignal) => Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T | null> {
  const api = apiClient();
  const watch = await EventWatch.open();
  const bar = wait ? await progressBar(watch, label) : { stop() {} };
  const begun = watch.seenFor(phase === 'suspend' ? 'domain-pre-suspend' : 'domain-pre-resume', targets);
  const ended = watch.seenFor(phase === 'suspend' ? 'domain-suspended' : 'domain-resumed', targets);
  const leave = new AbortController();
  try {
    const done = request(api, leave.signal).then((r) => unwrap(r));
    // with nothing to see begin (a snapshot nobody is suspended into), the answer is what there is to tell
    if (wait || targets.length === 0) {
      const result = await done;
      // the stream's last events (progress, then the end) may come after the answer: show them all
      await Promise.race([ended, new Promise((r) => setTimeout(r, 2000).unref())]);
      return result;
    }
    const result = await Promise.race([done, begun.then(() => null)]);
    // begun: the manager carries the command through whether or not anyone waits for its answer
    done.catch(() => undefined);
    leave.abort();
    return result;
  } finally {
    bar.stop();
    watch.close();
  }
}

export function defineSuspend(cmd: Command): Command {
  return targetOptions(cmd.description('Suspend VMs to a file; VMs named together (or --all) go into one file, consistently'))
    .option('--file <name>', 'the file name in the snapshot directory (NAME.cella)')
    .option('--wait', 'wait until the file is written and durable (a progress bar on a terminal); without it, a write that fails later is only on the event stream')
    .action(async (names: string[], opts: TargetOptions & { file?: string; wait?: boolean }) => {
      if (opts.exclude && !opts.all) throw usage('--exclude only goes with --all');
      if (opts.all && names.length > 0) throw usage('give VM names or --all, not both');
      if (!opts.all && names.length === 0) throw usage('name at least one VM, or use --all');
      const file = opts.file ? { file: opts.file } : {};
      // the VMs --all takes, to know when each has begun (the manager picks them again, atomically)
      const targets = opts.all ? await resolveTargets(apiClient(), [], opts, ['running', 'paused']) : [...new Set(names)];
      if (!opts.all) await mustExist(apiClient(), targets);
      if (opts.all && targets.length === 0) return;
      const wait = Boolean(opts.wait);
      let snapshot: Snapshot | null;
      if (!opts.all && targets.length === 1) {
        const r = await run(targets, 'suspend', wait, `suspending ${targets[0]}`, (api, signal) =>
          api.POST('/api/v1/vms/{name}/suspend', { params: { path: { name: targets[0] } }, body: file, signal }),
        );
        snapshot = r?.snapshot ?? null;
      } else {
        snapshot = await run(targets, 'suspend', wait, `suspending ${targets.length} VMs`, (api, signal) =>
          api.POST('/api/v1/snapshots', { body: opts.all ? { all: true, exclude: opts.exclude ?? [], ...file } : { vms: targets, all: false, exclude: [], ...file }, signal }),
        );
      }
      if (snapshot) process.stdout.write(`${snapshot.id}\n`);
    });
}

export function defineResume(cmd: Command): Command {
  return targetOptions(cmd.description('Resume suspended VMs from their snapshot files'))
    .option('--snapshot <id>', 'resume every VM suspended into this snapshot')
    .option('--wait', 'wait until the VMs run again')
    .action(async (names: string[], opts: TargetOptions & { snapshot?: string; wait?: boolean }) => {
      const wait = Boolean(opts.wait);
      if (opts.snapshot) {
        if (names.length > 0 || opts.all) throw usage('--snapshot names the VMs itself: give no VM names and no --all');
        const id = opts.snapshot;
        const row = unwrap(await apiClient().GET('/api/v1/snapshots/{id}', { params: { path: { id } } }));
        await run(row.suspended, 'resume', wait, `resuming ${id}`, (api, signal) => api.POST('/api/v1/snapshots/{id}/resume', { params: { path: { id } }, signal }));
        return;
      }
      const targets = await resolveTargets(apiClient(), names, opts, ['suspended']);
      const results = await Promise.allSettled(
        targets.map((name) =>
          run([name], 'resume', wait, `resuming ${name}`, (api, signal) => api.POST('/api/v1/vms/{name}/resume', { params: { path: { name } }, body: {}, signal })),
        ),
      );
      let failures = 0;
      results.forEach((r, i) => {
        if (r.status === 'rejected') {
          failures++;
          process.stderr.write(`qvm-resume: error: ${targets[i]}: ${(r.reason as Error).message}\n`);
        }
      });
      if (failures > 0) throw new CliError(EXIT_RUNTIME, '');
    });
}

export function defineSnapshot(cmd: Command): Command {
  cmd.description('List and remove suspend files (the snapshot index)');
  cmd
    .command('ls')
    .description('List snapshots, newest first')
    .option('--json', 'print them as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { snapshots, orphans } = unwrap(await apiClient().GET('/api/v1/snapshots'));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(snapshots, null, 2)}\n`);
        return;
      }
      const rows = snapshots.map((s) => [s.id, s.vms.map((v) => v.name).join(','), size(s.bytes), s.created_at.replace(/\.\d+Z$/, 'Z'), s.reason, s.suspended.join(',') || '-']);
      // a file without an index entry: its name stands for its id (qvm snapshot rm FILE)
      for (const o of orphans) rows.push([o.file, '-', size(o.bytes), o.modified_at.replace(/\.\d+Z$/, 'Z'), 'orphan', '-']);
      process.stdout.write(columns([['ID', 'VMS', 'SIZE', 'CREATED', 'REASON', 'SUSPENDED'], ...rows]));
    });
  cmd
    .command('prune')
    .description('Remove every snapshot no VM is suspended into, with its file (nobody can resume from it)')
    .option('--orphans', 'remove the files without an index entry too')
    .action(async (opts: { orphans?: boolean }) => {
      const removed = unwrap(await apiClient().POST('/api/v1/snapshots/prune', { body: { orphans: Boolean(opts.orphans) } }));
      for (const id of [...removed.snapshots, ...removed.orphans]) process.stdout.write(`${id}\n`);
    });
  cmd
    .command('rm')
    .description('Remove snapshots and their files (refused while a VM is suspended into one), or orphan files by name')
    .argument('<id...>', 'snapshot ids, or names of files without an index entry')
    .action(async (ids: string[]) => {
      let failures = 0;
      for (const id of ids) {
        const res = await apiClient().DELETE('/api/v1/snapshots/{id}', { params: { path: { id } } });
        if (res.error !== undefined || !res.response.ok) {
          failures++;
          process.stderr.write(`qvm-snapshot: error: ${problemError(res.error, res.response).message}\n`);
        }
      }
      if (failures > 0) throw new CliError(EXIT_RUNTIME, '');
    });
  return cmd;
}

/** Bytes as Qubes' tools print sizes: KiB, MiB, GiB with one decimal. */
function size(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}
