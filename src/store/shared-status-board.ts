/**
 * A `StatusBoard` shared by every replica through the store: writes go to a collection (one
 * record per cluster), and each replica keeps the collection in memory from the change feed,
 * reloading it after a gap in the feed. Reads never wait on the store.
 */
import type { Logger } from '../domain/logger.js';
import type { StatusBoard } from '../domain/status-board.js';
import type { ChangeEvent, Collection, Store, Unsubscribe } from '../domain/store.js';

export interface StoreStatusBoardOptions {
  readonly store: Store;
  readonly logger: Logger;
  /** The collection's name in the store. */
  readonly collection: string;
  /** Names the board in log lines ("rbac sync", "logging"). */
  readonly label: string;
}

export class StoreStatusBoard<T extends { readonly clusterId: string }> implements StatusBoard<T> {
  readonly #records: Collection<T>;
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #label: string;
  readonly #statuses = new Map<string, T>();
  /** One write at a time per cluster, so a later `put` never lands before an earlier one. */
  readonly #writes = new Map<string, Promise<void>>();
  #unwatch: Unsubscribe[] = [];

  constructor(options: StoreStatusBoardOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#label = options.label;
    this.#records = options.store.collection<T>({ name: options.collection });
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

  status(clusterId: string): T | undefined {
    return this.#statuses.get(clusterId);
  }

  statuses(): readonly T[] {
    return [...this.#statuses.values()];
  }

  put(status: T): void {
    this.#statuses.set(status.clusterId, status);
    this.#queue(status.clusterId, () => this.#write(status), 'cannot store a status');
  }

  remove(clusterId: string): void {
    this.#statuses.delete(clusterId);
    this.#queue(
      clusterId,
      async () => {
        await this.#records.delete(clusterId);
      },
      'cannot forget a status',
    );
  }

  /** Resolves once every write queued so far has been tried (for tests and shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.#writes.values()]);
  }

  #queue(clusterId: string, write: () => Promise<void>, failure: string): void {
    const next = (this.#writes.get(clusterId) ?? Promise.resolve())
      .then(write)
      .catch((err: unknown) => this.#logger.warn({ err, clusterId }, `${this.#label}: ${failure}`))
      .finally(() => {
        if (this.#writes.get(clusterId) === next) this.#writes.delete(clusterId);
      });
    this.#writes.set(clusterId, next);
  }

  async #write(status: T): Promise<void> {
    if ((await this.#records.get(status.clusterId)) === undefined) {
      // Another writer may create it between the read and here: then update it instead.
      await this.#records.create(status.clusterId, status).catch(async () => {
        await this.#records.update(status.clusterId, status);
      });
    } else {
      await this.#records.update(status.clusterId, status);
    }
  }

  #apply(e: ChangeEvent<T>): void {
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
      this.#logger.warn({ err }, `${this.#label}: cannot read the statuses from the store`);
    }
  }
}
