/**
 * The Store port: typed collections of JSON records with secondary indexes, optimistic
 * concurrency, TTL and a change feed. Implemented by `src/store/embedded` (LMDB) and
 * `src/store/redis` (ioredis); both pass `tests/support/store-contract.ts`.
 */

/** A stored value plus the bookkeeping the store keeps for it. */
export interface StoredRecord<T> {
  readonly id: string;
  /** Opaque, changes on every write; pass it back to `update`/`delete` for compare-and-set. */
  readonly resourceVersion: string;
  /** Epoch milliseconds after which the record no longer exists, if it has a TTL. */
  readonly expiresAt?: number;
  readonly value: T;
}

/** Derives index keys from a value; `undefined` or `[]` leaves the record out of the index. */
export type IndexKeyFn<T> = (value: T) => string | readonly string[] | undefined;

export interface IndexSpec<T> {
  readonly key: IndexKeyFn<T>;
  /** A second record with the same key is refused with a `CONFLICT` error. */
  readonly unique?: boolean;
}

/** Declares a collection: its name (`[a-z][a-z0-9-]*`) and its secondary indexes. */
export interface CollectionSpec<T> {
  readonly name: string;
  readonly indexes?: Readonly<Record<string, IndexSpec<T>>>;
}

export interface WriteOptions {
  /** The record disappears this many seconds after the write. */
  readonly ttlSeconds?: number;
}

/** Without `ttlSeconds`, an update keeps the record's current expiry (if any). */
export interface UpdateOptions extends WriteOptions {
  /** When given, the update succeeds only if the record is still at this version. */
  readonly resourceVersion?: string;
}

export interface DeleteOptions {
  readonly resourceVersion?: string;
}

export interface ListOptions {
  /** Name of a secondary index declared in the collection spec. */
  readonly index?: string;
  /** The exact index key to look up; required with `index`. */
  readonly value?: string;
  /** Only records whose id starts with this prefix (ignored with `index`). */
  readonly idPrefix?: string;
  readonly limit?: number;
}

export type ChangeType = 'created' | 'updated' | 'deleted';

export interface ChangeEvent<T> {
  readonly type: ChangeType;
  readonly collection: string;
  readonly id: string;
  readonly resourceVersion: string;
  /** The new value (created/updated) or the last value (deleted, when known). */
  readonly value?: T;
}

export type Unsubscribe = () => void;

export interface Collection<T> {
  readonly name: string;
  get(id: string): Promise<StoredRecord<T> | undefined>;
  list(options?: ListOptions): Promise<StoredRecord<T>[]>;
  /** Fails with `CONFLICT` if the id or a unique index key is taken. */
  create(id: string, value: T, options?: WriteOptions): Promise<StoredRecord<T>>;
  /** Fails with `NOT_FOUND` if absent and `CONFLICT` on a stale version or unique key. */
  update(id: string, value: T, options?: UpdateOptions): Promise<StoredRecord<T>>;
  /** Returns false if there was nothing to delete; `CONFLICT` on a stale version. */
  delete(id: string, options?: DeleteOptions): Promise<boolean>;
  /** Every change to this collection, from any replica sharing the store. */
  watch(listener: (event: ChangeEvent<T>) => void): Unsubscribe;
}

/** One record as written by `paddock backup`. */
export interface BackupRecord {
  readonly collection: string;
  readonly id: string;
  readonly value: unknown;
  readonly expiresAt?: number;
}

export interface Store {
  readonly kind: 'embedded' | 'redis';
  collection<T>(spec: CollectionSpec<T>): Collection<T>;
  /** Resolves when the backend answers; rejects with `STORE_UNAVAILABLE` otherwise. */
  ping(): Promise<void>;
  /** Every live record of every collection, for backups. */
  exportRecords(): AsyncIterable<BackupRecord>;
  /**
   * Replaces the store's whole content with these records, computing index keys from `specs`
   * (records of collections without a spec are kept, unindexed). Returns the count written.
   */
  importRecords(
    records: AsyncIterable<BackupRecord>,
    specs: readonly CollectionSpec<unknown>[],
  ): Promise<number>;
  close(): Promise<void>;
  /**
   * The change feed's health, for caches fed by it: `false` when it may be missing events
   * (the Redis pub/sub connection dropped), `true` once it is live again. Whatever changed in
   * between was not announced, so caches drop what they hold at both moments and trust
   * nothing they would have been told about while it is down. Absent: the feed never drops
   * events (the embedded store, in one process).
   */
  onFeedState?(listener: (live: boolean) => void): Unsubscribe;
}
