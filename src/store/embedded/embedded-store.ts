import { join } from 'node:path';
import type { BackupRecord, Collection, CollectionSpec, Store } from '../../domain/store.js';
import { PaddockError } from '../../errors/index.js';
import { ChangeHub } from '../shared/change-hub.js';
import { planImport } from '../shared/import-plan.js';
import { storeUnavailable } from '../shared/store-errors.js';
import type { StoreLogger } from '../shared/store-logger.js';
import { assertValidSpec } from '../shared/validation.js';
import { DiskSpaceGuard } from './disk-space-guard.js';
import { EmbeddedCollection } from './embedded-collection.js';
import { sweepExpired } from './expiry-sweeper.js';
import { isExpired, LmdbLayout, type RecordEntry } from './lmdb-layout.js';
import { WriteQueue } from './write-queue.js';

export interface EmbeddedStoreOptions {
  /** The data directory; the database lives in `<dataDir>/store`. */
  readonly dataDir: string;
  readonly logger?: StoreLogger;
  readonly now?: () => number;
  /** How often expired records are swept; 0 disables the sweeper (e.g. for a backup CLI). */
  readonly sweepIntervalMs?: number;
  readonly sweepBatchSize?: number;
  /**
   * Writes are refused (STORE_UNAVAILABLE, `disk_full`) while the data directory's file system
   * has less free space than this, so LMDB never meets a full disk; default 64 MiB.
   */
  readonly minFreeBytes?: number;
}

export const DEFAULT_MIN_FREE_BYTES = 64 * 1024 * 1024;

/**
 * The default Store: LMDB in the data directory. Durable (each commit is fsynced before the
 * write resolves), safe to open from a second process (e.g. `paddock backup`) while a server
 * runs; change events are delivered to watchers in the writing process only.
 */
export class EmbeddedStore implements Store {
  readonly kind = 'embedded' as const;
  private readonly layout: LmdbLayout;
  private readonly hub: ChangeHub;
  private readonly queue: WriteQueue;
  private readonly now: () => number;
  private readonly sweepTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(options: EmbeddedStoreOptions) {
    this.now = options.now ?? Date.now;
    this.hub = new ChangeHub(options.logger);
    try {
      this.layout = LmdbLayout.open(join(options.dataDir, 'store'));
    } catch (error) {
      throw storeUnavailable(`Cannot open the embedded store in ${options.dataDir}`, error);
    }
    const storeDir = join(options.dataDir, 'store');
    const guard = new DiskSpaceGuard({
      directory: storeDir,
      minFreeBytes: options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES,
      onChange: (full, freeBytes) => {
        if (full) {
          options.logger?.warn(
            { dataDir: options.dataDir, freeBytes },
            'embedded store: the disk is full; writes are refused until space is freed',
          );
        } else {
          options.logger?.warn(
            { dataDir: options.dataDir, freeBytes },
            'embedded store: disk space is back; writes resume',
          );
        }
      },
    });
    this.queue = new WriteQueue(this.layout.root, (event) => this.hub.emit(event), guard);
    const interval = options.sweepIntervalMs ?? 1000;
    const batch = options.sweepBatchSize ?? 500;
    if (interval > 0) {
      this.sweepTimer = setInterval(() => {
        this.queue
          .run(() => sweepExpired(this.layout, this.now(), batch))
          .catch((error) => {
            // A full disk was already said once, loudly.
            if ((error as { reason?: unknown }).reason === 'disk_full') return;
            options.logger?.warn({ err: error }, 'embedded store: expiry sweep failed');
          });
      }, interval);
      // The sweeper alone must never keep the process alive.
      this.sweepTimer.unref();
    }
  }

  static open(options: EmbeddedStoreOptions): EmbeddedStore {
    return new EmbeddedStore(options);
  }

  collection<T>(spec: CollectionSpec<T>): Collection<T> {
    assertValidSpec(spec as CollectionSpec<unknown>);
    return new EmbeddedCollection<T>(spec, {
      layout: this.layout,
      queue: this.queue,
      hub: this.hub,
      now: this.now,
      assertOpen: () => this.assertOpen(),
    });
  }

  async ping(): Promise<void> {
    this.assertOpen();
    try {
      this.layout.meta.get('rv');
    } catch (error) {
      throw storeUnavailable('The embedded store does not answer', error);
    }
  }

  async *exportRecords(): AsyncIterable<BackupRecord> {
    this.assertOpen();
    const nowMs = this.now();
    // Copy out synchronously: one consistent snapshot, no read transaction held across awaits.
    const snapshot: { key: unknown[]; value: RecordEntry }[] = [];
    for (const { key, value } of this.layout.records.getRange()) {
      snapshot.push({ key: key as unknown[], value });
    }
    for (const { key, value } of snapshot) {
      if (isExpired(value, nowMs)) continue;
      yield {
        collection: key[0] as string,
        id: key[1] as string,
        value: value.v,
        ...(value.exp === undefined ? {} : { expiresAt: value.exp }),
      };
    }
  }

  async importRecords(
    records: AsyncIterable<BackupRecord>,
    specs: readonly CollectionSpec<unknown>[],
  ): Promise<number> {
    this.assertOpen();
    const planned = await planImport(records, specs, this.now());
    const { layout } = this;
    // One transaction: a failed import leaves the previous content in place.
    return this.queue.run(() => {
      for (const key of [...layout.records.getKeys()]) layout.records.removeSync(key);
      for (const key of [...layout.indexes.getKeys()]) layout.indexes.removeSync(key);
      for (const key of [...layout.expiry.getKeys()]) layout.expiry.removeSync(key);
      for (const record of planned) {
        const entry: RecordEntry = {
          v: JSON.parse(record.json) as unknown,
          rv: layout.nextVersion(),
          ...(record.expiresAt === undefined ? {} : { exp: record.expiresAt }),
          ix: record.entries.map((e) => [e.index, e.key] as const),
        };
        layout.writeRecord(record.collection, record.id, entry, undefined);
      }
      return { result: planned.length, events: [] };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
    this.queue.close();
    this.hub.clear();
    await this.layout.root.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new PaddockError('STORE_UNAVAILABLE', 'The store is closed');
  }
}
