/** qvm policy: list, show, edit, remove, history, check, evaluate, import and export qrexec policy files. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import { apiClient, unwrap, type Api } from '../client.js';
import { CliError, EXIT_RUNTIME, usage } from '../cli-error.js';

const enc = (name: string) => ({ params: { path: { name } } });

export function define(cmd: Command): Command {
  cmd.description('Manage the qrexec policy');
  cmd.command('ls').description('List policy files').action(async () => {
    const { files } = unwrap(await apiClient().GET('/api/v1/policy/files'));
    print(files.map((f) => `${f.name}\t${f.etag}\t${f.updated_at}\t${f.updated_by}\n`).join(''));
  });
  cmd.command('show').argument('<name>').description('Print a policy file').action(async (name: string) => {
    print(unwrap(await apiClient().GET('/api/v1/policy/files/{name}', enc(name))).content);
  });
  cmd.command('rm').argument('<name>').description('Remove a policy file').action(async (name: string) => {
    unwrap(await apiClient().DELETE('/api/v1/policy/files/{name}', enc(name)));
  });
  cmd.command('history').argument('<name>').description('Versions of a policy file').action(async (name: string) => {
    const { versions } = unwrap(await apiClient().GET('/api/v1/policy/files/{name}/history', enc(name)));
    if (versions.length === 0) throw new CliError(EXIT_RUNTIME, `no such policy file: '${name}'`);
    print(versions.map((v) => `v${v.version}\t${v.action}\t${v.changed_at}\t${v.changed_by}\n`).join(''));
  });
  cmd.command('edit').argument('<name>').description('Edit a policy file in $EDITOR; refused changes keep your draft').action(edit);
  cmd.command('check').argument('<dir>').description('Lint a directory of policy files without writing anything').action(check);
  cmd.command('import').argument('<dir>').description('Write every policy file of a directory').action(importDir);
  cmd.command('export').argument('<dir>').description('Write every policy file to a directory').action(exportDir);
  cmd
    .command('eval')
    .arguments('<source> <target> <service>')
    .description('What the policy decides for SOURCE calling SERVICE[+ARG] on TARGET, and which rule decides')
    .action(async (source: string, target: string, service: string) => {
      const d = unwrap(await apiClient().POST('/api/v1/policy/evaluate', { body: { source, target, service, argument: '' } }));
      const where = d.rule ? `${d.rule.file}:${d.rule.line}: ${d.rule.text}` : 'no rule matched';
      const choices = d.ask_choices ? ` choices=${d.ask_choices.targets.join(',')}${d.ask_choices.default_target ? ` default=${d.ask_choices.default_target}` : ''}` : '';
      print(`${d.action}${d.target ? ` target=${d.target}` : ''}${choices}${d.action !== 'deny' && !d.autostart ? ' autostart=no' : ''}\n${where}\n`);
      if (d.action === 'deny') throw new CliError(EXIT_RUNTIME, '');
    });
  return cmd;
}

function print(text: string): void {
  process.stdout.write(text);
}

/** Policy files of a directory: NAME.policy at the top, and include/NAME. */
function readTree(dir: string): { name: string; content: string }[] {
  let top: string[];
  try {
    top = readdirSync(dir);
  } catch {
    throw usage(`cannot read directory '${dir}'`);
  }
  const files = top.filter((f) => f.endsWith('.policy')).map((f) => ({ name: f, content: readFileSync(join(dir, f), 'utf8') }));
  const include = join(dir, 'include');
  if (top.includes('include') && statSync(include).isDirectory()) {
    for (const f of readdirSync(include)) files.push({ name: `include/${f}`, content: readFileSync(join(include, f), 'utf8') });
  }
  return files;
}

async function check(dir: string): Promise<void> {
  const { errors } = unwrap(await apiClient().POST('/api/v1/policy/check', { body: { files: readTree(dir) } }));
  if (errors.length > 0) throw new CliError(EXIT_RUNTIME, `\n${errors.join('\n')}`);
}

async function importDir(dir: string): Promise<void> {
  const api = apiClient();
  const files = readTree(dir).sort((a, b) => Number(b.name.startsWith('include/')) - Number(a.name.startsWith('include/')));
  for (const f of files) unwrap(await api.PUT('/api/v1/policy/files/{name}', { ...enc(f.name), body: { content: f.content } }));
}

/** A name that stays inside the export directory: relative, no empty, `.`-led or `..` segment. */
const isSafeName = (name: string): boolean => name.split('/').every((seg) => seg !== '' && !seg.startsWith('.'));

/** Writes every policy file into a new directory, whole or not at all: built beside it, then renamed into place. */
async function exportDir(dir: string): Promise<void> {
  const api = apiClient();
  const { files } = unwrap(await api.GET('/api/v1/policy/files'));
  const unsafe = files.find((f) => !isSafeName(f.name));
  if (unsafe) throw new CliError(EXIT_RUNTIME, `refusing to export '${unsafe.name}': the name leaves the directory`);
  const contents = [];
  for (const f of files) contents.push({ name: f.name, content: unwrap(await api.GET('/api/v1/policy/files/{name}', enc(f.name))).content });
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) {
    throw new CliError(EXIT_RUNTIME, `${dir} exists and is not an empty directory; export into a new one`);
  }
  const staging = mkdtempSync(join(dirname(resolve(dir)), '.qvm-policy-export-'));
  try {
    for (const f of contents) {
      mkdirSync(dirname(join(staging, f.name)), { recursive: true });
      writeFileSync(join(staging, f.name), f.content);
    }
    if (existsSync(dir)) rmdirSync(dir);
    renameSync(staging, dir);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw new CliError(EXIT_RUNTIME, `cannot export to ${dir}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function edit(name: string): Promise<void> {
  const api: Api = apiClient();
  const current = await api.GET('/api/v1/policy/files/{name}', enc(name));
  const exists = current.response.ok;
  const original = exists ? unwrap(current).content : '';
  const draftDir = mkdtempSync(join(tmpdir(), 'qvm-policy-'));
  const draft = join(draftDir, name.replace(/\//g, '_'));
  writeFileSync(draft, original);
  const editor = process.env.VISUAL || process.env.EDITOR || 'vi';
  const run = spawnSync(editor, [draft], { stdio: 'inherit', shell: true });
  if (run.status !== 0) throw new CliError(EXIT_RUNTIME, `${editor} exited with ${run.status}; draft kept in ${draft}`);
  const content = readFileSync(draft, 'utf8');
  if (content === original) {
    rmSync(draftDir, { recursive: true, force: true });
    return;
  }
  const headers: Record<string, string> = exists ? { 'if-match': unwrap(current).etag } : { 'if-none-match': '*' };
  const res = await api.PUT('/api/v1/policy/files/{name}', { ...enc(name), body: { content }, headers });
  if (!res.response.ok) {
    const problem = res.error as { detail?: string } | undefined;
    throw new CliError(EXIT_RUNTIME, `${problem?.detail ?? res.response.statusText}\nyour draft is kept in ${draft}`);
  }
  rmSync(draftDir, { recursive: true, force: true });
}
