/**
 * An in-memory Store for unit tests: the same observable behaviour as the real adapters
 * (JSON round trip of values, unique index conflicts, resourceVersion compare-and-set, TTL on
 * an injectable clock, asynchronous change feed), with none of their durability.
 */

import type {
  BackupRecord,
  ChangeEvent,
  Collection,
  CollectionSpec,
  DeleteOptions,
  ListOptions,
  Store,
  StoredRecord,
  UpdateOptions,
  WriteOptions,
} from '../../src/domain/store.js';
import { PaddockError } from '../../src/errors/index.js';

interface Entry {
  readonly json: string;
  readonly resourceVersion: string;
  readonly expiresAt: number | undefined;
}

type Listener = (event: ChangeEvent<unknown>) => void;

interface CollectionState {
  readonly name: string;
  spec: CollectionSpec<unknown>;
  readonly entries: Map<string, Entry>;
  /** index name -> index key -> ids */
  readonly indexes: Map<string, Map<string, Set<string>>>;
  readonly listeners: Set<Listener>;
}

export interface MemoryStoreOptions {
  /** Epoch milliseconds; drives TTL expiry. */
  readonly now?: () => number;
}

const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;

function keysOf(spec: CollectionSpec<unknown>, indexName: string, value: unknown): string[] {
  const index = spec.indexes?.[indexName];
  if (!index) return [];
  const keys = index.key(value);
  if (keys === undefined) return [];
  return typeof keys === 'string' ? [keys] : [...new Set(keys)];
}

export class MemoryStore implements Store {
  readonly kind = 'embedded' as const;
  private readonly now: () => number;
  private readonly collections = new Map<string, CollectionState>();
  private version = 0;
  private unavailable = false;
  /** Count of write operations, so tests can assert that something was NOT written. */
  writes = 0;
  /** Count of read operations (get/list), so tests can assert a cache hit. */
  reads = 0;

