import type {
  ChangeEvent,
  Collection,
  CollectionSpec,
  DeleteOptions,
  ListOptions,
  StoredRecord,
  Unsubscribe,
  UpdateOptions,
  WriteOptions,
} from '../../domain/store.js';
import { isPaddockError } from '../../errors/index.js';
import type { ChangeHub } from '../shared/change-hub.js';
import { assertListableIndex, indexEntriesOf } from '../shared/index-entries.js';
import {
  idTaken,
  notFound,
  staleVersion,
  storeUnavailable,
  uniqueConflict,
} from '../shared/store-errors.js';
import { assertValidId, assertValidLimit, expiryOf, toJson } from '../shared/validation.js';
import { isExpired, type LmdbLayout, type RecordEntry } from './lmdb-layout.js';
import type { WriteOutcome, WriteQueue } from './write-queue.js';

export interface EmbeddedCollectionDeps {
  readonly layout: LmdbLayout;
  readonly queue: WriteQueue;
  readonly hub: ChangeHub;
  readonly now: () => number;
  readonly assertOpen: () => void;
}

/** One collection of the embedded store; all writes go through the group-commit queue. */
export class EmbeddedCollection<T> implements Collection<T> {
  readonly name: string;

  constructor(
    private readonly spec: CollectionSpec<T>,
    private readonly deps: EmbeddedCollectionDeps,
  ) {
    this.name = spec.name;
  }

  async get(id: string): Promise<StoredRecord<T> | undefined> {
    this.deps.assertOpen();
    assertValidId(this.name, id);
    const entry = this.read(() => this.deps.layout.readLive(this.name, id, this.deps.now()));
    return entry === undefined ? undefined : toStored<T>(id, entry);
  }

  async list(options: ListOptions = {}): Promise<StoredRecord<T>[]> {
    this.deps.assertOpen();
    assertValidLimit(options.limit);
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const { layout, now } = this.deps;
    const nowMs = now();
    const out: StoredRecord<T>[] = [];
    if (limit === 0) return out;
    return this.read(() => {
      if (options.index !== undefined) {
        assertListableIndex(this.spec as CollectionSpec<unknown>, options.index, options.value);
        for (const id of layout.idsInIndex(this.name, options.index, options.value)) {
          const entry = layout.readLive(this.name, id, nowMs);
          if (entry === undefined) continue;
          out.push(toStored<T>(id, entry));
          if (out.length >= limit) break;
        }
        return out;
      }
      for (const { id, entry } of layout.recordsWithPrefix(this.name, options.idPrefix ?? '')) {
        if (isExpired(entry, nowMs)) continue;
        out.push(toStored<T>(id, entry));
        if (out.length >= limit) break;
      }
      return out;
    });
  }

  async create(id: string, value: T, options: WriteOptions = {}): Promise<StoredRecord<T>> {
    this.deps.assertOpen();
    assertValidId(this.name, id);
    const prepared = this.prepare(value, options.ttlSeconds);
    return this.deps.queue.run(() => {
      const { layout } = this.deps;
      const nowMs = this.deps.now();
      const previous = layout.records.get([this.name, id]);
      if (previous !== undefined && !isExpired(previous, nowMs)) throw idTaken(this.name, id);
      return this.write(id, prepared, prepared.exp, previous, nowMs, 'created');
    });
  }

  async update(id: string, value: T, options: UpdateOptions = {}): Promise<StoredRecord<T>> {
    this.deps.assertOpen();
    assertValidId(this.name, id);
    const prepared = this.prepare(value, options.ttlSeconds);
    return this.deps.queue.run(() => {
      const { layout } = this.deps;
      const nowMs = this.deps.now();
      const previous = layout.readLive(this.name, id, nowMs);
      if (previous === undefined) throw notFound(this.name, id);
      if (
        options.resourceVersion !== undefined &&
        options.resourceVersion !== String(previous.rv)
      ) {
        throw staleVersion(this.name, id);
      }
      // An update without ttlSeconds keeps the record's current expiry.
      const exp = prepared.exp ?? previous.exp;
      return this.write(id, prepared, exp, previous, nowMs, 'updated');
    });
  }

  async delete(id: string, options: DeleteOptions = {}): Promise<boolean> {
    this.deps.assertOpen();
    assertValidId(this.name, id);
    return this.deps.queue.run((): WriteOutcome<boolean> => {
      const { layout } = this.deps;
      const previous = layout.readLive(this.name, id, this.deps.now());
      if (previous === undefined) return { result: false, events: [] };
      if (
        options.resourceVersion !== undefined &&
        options.resourceVersion !== String(previous.rv)
      ) {
        throw staleVersion(this.name, id);
      }
      layout.removeRecord(this.name, id, previous);
      const rv = layout.nextVersion();
      const event: ChangeEvent<unknown> = {
        type: 'deleted',
        collection: this.name,
        id,
        resourceVersion: String(rv),
        value: previous.v,
      };
      return { result: true, events: [event] };
    });
  }

  watch(listener: (event: ChangeEvent<T>) => void): Unsubscribe {
    return this.deps.hub.add(this.name, listener as (event: ChangeEvent<unknown>) => void);
  }

  /** Serialises and indexes the value outside the transaction, where throwing is cheap. */
  private prepare(value: T, ttlSeconds: number | undefined) {
    const copy = JSON.parse(toJson(this.name, value)) as T;
    const entries = indexEntriesOf(this.spec, copy);
    return { copy, entries, exp: expiryOf(this.name, ttlSeconds, this.deps.now()) };
  }

  private write(
    id: string,
    prepared: ReturnType<EmbeddedCollection<T>['prepare']>,
    exp: number | undefined,
    previous: RecordEntry | undefined,
    nowMs: number,
    type: 'created' | 'updated',
  ): WriteOutcome<StoredRecord<T>> {
    const { layout } = this.deps;
    for (const entry of prepared.entries) {
      if (!entry.unique) continue;
      for (const holder of layout.idsInIndex(this.name, entry.index, entry.key)) {
        if (holder !== id && layout.readLive(this.name, holder, nowMs) !== undefined) {
          throw uniqueConflict(this.name, entry);
        }
      }
    }
    const rv = layout.nextVersion();
    const next: RecordEntry = {
      v: prepared.copy,
      rv,
      ...(exp === undefined ? {} : { exp }),
      ix: prepared.entries.map((entry) => [entry.index, entry.key] as const),
    };
    layout.writeRecord(this.name, id, next, previous);
    const stored = toStored<T>(id, next);
    const event: ChangeEvent<unknown> = {
      type,
      collection: this.name,
      id,
      resourceVersion: stored.resourceVersion,
      value: prepared.copy,
    };
    return { result: stored, events: [event] };
  }

  private read<R>(fn: () => R): R {
    try {
      return fn();
    } catch (error) {
      if (isPaddockError(error)) throw error;
      throw storeUnavailable('The embedded store failed a read', error);
    }
  }
}

function toStored<T>(id: string, entry: RecordEntry): StoredRecord<T> {
  return {
    id,
    resourceVersion: String(entry.rv),
    ...(entry.exp === undefined ? {} : { expiresAt: entry.exp }),
    // Values are handed out as copies so a caller mutating one cannot change what others read.
    value: structuredClone(entry.v) as T,
  };
}
