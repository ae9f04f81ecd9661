/** The manager's settings, from the environment, checked before anything starts. */
import { resolve, join } from 'node:path';
import { availableParallelism } from 'node:os';
import { isLoopback } from './api/auth.js';
import { cpuCount } from './hypervisor/cpu-set.js';

export interface ManagerConfig {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string;
  token: string | undefined;
  logLevel: string;
  /** CPU workers for the vCPUs (`CELLA_CPUS`; 0 runs them on the event loop). */
  cpus: number;
}

export const DEFAULT_PORT = 7440;

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ManagerConfig {
  const dataDir = resolve(env.CELLA_DATA ?? 'data');
  const port = env.CELLA_PORT === undefined ? DEFAULT_PORT : Number(env.CELLA_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`CELLA_PORT must be a port number, not '${env.CELLA_PORT}'`);
  const host = env.CELLA_HOST ?? '127.0.0.1';
  const token = env.CELLA_TOKEN || undefined;
  if (!isLoopback(host) && !token) {
    throw new Error(`refusing to listen on ${host} without a token: set CELLA_TOKEN, or listen on 127.0.0.1`);
  }
  const cpus = cpuCount(env.CELLA_CPUS, availableParallelism());
  if (typeof cpus !== 'number') throw new Error(cpus.message);
  return {
    cpus,
    host,
    port,
    dataDir,
    databaseUrl: env.DATABASE_URL ?? `file:${join(dataDir, 'cella.db')}`,
    token,
    logLevel: env.CELLA_LOG_LEVEL ?? 'info',
  };
}
