/** A real manager for tests: a real SQLite file in a temp dir, the real app, optionally listening on an ephemeral port. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from '../../src/api/app.js';
import { Store } from '../../src/store/store.js';
import { Manager, type ManagerOptions } from '../../src/vmm/manager.js';

export interface TestServer {
  app: FastifyInstance;
  manager: Manager;
  dir: string;
  dbFile: string;
  /** http://127.0.0.1:PORT once listening. */
  url: string;
  /** Stops the app and the manager; removes the data dir unless `keep`. */
  close(keep?: boolean): Promise<void>;
}

export async function startServer(
  options: {
    token?: string;
    listen?: boolean;
    databaseUrl?: string;
    dir?: string;
    manager?: ManagerOptions;
    logger?: Logger;
    uiDir?: string;
    /** CPU workers when CELLA_TEST_CPUS does not say (0: the vCPUs run on the event loop). */
    cpus?: number;
  } = {},
): Promise<TestServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'cella-test-'));
  const dbFile = join(dir, 'cella.db');
  const manager = await Manager.open(await Store.open(options.databaseUrl ?? `file:${dbFile}`), {
    snapshotDir: join(dir, 'snapshots'),
    cpus: testCpus(options.cpus),
    ...(options.logger ? { logger: options.logger } : {}),
    ...options.manager,
  });
  const app = await buildApp({ manager, token: options.token, ready: options.listen !== false, loggerInstance: options.logger, uiDir: options.uiDir });
  let url = '';
  if (options.listen !== false) {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (address && typeof address === 'object') url = `http://127.0.0.1:${address.port}`;
  }
  return {
    app,
    manager,
    dir,
    dbFile,
    url,
    async close(keep = false) {
      await app.close();
      await manager.close();
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * CPU workers of test managers: `CELLA_TEST_CPUS` when set (`CELLA_TEST_CPUS=2 npm test` runs every
 * manager with two), else the test's own choice (the suspend and group-snapshot suites use two, so
 * that members run on different CPUs), else 0: the vCPUs run on the event loop.
 */
export function testCpus(fallback = 0): number {
  const n = Number(process.env.CELLA_TEST_CPUS ?? fallback);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

/** Creates a TemplateVM `fedora` and returns its name: most AppVMs need one. */
export async function seedTemplate(manager: Manager, name = 'fedora'): Promise<string> {
  await manager.execute({ type: 'vm.create', name, klass: 'TemplateVM', label: 'black', properties: {} });
  return name;
}
