import { mkdirSync } from 'node:fs';
import { type Database, type Key, open, type RootDatabase } from 'lmdb';

/** What LMDB keeps per record: value, version, expiry and the index keys it was filed under. */
export interface RecordEntry {
  readonly v: unknown;
  readonly rv: number;
  readonly exp?: number;
  /** [indexName, indexKey] pairs, so updates and deletes never recompute old keys. */
  readonly ix: readonly (readonly [string, string])[];
}

/**
 * The LMDB environment and its named databases:
 * - records: [collection, id] → RecordEntry
 * - indexes: [collection, indexName, indexKey, id] → true
 * - expiry:  [expiresAt, collection, id] → true (what the sweeper scans)
 * - meta:    'rv' → last resourceVersion handed out
 * Every write method must run inside a `transactionSync`.
 */
export class LmdbLayout {
  private constructor(
    readonly root: RootDatabase,
    readonly records: Database<RecordEntry, Key>,
    readonly indexes: Database<true, Key>,
    readonly expiry: Database<true, Key>,
    readonly meta: Database<number, string>,
  ) {}

  static open(directory: string): LmdbLayout {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    // overlappingSync is on by default on Linux and resolves writes before the fsync; turning it
    // off makes every committed transaction durable before the commit returns.
    const root = open({ path: directory, overlappingSync: false, maxDbs: 8 });
    const records = root.openDB<RecordEntry, Key>({ name: 'records', encoding: 'json' });
    const indexes = root.openDB<true, Key>({ name: 'indexes', encoding: 'json' });
    const expiry = root.openDB<true, Key>({ name: 'expiry', encoding: 'json' });
    const meta = root.openDB<number, string>({ name: 'meta', encoding: 'json' });
    return new LmdbLayout(root, records, indexes, expiry, meta);
  }

  /** The record unless it is absent or expired at `nowMs`. */
  readLive(collection: string, id: string, nowMs: number): RecordEntry | undefined {
    const entry = this.records.get([collection, id]);
    if (entry === undefined || isExpired(entry, nowMs)) return undefined;
    return entry;
  }

  nextVersion(): number {
    const next = (this.meta.get('rv') ?? 0) + 1;
    this.meta.putSync('rv', next);
    return next;
  }

  /** Ids filed under one index key, in id order. */
  *idsInIndex(collection: string, index: string, key: string): Generator<string> {
    for (const k of this.indexes.getKeys({ start: [collection, index, key] })) {
      const parts = k as unknown[];
      if (parts[0] !== collection || parts[1] !== index || parts[2] !== key) return;
      yield parts[3] as string;
    }
  }

  /** Records of a collection whose id starts with `idPrefix`, in id order (expired included). */
  *recordsWithPrefix(
    collection: string,
    idPrefix: string,
  ): Generator<{ id: string; entry: RecordEntry }> {
    const start = idPrefix === '' ? [collection] : [collection, idPrefix];
    for (const { key, value } of this.records.getRange({ start })) {
      const parts = key as unknown[];
      if (parts[0] !== collection) return;
      const id = parts[1] as string;
      if (!id.startsWith(idPrefix)) return;
      yield { id, entry: value };
    }
  }

  /** Writes a record and moves its index and expiry entries from `previous` to `next`. */
  writeRecord(
    collection: string,
    id: string,
    next: RecordEntry,
    previous: RecordEntry | undefined,
  ): void {
    if (previous !== undefined) this.dropSideEntries(collection, id, previous);
    this.records.putSync([collection, id], next);
    for (const [index, key] of next.ix) this.indexes.putSync([collection, index, key, id], true);
    if (next.exp !== undefined) this.expiry.putSync([next.exp, collection, id], true);
  }

  removeRecord(collection: string, id: string, previous: RecordEntry): void {
    this.dropSideEntries(collection, id, previous);
    this.records.removeSync([collection, id]);
  }

  private dropSideEntries(collection: string, id: string, previous: RecordEntry): void {
    for (const [index, key] of previous.ix) this.indexes.removeSync([collection, index, key, id]);
    if (previous.exp !== undefined) this.expiry.removeSync([previous.exp, collection, id]);
  }
}

export function isExpired(entry: RecordEntry, nowMs: number): boolean {
  return entry.exp !== undefined && entry.exp <= nowMs;
}
