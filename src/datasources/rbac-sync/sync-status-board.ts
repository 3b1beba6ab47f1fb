/**
 * The push-down's outcome per cluster, where every replica reads it. The push-down runs on one
 * replica (a controller with a lease) and writes each status here; GraphQL on any replica
 * (rbacSyncStatus, explainAccess) answers from memory, which the store's change feed keeps
 * equal to what the running replica wrote.
 */
import type { Logger } from '../../domain/logger.js';
import type { RbacSyncStatus, RbacSyncStatusReader } from '../../domain/rbac-downstream.js';
import type { ChangeEvent, CollectionSpec, Store, Unsubscribe } from '../../domain/store.js';

export interface SyncStatusBoard extends RbacSyncStatusReader {
  put(status: RbacSyncStatus): void;
  remove(clusterId: string): void;
}

/** One replica's board, for tests and single-process use. */
export class MemorySyncStatusBoard implements SyncStatusBoard {
  readonly #statuses = new Map<string, RbacSyncStatus>();

  status(clusterId: string): RbacSyncStatus | undefined {
    return this.#statuses.get(clusterId);
  }

  statuses(): readonly RbacSyncStatus[] {
    return [...this.#statuses.values()];
  }

  put(status: RbacSyncStatus): void {
    this.#statuses.set(status.clusterId, status);
  }

  remove(clusterId: string): void {
    this.#statuses.delete(clusterId);
  }
}

export const syncStatusCollection: CollectionSpec<RbacSyncStatus> = { name: 'rbac-sync-status' };

/** The board shared by every replica through the store. */
export class StoreSyncStatusBoard implements SyncStatusBoard {
  readonly #records;
  readonly #logger: Logger;
  readonly #store: Store;
  readonly #statuses = new Map<string, RbacSyncStatus>();
  #unwatch: Unsubscribe[] = [];

  constructor(options: { store: Store; logger: Logger }) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#records = options.store.collection(syncStatusCollection);
  }

  /** Loads every status and follows the change feed; call before serving. */
  async start(): Promise<void> {
    if (this.#unwatch.length > 0) return;
    this.#unwatch = [
      this.#records.watch((e) => this.#apply(e)),
      ...(this.#store.onFeedState
        ? [
            this.#store.onFeedState((live) => {
              if (live) void this.#reload();
            }),
          ]
        : []),
    ];
    await this.#reload();
  }

  close(): void {
    for (const u of this.#unwatch) u();
    this.#unwatch = [];
  }

  status(clusterId: string): RbacSyncStatus | undefined {
    return this.#statuses.get(clusterId);
  }

  statuses(): readonly RbacSyncStatus[] {
    return [...this.#statuses.values()];
  }

  put(status: RbacSyncStatus): void {
    this.#statuses.set(status.clusterId, status);
    this.#write(status).catch((err: unknown) =>
      this.#logger.warn({ err, clusterId: status.clusterId }, 'rbac sync: cannot store a status'),
    );
  }

  remove(clusterId: string): void {
    this.#statuses.delete(clusterId);
    this.#records.delete(clusterId).catch((err: unknown) => {
      this.#logger.warn({ err, clusterId }, 'rbac sync: cannot forget a status');
    });
  }

  async #write(status: RbacSyncStatus): Promise<void> {
    const existing = await this.#records.get(status.clusterId);
    if (existing === undefined) {
      await this.#records.create(status.clusterId, status).catch(async () => {
        await this.#records.update(status.clusterId, status);
      });
    } else {
      await this.#records.update(status.clusterId, status);
    }
  }

  #apply(e: ChangeEvent<RbacSyncStatus>): void {
    if (e.type === 'deleted' || e.value === undefined) this.#statuses.delete(e.id);
    else this.#statuses.set(e.id, e.value);
  }

  async #reload(): Promise<void> {
    try {
      const records = await this.#records.list();
      const ids = new Set(records.map((r) => r.id));
      for (const id of this.#statuses.keys()) if (!ids.has(id)) this.#statuses.delete(id);
      for (const r of records) this.#statuses.set(r.id, r.value);
    } catch (err) {
      this.#logger.warn({ err }, 'rbac sync: cannot read the statuses from the store');
    }
  }
}
