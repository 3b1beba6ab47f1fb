/**
 * A named lease in the store: at most one holder at a time, kept alive by renewals, lost when
 * the holder stops renewing for `ttlSeconds` (the record's TTL removes it). Compare-and-set on
 * the record's version makes acquisition and renewal safe across replicas on Redis.
 */
import type { Collection, CollectionSpec, Store } from '../domain/store.js';
import { hasErrorCode } from '../errors/index.js';

export interface LeaseRecord {
  readonly name: string;
  /** Identifies the replica holding the lease (`<hostname>/<pid>/<random>`). */
  readonly holder: string;
  readonly acquiredAt: number;
  readonly renewedAt: number;
}

export const leasesCollection: CollectionSpec<LeaseRecord> = { name: 'controller-leases' };

export interface LeaseOptions {
  readonly store: Store;
  readonly holder: string;
  readonly ttlSeconds: number;
  readonly now?: () => number;
}

/** One replica's view of the leases: try to take, renew or give back a lease by name. */
export class StoreLeases {
  readonly #leases: Collection<LeaseRecord>;
  readonly #holder: string;
  readonly #ttlSeconds: number;
  readonly #now: () => number;
  /** The version of each lease this replica last wrote, for compare-and-set. */
  readonly #held = new Map<string, string>();

  constructor(options: LeaseOptions) {
    this.#leases = options.store.collection(leasesCollection);
    this.#holder = options.holder;
    this.#ttlSeconds = options.ttlSeconds;
    this.#now = options.now ?? Date.now;
  }

  get holder(): string {
    return this.#holder;
  }

  /** True when this replica now holds the lease (newly taken or renewed). */
  async acquire(name: string): Promise<boolean> {
    if (this.#held.has(name)) return this.renew(name);
    const now = this.#now();
    try {
      const created = await this.#leases.create(
        name,
        { name, holder: this.#holder, acquiredAt: now, renewedAt: now },
        { ttlSeconds: this.#ttlSeconds },
      );
      this.#held.set(name, created.resourceVersion);
      return true;
    } catch (err) {
      if (!hasErrorCode(err, 'CONFLICT')) throw err;
    }
    // Held by someone; a record left by this very holder (a restart with the same id) is ours.
    const current = await this.#leases.get(name);
    if (current?.value.holder !== this.#holder) return false;
    this.#held.set(name, current.resourceVersion);
    return this.renew(name);
  }

  /** Extends a held lease; false (and forgotten) when another replica took it meanwhile. */
  async renew(name: string): Promise<boolean> {
    const version = this.#held.get(name);
    if (version === undefined) return false;
    const current = await this.#leases.get(name);
    if (current === undefined || current.value.holder !== this.#holder) {
      this.#held.delete(name);
      return false;
    }
    try {
      const written = await this.#leases.update(
        name,
        { ...current.value, renewedAt: this.#now() },
        { resourceVersion: current.resourceVersion, ttlSeconds: this.#ttlSeconds },
      );
      this.#held.set(name, written.resourceVersion);
      return true;
    } catch (err) {
      if (!hasErrorCode(err, 'CONFLICT') && !hasErrorCode(err, 'NOT_FOUND')) throw err;
      this.#held.delete(name);
      return false;
    }
  }

  /** Gives the lease back so another replica can take it at once. */
  async release(name: string): Promise<void> {
    if (!this.#held.delete(name)) return;
    const current = await this.#leases.get(name);
    if (current?.value.holder !== this.#holder) return;
    await this.#leases
      .delete(name, { resourceVersion: current.resourceVersion })
      .catch((err: unknown) => {
        if (!hasErrorCode(err, 'CONFLICT')) throw err;
      });
  }

  /** Who holds a lease now, if anyone (for status pages and tests). */
  async holderOf(name: string): Promise<string | undefined> {
    return (await this.#leases.get(name))?.value.holder;
  }
}
