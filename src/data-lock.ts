/**
 * One manager per data directory: a second one on the same directory is refused. The lock is a
 * POSIX record lock (fcntl) on `manager.lock`, taken through SQLite's exclusive locking mode: the
 * kernel drops it when the process ends, however it ends, so a manager started right after a
 * SIGKILL (as systemd restarts it) gets it at once, and a live one is never mistaken for a dead one.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';

export const LOCK_FILE = 'manager.lock';

/** The open lock files of this process (held until it exits or releases them). */
const held = new Set<Database.Database>();

export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, LOCK_FILE);
  const db = new Database(path, { timeout: 0 });
  try {
    db.pragma('journal_mode = MEMORY');
    db.pragma('locking_mode = EXCLUSIVE');
    // the first write lock of an exclusive-mode connection is kept until the connection closes
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      throw new Error(`another Cella manager is using ${dataDir}; stop it, or set CELLA_DATA to another directory`);
    }
    throw new Error(`cannot lock ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  held.add(db);
  return async () => {
    held.delete(db);
    db.close();
  };
}
