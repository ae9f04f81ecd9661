/**
 * Every VM the caller may see, kept current from the event stream: the list is read once the stream
 * is open, then each event about a VM reads that VM again (one read at a time per VM, coalesced), so
 * what is shown is always the manager's own view.
 */
import { ApiError, enc, get, type Schemas, type Vm } from '../lib/api.js';
import { Store } from '../lib/store.js';
import { hub, type CellaEvent } from './events.js';

export const vms = new Store<ReadonlyMap<string, Vm>>(new Map());
export const vmsLoaded = new Store(false);

let loading = false;
const waiting = new Set<string>();
const reading = new Map<string, boolean>(); // name → read again when this one ends

function put(name: string, vm: Vm | null): void {
  vms.update((all) => {
    const next = new Map(all);
    if (vm) next.set(name, vm);
    else next.delete(name);
    return next;
  });
}

async function refresh(name: string): Promise<void> {
  if (loading) {
    waiting.add(name);
    return;
  }
  if (reading.has(name)) {
    reading.set(name, true);
    return;
  }
  reading.set(name, false);
  try {
    put(name, await get<Vm>(`/api/v1/vms/${enc(name)}`));
  } catch (err) {
    if (err instanceof ApiError && err.problem.status === 404) put(name, null);
    else console.warn(`cella: could not read VM ${name}:`, err);
  }
  const again = reading.get(name);
  reading.delete(name);
  if (again) void refresh(name);
}

export async function loadAll(): Promise<void> {
  loading = true;
  try {
    const all = new Map<string, Vm>();
    for (let offset = 0; ; ) {
      const page = await get<Schemas['VmList']>(`/api/v1/vms?offset=${offset}&limit=1000`);
      for (const vm of page.items) all.set(vm.name, vm);
      offset += page.items.length;
      if (page.items.length === 0 || offset >= page.total) break;
    }
    vms.set(all);
    vmsLoaded.set(true);
  } finally {
    loading = false;
    const again = [...waiting];
    waiting.clear();
    again.forEach((name) => void refresh(name));
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function onEvent(e: CellaEvent): void {
  if (e.event === 'domain-add') {
    const name = str(e.payload.vm);
    if (name) void refresh(name);
  } else if (e.event === 'domain-delete') {
    const name = str(e.payload.vm);
    if (name) put(name, null);
  } else if (e.event === 'property-set:name' || e.event === 'property-reset:name') {
    const [old, now] = [str(e.payload.oldvalue), str(e.payload.newvalue)];
    if (old) put(old, null);
    if (now) void refresh(now);
  } else if (e.subject && /^(domain-|property-)/.test(e.event)) {
    void refresh(e.subject);
  }
}

let stopListening: (() => void) | null = null;

export function startVms(): () => void {
  stopListening = hub.on(onEvent);
  const load = () => {
    if (hub.started.get()) loadAll().catch((err: unknown) => console.warn('cella: could not list VMs:', err));
  };
  const offStarted = hub.started.subscribe(load);
  load();
  return () => {
    stopListening?.();
    offStarted();
    vmsLoaded.set(false);
  };
}
