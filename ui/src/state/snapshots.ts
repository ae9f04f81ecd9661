/** The snapshot index (GET /api/v1/snapshots), read on mount and again on every event that changes it. */
import { useEffect, useState } from 'preact/hooks';
import { get, messageOf, type Schemas } from '../lib/api.js';
import { hub } from './events.js';

export type SnapshotList = Schemas['SnapshotList'];
const CHANGES = new Set(['domain-suspended', 'domain-resumed', 'snapshot-delete', 'domain-resume-failed']);

export function useSnapshots(): { list: SnapshotList | null; error: string; reload: () => void } {
  const [list, setList] = useState<SnapshotList | null>(null);
  const [error, setError] = useState('');
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let reading = false;
    let again = false;
    const load = async () => {
      if (reading) return void (again = true);
      reading = true;
      try {
        setList(await get<SnapshotList>('/api/v1/snapshots'));
        setError('');
      } catch (err) {
        setError(messageOf(err));
      } finally {
        reading = false;
        if (again) (again = false), void load();
      }
    };
    void load();
    return hub.on((e) => CHANGES.has(e.event) && void load());
  }, [tick]);
  return { list, error, reload: () => setTick((t) => t + 1) };
}
