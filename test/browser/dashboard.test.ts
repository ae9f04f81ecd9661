/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The dashboard end to end: Debian's Chromium (playwright-core, nothing downloaded) against the real
 * manager with real guests. One page is loaded once and never reloaded: every change must arrive
 * over the websockets. Screenshots go to docs/screenshots with CELLA_SCREENSHOTS=1.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, launchChromium, screenshotDir, unlabelled, type Browser } from '../helpers/browser.js';
import { seedTemplate, startServer, type TestServer } from '../helpers/server.js';
import { buildUiInto } from '../helpers/ui-build.js';

let server: TestServer;
let browser: Browser;
let page: Page;
let dist = '';
const pageErrors: string[] = [];
const shots = screenshotDir();
const api = () => request(server.url);

/** Moves within the page (a hash route): never a reload. */
const go = (hash: string) => page.evaluate((h) => (location.hash = h), hash);
/** A screenshot of the page as it is, without the notices of earlier steps. */
async function shot(name: string) {
  await page.locator('.notices button').evaluateAll((buttons) => buttons.forEach((b) => (b as HTMLButtonElement).click()));
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
}
/** The page is still the one loaded at the start: nothing was reloaded to show a change. */
const sameDocument = async () => expect(await page.evaluate(() => (window as unknown as { loadedOnce?: string }).loadedOnce)).toBe('yes');
const labelsOk = async () => expect(await unlabelled(page)).toEqual([]);

/** Runs `line` in VM a's shell (a trusted call from dom0), feeding `input`. */
async function inA(line: string, input = '') {
  const stdin = Buffer.from(`${line}\n${input}`).toString('base64');
  const res = await api().post('/api/v1/vms/a/qrexec').send({ service: 'qubes.VMShell', stdin }).expect(200);
  return { code: res.body.exit_code as number, out: Buffer.from(res.body.stdout, 'base64').toString() };
}

