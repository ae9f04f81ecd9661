/** `npm start`: the Cella manager on its embedded default (SQLite in ./data, 127.0.0.1:7440). */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from './api/app.js';
import { configFromEnv } from './config.js';
import { lockDataDir } from './data-lock.js';
import { redact } from './store/database.js';
import { Store } from './store/store.js';
import { Manager } from './vmm/manager.js';
import { limitsFromEnv } from './vmm/lifecycle/limits.js';
import { pino } from 'pino';

async function main(): Promise<void> {
  const config = configFromEnv();
  const limits = limitsFromEnv();
  mkdirSync(config.dataDir, { recursive: true });
  await lockDataDir(config.dataDir);
  const log = pino({ level: config.logLevel });
  const store = await Store.open(config.databaseUrl);
  const manager = await Manager.open(store, { snapshotDir: join(config.dataDir, 'snapshots'), logger: log, limits, cpus: config.cpus });
  const app = await buildApp({ manager, token: config.token, loggerInstance: log });
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping');
    await app.close();
    await manager.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  for (const file of manager.leftovers.removedParts) app.log.warn({ file }, 'removed an unfinished suspend file left by a crash');
  for (const o of manager.leftovers.orphans) app.log.warn({ file: o.file, bytes: o.bytes }, 'suspend file without an index entry (an orphan: listed in GET /api/v1/snapshots, removed with qvm snapshot rm)');
  await app.listen({ host: config.host, port: config.port });
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  app.log.info({ data: config.dataDir, database: redact(config.databaseUrl), url, cpus: config.cpus }, 'cella manager ready');
  process.stderr.write(`cella: manager at ${url}  (dashboard ${url}/, API ${url}/api/v1, docs ${url}/docs, OpenAPI ${url}/openapi.json, metrics ${url}/metrics)\n`);
}

main().catch((err: unknown) => {
  console.error(`cella: error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
