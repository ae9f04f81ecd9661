/** Messages for the user: refusals of actions (kept until dismissed) and confirmations (gone after 6 s). */
import { Store } from '../lib/store.js';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

export const notices = new Store<readonly Notice[]>([]);
let next = 1;

export function dismiss(id: number): void {
  notices.update((all) => all.filter((n) => n.id !== id));
}

export function notify(text: string, kind: Notice['kind'] = 'info'): void {
  const id = next++;
  notices.update((all) => [...all.slice(-4), { id, kind, text }]);
  if (kind === 'info') setTimeout(() => dismiss(id), 6000);
}
