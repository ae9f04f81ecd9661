/** Pending qrexec questions (policy `ask`), read again whenever one is asked or resolved. */
import { get, type Schemas } from '../lib/api.js';
import { Store } from '../lib/store.js';
import { hub } from './events.js';

export type Ask = Schemas['PendingAsk'];
export const asks = new Store<readonly Ask[]>([]);

let reading = false;
let again = false;

async function reload(): Promise<void> {
  if (reading) {
    again = true;
    return;
  }
  reading = true;
  try {
    asks.set((await get<{ asks: Ask[] }>('/api/v1/qrexec/asks')).asks);
  } catch (err) {
    console.warn('cella: could not read the pending questions:', err);
  } finally {
    reading = false;
    if (again) {
      again = false;
      void reload();
    }
  }
}

export function startAsks(): () => void {
  const off = hub.on((e) => {
    if (e.event === 'qrexec-ask' || e.event === 'qrexec-ask-resolved') void reload();
  });
  const load = () => hub.started.get() && void reload();
  const offStarted = hub.started.subscribe(load);
  load();
  return () => {
    off();
    offStarted();
    asks.set([]);
  };
}