  constructor(options: MemoryStoreOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  /** Makes every operation fail with STORE_UNAVAILABLE until called again with false. */
  setUnavailable(unavailable: boolean): void {
    this.unavailable = unavailable;
  }

  collection<T>(spec: CollectionSpec<T>): Collection<T> {
    if (!NAME_PATTERN.test(spec.name)) {
      throw new PaddockError('INTERNAL', `invalid collection name ${spec.name}`);
    }
    const state = this.stateFor(spec.name, spec as CollectionSpec<unknown>);
    return this.handle<T>(state);
  }

  async ping(): Promise<void> {
    this.check();
  }

  async *exportRecords(): AsyncIterable<BackupRecord> {
    this.check();
    for (const state of this.collections.values()) {
      this.purgeExpired(state);
      for (const [id, entry] of state.entries) {
        const record: BackupRecord = {
          collection: state.name,
          id,
          value: JSON.parse(entry.json),
          ...(entry.expiresAt === undefined ? {} : { expiresAt: entry.expiresAt }),
        };
        yield record;
      }
    }
  }

  async importRecords(
    records: AsyncIterable<BackupRecord>,
    specs: readonly CollectionSpec<unknown>[],
  ): Promise<number> {
    this.check();
    for (const state of this.collections.values()) {
      state.entries.clear();
      state.indexes.clear();
    }
    for (const spec of specs) this.stateFor(spec.name, spec).spec = spec;
    let count = 0;
    for await (const record of records) {
      const state = this.stateFor(record.collection, { name: record.collection });
      this.put(state, record.id, record.value, record.expiresAt);
      count++;
    }
    return count;
  }

  async close(): Promise<void> {
    for (const state of this.collections.values()) state.listeners.clear();
  }

  /** Removes every expired record now (emitting `deleted`), as a real backend eventually does. */
  sweep(): void {
    for (const state of this.collections.values()) this.purgeExpired(state);
  }

  private check(): void {
    if (this.unavailable) throw new PaddockError('STORE_UNAVAILABLE', 'memory store is down');
  }

  private stateFor(name: string, spec: CollectionSpec<unknown>): CollectionState {
    let state = this.collections.get(name);
    if (!state) {
      state = { name, spec, entries: new Map(), indexes: new Map(), listeners: new Set() };
      this.collections.set(name, state);
    } else if (!state.spec.indexes && spec.indexes) {
      state.spec = spec;
      this.reindex(state);
    }
    return state;
  }

  private reindex(state: CollectionState): void {
    state.indexes.clear();
    for (const [id, entry] of state.entries) this.addToIndexes(state, id, JSON.parse(entry.json));
  }

  private addToIndexes(state: CollectionState, id: string, value: unknown): void {
    for (const indexName of Object.keys(state.spec.indexes ?? {})) {
      let index = state.indexes.get(indexName);
      if (!index) {
        index = new Map();
        state.indexes.set(indexName, index);
      }
      for (const key of keysOf(state.spec, indexName, value)) {
        let ids = index.get(key);
        if (!ids) {
          ids = new Set();
          index.set(key, ids);
        }
        ids.add(id);
      }
    }
  }

  private removeFromIndexes(state: CollectionState, id: string, value: unknown): void {
    for (const indexName of Object.keys(state.spec.indexes ?? {})) {
      const index = state.indexes.get(indexName);
      for (const key of keysOf(state.spec, indexName, value)) {
        const ids = index?.get(key);
        ids?.delete(id);
        if (ids?.size === 0) index?.delete(key);
      }
    }
  }

  private isExpired(entry: Entry): boolean {
    return entry.expiresAt !== undefined && entry.expiresAt <= this.now();
  }

  private purgeExpired(state: CollectionState, onlyId?: string): void {
    const ids = onlyId === undefined ? [...state.entries.keys()] : [onlyId];
    for (const id of ids) {
      const entry = state.entries.get(id);
      if (entry && this.isExpired(entry)) this.remove(state, id, entry);
    }
  }

  private remove(state: CollectionState, id: string, entry: Entry): void {
    const value: unknown = JSON.parse(entry.json);
    this.removeFromIndexes(state, id, value);
    state.entries.delete(id);
    this.emit(state, {
      type: 'deleted',
      collection: state.name,
      id,
      resourceVersion: entry.resourceVersion,
      value,
    });
  }

  private assertUnique(state: CollectionState, id: string, value: unknown): void {
    for (const [indexName, index] of Object.entries(state.spec.indexes ?? {})) {
      if (!index.unique) continue;
      for (const key of keysOf(state.spec, indexName, value)) {
        for (const other of state.indexes.get(indexName)?.get(key) ?? []) {
          if (other === id) continue;
          this.purgeExpired(state, other);
          if (state.entries.has(other)) {
            throw new PaddockError('CONFLICT', `${state.name}: ${indexName} "${key}" is taken`, {
              reason: 'unique_index',
              details: { collection: state.name, index: indexName },
            });
          }
        }
      }
    }
  }

  private put(state: CollectionState, id: string, value: unknown, expiresAt?: number): Entry {
    const json = JSON.stringify(value);
    const previous = state.entries.get(id);
    if (previous) this.removeFromIndexes(state, id, JSON.parse(previous.json));
    const entry: Entry = { json, resourceVersion: String(++this.version), expiresAt };
    state.entries.set(id, entry);
    this.addToIndexes(state, id, JSON.parse(json));
    return entry;
  }

  private emit(state: CollectionState, event: ChangeEvent<unknown>): void {
    // Real adapters deliver changes asynchronously (pub/sub, a poll); so does this one.
    for (const listener of state.listeners) setImmediate(() => listener(event));
  }

  private toRecord<T>(id: string, entry: Entry): StoredRecord<T> {
    return {
      id,
      resourceVersion: entry.resourceVersion,
      ...(entry.expiresAt === undefined ? {} : { expiresAt: entry.expiresAt }),
      value: JSON.parse(entry.json) as T,
    };
  }

  private expiryFor(options: WriteOptions | undefined): number | undefined {
    const ttl = options?.ttlSeconds;
    return ttl === undefined ? undefined : this.now() + ttl * 1000;
  }

  private handle<T>(state: CollectionState): Collection<T> {
    const store = this;
    return {
      name: state.name,
      async get(id: string) {
        store.check();
        store.reads++;
        store.purgeExpired(state, id);
        const entry = state.entries.get(id);
        return entry ? store.toRecord<T>(id, entry) : undefined;
      },
      async list(options: ListOptions = {}) {
        store.check();
        store.reads++;
        store.purgeExpired(state);
        let ids: string[];
        if (options.index !== undefined) {
          if (!state.spec.indexes?.[options.index] || options.value === undefined) {
            throw new PaddockError('INTERNAL', `${state.name}: no index ${options.index}`);
          }
          ids = [...(state.indexes.get(options.index)?.get(options.value) ?? [])].sort();
        } else {
          ids = [...state.entries.keys()].sort();
          if (options.idPrefix !== undefined) {
            const prefix = options.idPrefix;
            ids = ids.filter((id) => id.startsWith(prefix));
          }
        }
        if (options.limit !== undefined) ids = ids.slice(0, options.limit);
        return ids.map((id) => store.toRecord<T>(id, state.entries.get(id)!));
      },
      async create(id: string, value: T, options?: WriteOptions) {
        store.check();
        store.writes++;
        store.purgeExpired(state, id);
        if (state.entries.has(id)) {
          throw new PaddockError('CONFLICT', `${state.name}/${id} exists`, { reason: 'exists' });
        }
        store.assertUnique(state, id, JSON.parse(JSON.stringify(value)));
        const entry = store.put(state, id, value, store.expiryFor(options));
        const record = store.toRecord<T>(id, entry);
        store.emit(state, {
          type: 'created',
          collection: state.name,
          id,
          resourceVersion: entry.resourceVersion,
          value: record.value,
        });
        return record;
      },
      async update(id: string, value: T, options?: UpdateOptions) {
        store.check();
        store.writes++;
        store.purgeExpired(state, id);
        const previous = state.entries.get(id);
        if (!previous) throw new PaddockError('NOT_FOUND', `${state.name}/${id} not found`);
        if (
          options?.resourceVersion !== undefined &&
          options.resourceVersion !== previous.resourceVersion
        ) {
          throw new PaddockError('CONFLICT', `${state.name}/${id} changed`, {
            reason: 'stale_version',
          });
        }
        store.assertUnique(state, id, JSON.parse(JSON.stringify(value)));
        const entry = store.put(state, id, value, store.expiryFor(options));
        const record = store.toRecord<T>(id, entry);
        store.emit(state, {
          type: 'updated',
          collection: state.name,
          id,
          resourceVersion: entry.resourceVersion,
          value: record.value,
        });
        return record;
      },
      async delete(id: string, options?: DeleteOptions) {
        store.check();
        store.writes++;
        store.purgeExpired(state, id);
        const previous = state.entries.get(id);
        if (!previous) return false;
        if (
          options?.resourceVersion !== undefined &&
          options.resourceVersion !== previous.resourceVersion
        ) {
          throw new PaddockError('CONFLICT', `${state.name}/${id} changed`, {
            reason: 'stale_version',
          });
        }
        store.remove(state, id, previous);
        return true;
      },
      watch(listener: (event: ChangeEvent<T>) => void) {
        const wrapped = listener as Listener;
        state.listeners.add(wrapped);
        return () => {
          state.listeners.delete(wrapped);
        };
      },
    };
  }
}
