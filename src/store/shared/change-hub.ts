import type { ChangeEvent, Unsubscribe } from '../../domain/store.js';
import type { StoreLogger } from './store-logger.js';

type Listener = (event: ChangeEvent<unknown>) => void;

/** Fans change events out to the watchers of each collection; a throwing watcher is logged. */
export class ChangeHub {
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(private readonly logger: StoreLogger | undefined) {}

  get size(): number {
    let total = 0;
    for (const set of this.listeners.values()) total += set.size;
    return total;
  }

  add(collection: string, listener: Listener): Unsubscribe {
    let set = this.listeners.get(collection);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(collection, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(collection) === set) {
        this.listeners.delete(collection);
      }
    };
  }

  emit(event: ChangeEvent<unknown>): void {
    const set = this.listeners.get(event.collection);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (error) {
        this.logger?.warn(
          { err: error, collection: event.collection, id: event.id },
          'store watcher threw',
        );
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
