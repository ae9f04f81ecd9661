/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Debian's Chromium driven by playwright-core: nothing is downloaded. Tests that need it skip when
 * /usr/bin/chromium is missing (CI installs it: .ci/run). Each launch gets a fresh profile.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium headless (playwright adds --headless) with a fresh --user-data-dir, removed on close. */
export async function launchChromium(viewport = { width: 1360, height: 860 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'cella-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport,
    deviceScaleFactor: 1,
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Where screenshots go: docs/screenshots when CELLA_SCREENSHOTS=1 (`npm run ui:screenshots`), else a
 * temp dir, so that an ordinary test run leaves the tree as it was.
 */
export function screenshotDir(): string {
  const dir = process.env.CELLA_SCREENSHOTS === '1' ? resolve('docs/screenshots') : join(tmpdir(), 'cella-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Form controls and buttons without a name a screen reader can read (label, aria-label, aria-labelledby or text). */
export function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const named = (el: Element): boolean => {
      const e = el as HTMLInputElement;
      if (el.getAttribute('aria-label')?.trim() || el.getAttribute('aria-labelledby')) return true;
      if (e.labels && e.labels.length > 0 && [...e.labels].some((l) => l.textContent?.trim())) return true;
      return el.tagName === 'BUTTON' && Boolean(el.textContent?.trim());
    };
    return [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
      .filter((el) => !named(el))
      .map((el) => el.outerHTML.slice(0, 120));
  });
}
