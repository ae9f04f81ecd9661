/** One manager per data directory: a second one on the same directory is refused. */
import { join } from 'node:path';
import lockfile from 'proper-lockfile';

export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(dataDir, { lockfilePath: join(dataDir, 'cella.lock'), stale: 15_000, update: 5_000 });
  } catch (err) {
    if ((err as { code?: string }).code === 'ELOCKED') {
      throw new Error(`another Cella manager is using ${dataDir}; stop it, or set CELLA_DATA to another directory`);
    }
    throw err;
  }
}
