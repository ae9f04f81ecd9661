/** A value that components follow: set() re-renders every component that reads it with useStore(). */
import { useEffect, useState } from 'preact/hooks';

export class Store<T> {
  private readonly listeners = new Set<() => void>();

  constructor(private value: T) {}

  get(): T {
    return this.value;
  }

  set(value: T): void {
    if (Object.is(value, this.value)) return;
    this.value = value;
    for (const listener of [...this.listeners]) listener();
  }

  update(change: (value: T) => T): void {
    this.set(change(this.value));
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The store's value; the component renders again when it changes. */
export function useStore<T>(store: Store<T>): T {
  const value = store.get();
  const [, rerender] = useState(0);
  useEffect(() => {
    const bump = () => rerender((n) => n + 1);
    const unsubscribe = store.subscribe(bump);
    if (!Object.is(store.get(), value)) bump(); // changed between render and subscription
    return unsubscribe;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store]);
  return value;
}
