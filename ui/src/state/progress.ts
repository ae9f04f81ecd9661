/** Suspend progress per VM, from snapshot-progress events; gone once the VM is suspended or the suspend failed. */
import { Store } from '../lib/store.js';
import { hub, type CellaEvent } from './events.js';

export interface Progress {
  done: number;
  total: number;
}

export const progress = new Store<ReadonlyMap<string, Progress>>(new Map());

function change(names: string[], value: Progress | null): void {
  progress.update((all) => {
    const next = new Map(all);
    for (const name of names) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    return next;
  });
}

function onEvent(e: CellaEvent): void {
  if (e.event === 'snapshot-progress') {
    const names = Array.isArray(e.payload.vms) ? e.payload.vms.filter((v): v is string => typeof v === 'string') : [];
    change(names, { done: Number(e.payload.bytes_done) || 0, total: Number(e.payload.bytes_total) || 0 });
  } else if (e.subject && e.event === 'domain-pre-suspend') {
    change([e.subject], { done: 0, total: 0 });
  } else if (e.subject && (e.event === 'domain-suspended' || e.event === 'domain-suspend-failed')) {
    change([e.subject], null);
  }
}

export function startProgress(): () => void {
  const off = hub.on(onEvent);
  return () => {
    off();
    progress.set(new Map());
  };
}
