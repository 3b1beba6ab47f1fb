/**
 * Where capacity snapshots go and where every replica reads them. The refresher runs on one
 * replica (a controller with a lease); it writes each cluster's snapshot into the store with a
 * TTL, and every replica keeps all of them in memory, fed by the store's change feed, so the
 * "all clusters on one page" query costs no downstream call and no store round trip anywhere.
 */
import type { ClusterCapacityReader, ClusterCapacitySnapshot } from '../../domain/kube-api.js';
import type { Logger } from '../../domain/logger.js';
import type { ChangeEvent, CollectionSpec, Store, Unsubscribe } from '../../domain/store.js';

export interface CapacityBoard extends ClusterCapacityReader {
  put(clusterId: string, snapshot: ClusterCapacitySnapshot): Promise<void>;
  /** Forgets clusters that are no longer registered. */
  retain(clusterIds: ReadonlySet<string>): Promise<void>;
}

export interface CapacityBoardOptions {
  /** A snapshot older than this is not served (GraphQL then reads as the caller). */
  readonly staleAfterMs: number;
  readonly now?: () => number;
}

/** One replica's board, for tests and single-process use. */
export class MemoryCapacityBoard implements CapacityBoard {
  readonly #snapshots = new Map<string, ClusterCapacitySnapshot>();
  readonly #o: CapacityBoardOptions;

  constructor(options: CapacityBoardOptions) {
    this.#o = options;
  }

  async capacity(clusterId: string): Promise<ClusterCapacitySnapshot | undefined> {
    return fresh(this.#snapshots.get(clusterId), this.#o);
  }

  async put(clusterId: string, snapshot: ClusterCapacitySnapshot): Promise<void> {
    this.#snapshots.set(clusterId, snapshot);
  }

  async retain(clusterIds: ReadonlySet<string>): Promise<void> {
    for (const id of this.#snapshots.keys()) if (!clusterIds.has(id)) this.#snapshots.delete(id);
  }
}

export const capacityCollection: CollectionSpec<ClusterCapacitySnapshot> = {
  name: 'cluster-capacity',
};

export interface StoreCapacityBoardOptions extends CapacityBoardOptions {
  readonly store: Store;
  readonly logger?: Logger;
}

/** The board shared by every replica through the store. */
export class StoreCapacityBoard implements CapacityBoard {
  readonly #o: StoreCapacityBoardOptions;
  readonly #records;
  #cache: Map<string, ClusterCapacitySnapshot> | undefined;
  #loading: Promise<Map<string, ClusterCapacitySnapshot>> | undefined;
  #pending: ChangeEvent<ClusterCapacitySnapshot>[] = [];
  readonly #unwatch: Unsubscribe[];

  constructor(options: StoreCapacityBoardOptions) {
    this.#o = options;
    this.#records = options.store.collection(capacityCollection);
    this.#unwatch = [
      this.#records.watch((e) => {
        if (this.#cache !== undefined) apply(this.#cache, e);
        // Applied after the list, which may have been read before this change.
        else if (this.#loading !== undefined) this.#pending.push(e);
      }),
      // A gap in the feed: read everything again at the next question.
      ...(options.store.onFeedState ? [options.store.onFeedState(() => this.#forget())] : []),
    ];
  }

  async capacity(clusterId: string): Promise<ClusterCapacitySnapshot | undefined> {
    return fresh((await this.#all()).get(clusterId), this.#o);
  }

  async put(clusterId: string, snapshot: ClusterCapacitySnapshot): Promise<void> {
    const ttlSeconds = Math.max(
      1,
      Math.ceil(Math.max(this.#o.staleAfterMs, snapshot.staleAfterMs ?? 0) / 1000),
    );
    const existing = await this.#records.get(clusterId);
    if (existing === undefined) {
      await this.#records.create(clusterId, snapshot, { ttlSeconds }).catch(async () => {
        await this.#records.update(clusterId, snapshot, { ttlSeconds });
      });
    } else {
      await this.#records.update(clusterId, snapshot, { ttlSeconds });
    }
    this.#cache?.set(clusterId, snapshot);
  }

  async retain(clusterIds: ReadonlySet<string>): Promise<void> {
    for (const record of await this.#records.list()) {
      if (!clusterIds.has(record.id)) await this.#records.delete(record.id);
    }
  }

  close(): void {
    for (const u of this.#unwatch) u();
    this.#forget();
  }

  #forget(): void {
    this.#cache = undefined;
    this.#loading = undefined;
    this.#pending = [];
  }

  #all(): Promise<Map<string, ClusterCapacitySnapshot>> {
    if (this.#cache !== undefined) return Promise.resolve(this.#cache);
    if (this.#loading !== undefined) return this.#loading;
    const loading = this.#records.list().then(
      (records) => {
        const map = new Map(records.map((r) => [r.id, r.value]));
        if (this.#loading !== loading) return map; // forgotten meanwhile (a feed gap)
        for (const e of this.#pending) apply(map, e);
        this.#pending = [];
        this.#cache = map;
        this.#loading = undefined;
        return map;
      },
      (err: unknown) => {
        this.#loading = undefined;
        this.#o.logger?.warn({ err }, 'capacity: cannot read the snapshots from the store');
        return new Map<string, ClusterCapacitySnapshot>();
      },
    );
    this.#loading = loading;
    return loading;
  }
}

function apply(
  map: Map<string, ClusterCapacitySnapshot>,
  e: ChangeEvent<ClusterCapacitySnapshot>,
): void {
  if (e.type === 'deleted' || e.value === undefined) map.delete(e.id);
  else map.set(e.id, e.value);
}

function fresh(
  snapshot: ClusterCapacitySnapshot | undefined,
  o: CapacityBoardOptions,
): ClusterCapacitySnapshot | undefined {
  if (snapshot === undefined) return undefined;
  const limit = snapshot.staleAfterMs ?? o.staleAfterMs;
  return (o.now ?? Date.now)() - snapshot.readAt > limit ? undefined : snapshot;
}