describe.skipIf(!haveChromium)('the dashboard in Chromium against a real manager', () => {
  beforeAll(async () => {
    dist = buildUiInto();
    server = await startServer({ uiDir: dist });
    await seedTemplate(server.manager);
    for (const [name, label] of [['personal', 'yellow'], ['vault', 'black'], ['untrusted', 'red']]) {
      await api().post('/api/v1/vms').send({ name, label, template: 'fedora', properties: { memory: 16 } }).expect(201);
    }
    await api().post('/api/v1/vms').send({ name: 'busy', class: 'StandaloneVM', label: 'orange', properties: { memory: 8, kernel: 'spin' } }).expect(201);
    await api().put('/api/v1/vms/vault/tags/offline').expect(204);
    await api().post('/api/v1/vms/personal/start').expect(200);
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    page.on('console', (msg) => msg.text().includes('Content Security Policy') && pageErrors.push(msg.text()));
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'VMs', level: 1 }).waitFor();
    await page.evaluate(() => ((window as unknown as { loadedOnce: string }).loadedOnce = 'yes'));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dist) rmSync(dirname(dist), { recursive: true, force: true });
  });

  it('creates a VM, showing the API’s refusals at their fields first', async () => {
    await page.getByRole('button', { name: 'New VM' }).click();
    await page.getByLabel('Name', { exact: true }).fill('work');
    await page.getByLabel('Label', { exact: true }).selectOption('blue');
    await page.getByRole('button', { name: 'Create' }).click();
    // no template: PROPERTY_VALUE_INVALID with details.property = template
    const template = page.getByLabel('Template', { exact: true });
    await expect.poll(() => template.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#new-template-error').textContent()).toContain('needs a template');
    await template.fill('fedora');
    await page.getByLabel('Memory (MiB)').fill('0');
    await page.getByRole('button', { name: 'Create' }).click();
    // a schema refusal: VALIDATION_FAILED at body.properties.memory
    const memory = page.getByLabel('Memory (MiB)');
    await expect.poll(() => memory.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#new-memory-error').textContent()).toMatch(/>=\s*1/);
    expect(await template.getAttribute('aria-invalid')).toBeNull();
    await labelsOk();
    await memory.fill('32');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.locator('.vm-row[data-vm="work"][data-state="halted"]').waitFor();
    expect((await api().get('/api/v1/vms/work').expect(200)).body).toMatchObject({ template: 'fedora', memory: 32, label: 'blue' });
    await sameDocument();
  });

  it('starts it from the list and shows state changes without a reload, also those made elsewhere', async () => {
    await page.getByRole('button', { name: 'Start work' }).click();
    await page.locator('.vm-row[data-vm="work"][data-state="running"]').waitFor();
    expect((await api().get('/api/v1/vms/work')).body.state).toBe('running');
    await api().post('/api/v1/vms/work/pause').expect(200);
    await page.locator('.vm-row[data-vm="work"][data-state="paused"]').waitFor();
    await page.getByRole('button', { name: 'Unpause work' }).click();
    await page.locator('.vm-row[data-vm="work"][data-state="running"]').waitFor();
    await sameDocument();
  });

  it('draws CPU and instruction rates as sparklines from the stats stream', async () => {
    await api().post('/api/v1/vms/busy/start').expect(200);
    try {
      const row = page.locator('.vm-row[data-vm="busy"]');
      await row.locator('.spark-chart canvas').first().waitFor({ timeout: 15_000 });
      await expect.poll(async () => (await row.locator('.spark-value').nth(1).textContent()) ?? '', { timeout: 15_000 }).toMatch(/[kMG]\/s$/);
      await shot('vms');
      await labelsOk();
    } finally {
      await api().post('/api/v1/vms/busy/kill').expect(200);
    }
    await page.locator('.vm-row[data-vm="busy"][data-state="halted"]').waitFor();
  });

  it('filters and sorts the list with the keyboard', async () => {
    const names = () => page.locator('.vms-body [role=rowheader] a').allTextContents();
    await page.getByLabel('Filter', { exact: true }).focus();
    await page.keyboard.type('fedora');
    expect(await names()).toEqual(['fedora', 'personal', 'untrusted', 'vault', 'work']);
    await page.getByLabel('Filter', { exact: true }).fill('offline');
    expect(await names()).toEqual(['vault']);
    await page.getByLabel('Filter', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Name', exact: true }).focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('[role=columnheader][aria-sort="descending"]').textContent()).toContain('Name');
    expect((await names())[0]).toBe('work');
    await page.keyboard.press('Enter');
    // Remove asks first; Escape leaves the VM alone
    await page.getByRole('button', { name: 'Remove untrusted' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect((await api().get('/api/v1/vms/untrusted')).status).toBe(200);
  });

  it('shows a VM’s page: properties with their D flag, and its console output as it arrives', async () => {
    await api().post('/api/v1/vms').send({ name: 'talker', label: 'green', template: 'fedora', properties: { memory: 16 } }).expect(201);
    await go('#/vms/talker');
    await page.getByRole('heading', { name: 'talker', level: 1 }).waitFor();
    const vcpus = page.locator('tr[data-property="vcpus"]');
    expect(await vcpus.locator('.flag').textContent()).toBe('D');
    await page.getByLabel('vcpus', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Set vcpus', exact: true }).click();
    await expect.poll(() => vcpus.locator('.flag').textContent()).toBe('-');
    await page.getByLabel('memory', { exact: true }).fill('300');
    await page.getByRole('button', { name: 'Set memory', exact: true }).click();
    await expect.poll(async () => (await page.locator('#prop-memory-error').textContent()) ?? '').toBe('memory (300 MiB) must not exceed maxmem (256 MiB)');
    await page.getByRole('button', { name: 'Start talker' }).click();
    const console = page.getByRole('log', { name: 'Console of talker' });
    await expect.poll(() => console.textContent(), { timeout: 15_000 }).toContain('talker: idle kernel up');
    await page.locator('.vm-page .state-running').waitFor();
    await page.getByRole('table', { name: /^Event channels of talker/ }).waitFor();
    await page.locator('table[aria-label="Events of talker"] tr[data-event="domain-start"]').waitFor();
    // its rates, once two stats samples came
    await expect.poll(() => page.locator('.rates .spark-value').first().textContent(), { timeout: 15_000 }).toMatch(/%$/);
    await shot('vm');
    await labelsOk();
    await sameDocument();
  });

  it('suspends a VM with a progress bar from snapshot-progress events, then resumes it', async () => {
    await go('#/vms');
    await page.locator('.vm-row[data-vm="work"][data-state="running"]').waitFor();
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { progressSeen: number[] }).progressSeen = seen;
      new MutationObserver(() => {
        for (const bar of document.querySelectorAll<HTMLProgressElement>('progress[aria-label="Suspending work"]')) seen.push(bar.value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.getByRole('button', { name: 'Suspend work' }).click();
    await page.locator('.vm-row[data-vm="work"][data-state="suspended"]').waitFor();
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe(100);
    await page.locator('progress[aria-label="Suspending work"]').waitFor({ state: 'detached' });
    await go('#/snapshots');
    const snap = page.locator('table[aria-label="Snapshots"] tbody tr').first();
    await expect.poll(() => snap.textContent()).toContain('work');
    await shot('snapshots');
    await labelsOk();
    await go('#/vms');
    await page.getByRole('button', { name: 'Resume work' }).click();
    await page.locator('.vm-row[data-vm="work"][data-state="running"]').waitFor();
    expect((await api().get('/api/v1/vms/work')).body.state).toBe('running');
    await sameDocument();
  });

  it('edits a policy file: an error shown at file:line before saving, then fixed, saved, and its history diffed', async () => {
    await page.getByRole('link', { name: 'Policy' }).click();
    await page.getByLabel('New file').fill('30-dash.policy');
    await page.getByRole('button', { name: 'Open' }).click();
    const editor = page.getByLabel('Contents of 30-dash.policy');
    await editor.fill('cella.Echo    *  a  b  allow\ncella.Sha256  *  a  b  allw\n');
    const problems = page.getByRole('list', { name: 'Problems' });
    await expect.poll(async () => (await problems.textContent()) ?? '').toMatch(/^30-dash\.policy:2: /);
    expect(await page.locator('.gutter .bad').allTextContents()).toEqual(['2']);
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await problems.getByRole('button').first().click();
    const selected = await editor.evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd));
    expect(selected).toBe('cella.Sha256  *  a  b  allw');
    await shot('policy');
    await labelsOk();
    await api().get('/api/v1/policy/files/30-dash.policy').expect(404); // nothing was saved
    await editor.fill('cella.Echo    *  a  b  allow\ncella.Sha256  *  a  b  ask default_target=b\n');
    await page.getByText('The policy parses: no errors.').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('link', { name: '30-dash.policy' }).waitFor();
    expect((await api().get('/api/v1/policy/files/30-dash.policy').expect(200)).body.version).toBe(1);
    await editor.fill('cella.Echo    *  a  b  allow\ncella.Echo    *  a  vault  deny\ncella.Sha256  *  a  b  ask default_target=b\n');
    await page.getByText('The policy parses: no errors.').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: /^v2 update by dom0/ }).waitFor();
    // its own save is not taken for somebody else's change
    expect(await page.locator('.editor-card .warning').count()).toBe(0);
    expect(await page.locator('#editor-title').textContent()).toBe('30-dash.policy');
    expect(await page.locator('.diff .add').allTextContents()).toEqual(['added: + cella.Echo    *  a  vault  deny']);
    await page.getByText('The policy parses: no errors.').waitFor();
    await page.getByRole('heading', { name: 'History of 30-dash.policy' }).scrollIntoViewIfNeeded();
    await shot('policy-history');
    await sameDocument();
  });

  it('dry-runs a call and names the deciding rule', async () => {
    // the VMs of the rules must exist: a target that does not is @default, as in Qubes
    for (const name of ['a', 'b']) {
      await api().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: name === 'a' ? 'purple' : 'green', properties: { memory: 32 } }).expect(201);
    }
    await page.getByLabel('Source VM').fill('a');
    await page.getByLabel('Target', { exact: true }).fill('vault');
    await page.getByLabel('Service', { exact: true }).fill('cella.Echo');
    await page.getByRole('button', { name: 'Evaluate' }).click();
    const decision = page.locator('.decision');
    await expect.poll(async () => (await decision.textContent()) ?? '').toContain('Decision: deny');
    expect(await decision.locator('.rule-place').textContent()).toBe('30-dash.policy:2');
    await page.getByLabel('Target', { exact: true }).fill('b');
    await page.getByLabel('Service', { exact: true }).fill('cella.Sha256');
    await page.getByRole('button', { name: 'Evaluate' }).click();
    await expect.poll(async () => (await decision.textContent()) ?? '').toContain('Decision: ask');
    expect(await decision.locator('.rule-place').textContent()).toBe('30-dash.policy:3');
    await decision.scrollIntoViewIfNeeded();
    await shot('policy-dry-run');
    await labelsOk();
  });

  it('answers an ask question from the page, and the call goes through and shows in the calls', async () => {
    for (const name of ['a', 'b']) await api().post(`/api/v1/vms/${name}/start`).expect(200);
    await go('#/vms');
    const pending = inA('qrexec-client-vm b cella.Sha256', 'abc');
    await page.locator('.ask-banner').waitFor({ timeout: 15_000 });
    expect(await page.locator('.ask-banner').textContent()).toContain('a asks to call cella.Sha256');
    await page.locator('.ask-banner').getByRole('link', { name: 'Answer' }).click();
    const question = page.locator('li.question');
    await question.waitFor();
    expect(await question.getByRole('heading').textContent()).toBe('a wants to call cella.Sha256 on b');
    expect(await page.getByLabel('Target').inputValue()).toBe('b');
    await shot('asks');
    await labelsOk();
    await page.getByRole('button', { name: 'Allow cella.Sha256 from a' }).click();
    const result = await pending;
    expect(result).toEqual({ code: 0, out: `${createHash('sha256').update('abc').digest('hex')}  -\n` });
    await page.getByText('No question is waiting.').waitFor();
    await page.getByRole('link', { name: 'qrexec calls' }).click();
    const row = page.locator('table[aria-label="qrexec calls"] tbody tr').filter({ hasText: 'cella.Sha256' }).first();
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(1, 6)).toEqual(['a', 'b', 'cella.Sha256', 'allow 30-dash.policy:3', '0']);
    await shot('calls');
    await labelsOk();
    await sameDocument();
    // no uncaught error and nothing the CSP refused, all along
    expect(pageErrors).toEqual([]);
  });

  it('asks for the token when the manager has one, refusing a wrong one on HTTP and websocket alike', async () => {
    const guarded = await startServer({ token: 'T0ken/é', uiDir: dist });
    const other = await browser.context.newPage();
    try {
      await other.goto(`${guarded.url}/`);
      const input = other.getByLabel('API token');
      await input.fill('wrong');
      await other.getByRole('button', { name: 'Connect' }).click();
      await other.getByRole('alert').filter({ hasText: 'The token was not accepted' }).waitFor();
      await other.screenshot({ path: join(shots, 'token.png') });
      const tried = await other.evaluate(async (url) => {
        const protocol = (t: string) => `cella.bearer.${btoa(String.fromCharCode(...new TextEncoder().encode(t))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
        const open = (t: string) =>
          new Promise<{ open: boolean; protocol?: string; code?: number }>((resolve) => {
            const ws = new WebSocket(url, ['cella', protocol(t)]);
            ws.onopen = () => (resolve({ open: true, protocol: ws.protocol }), ws.close());
            ws.onclose = (e) => resolve({ open: false, code: e.code });
          });
        const http = async (t: string) => (await fetch('/api/v1/vms', { headers: { authorization: `Bearer ${t}` } })).status;
        return { ws: [await open('wrong'), await open('T0ken/é')], http: [await http('wrong'), await http('T0ken/é')] };
      }, `${guarded.url.replace('http', 'ws')}/api/v1/events`);
      expect(tried).toEqual({ ws: [{ open: false, code: 1006 }, { open: true, protocol: 'cella' }], http: [401, 200] });
      await input.fill('T0ken/é');
      await other.getByRole('button', { name: 'Connect' }).click();
      await other.getByRole('heading', { name: 'VMs', level: 1 }).waitFor();
      await other.locator('.link-state.up').waitFor(); // the events websocket opened with the token
      await other.locator('.vm-row[data-vm="dom0"]').waitFor();
    } finally {
      await other.close();
      await guarded.close();
    }
  });
});
