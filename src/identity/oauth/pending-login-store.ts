/**
 * Keeps pending redirect logins in the Store between `/start` and `/callback`, so the callback
 * may land on any replica. Each record expires with its login and is taken at most once.
 * `/start` needs no credential, so one source address (IPv4, or IPv6 /64) may hold only a
 * bounded number of live pending logins: past the cap further starts are refused (429 until
 * the oldest expires) before anything is written, so a flood of anonymous starts neither grows
 * the store nor costs it a write per request.
 */
import type { PendingRedirectLogin, RedirectStart } from '../../domain/redirect-provider.js';
import type { Collection, CollectionSpec, Store } from '../../domain/store.js';
import { hasErrorCode, PaddockError } from '../../errors/index.js';
import { addressBucket } from '../address-bucket.js';

/** A pending login as stored: plus the source address bucket that started it. */
export type StoredPendingLogin = PendingRedirectLogin & { readonly source?: string };

export const pendingLoginsCollection: CollectionSpec<StoredPendingLogin> = {
  name: 'oauth-pending-logins',
  indexes: { bySource: { key: (p) => p.source } },
};

/** What `randomToken` makes; anything else is not looked up at all. */
const STATE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/** Live pending logins one source address (IPv4, or IPv6 /64) may hold at once. */
export const DEFAULT_MAX_PENDING_PER_SOURCE = 50;

export interface PendingLoginStoreOptions {
  readonly maxPerSource?: number;
}

export class PendingLoginStore {
  private readonly logins: Collection<StoredPendingLogin>;
  private readonly maxPerSource: number;

  constructor(
    store: Store,
    private readonly now: () => number = Date.now,
    options: PendingLoginStoreOptions = {},
  ) {
    this.logins = store.collection(pendingLoginsCollection);
    this.maxPerSource = options.maxPerSource ?? DEFAULT_MAX_PENDING_PER_SOURCE;
  }

  /**
   * Keeps the pending login until it expires (at least one second). TOO_MANY_REQUESTS
   * (`too_many_pending_logins`, with `retryAfterSeconds`) when the source already holds the
   * cap of live pending logins.
   */
  async save(start: RedirectStart, remoteAddress?: string): Promise<void> {
    // Callers without a usable address share one bucket rather than escaping the cap.
    const source =
      (remoteAddress === undefined ? undefined : addressBucket(remoteAddress)) ?? 'unknown';
    await this.assertRoom(source);
    const ttlSeconds = Math.max(1, Math.ceil((start.pending.expiresAt - this.now()) / 1000));
    await this.logins.create(start.state, { ...start.pending, source }, { ttlSeconds });
    try {
      // Concurrent starts may all have passed the first check: the newest beyond the cap go.
      await this.assertRoom(source, start.state);
    } catch (err) {
      await this.logins.delete(start.state);
      throw err;
    }
  }

  /** Refuses when `source` holds the cap already (not counting `own`, or those newer than it). */
  private async assertRoom(source: string, own?: string): Promise<void> {
    const live = (await this.logins.list({ index: 'bySource', value: source })).sort(
      (a, b) => a.value.createdAt - b.value.createdAt || a.id.localeCompare(b.id),
    );
    const position = own === undefined ? -1 : live.findIndex((r) => r.id === own);
    const ahead = position < 0 ? live : live.slice(0, position);
    if (ahead.length < this.maxPerSource) return;
    const oldest = ahead[0]?.value.expiresAt ?? this.now();
    throw new PaddockError(
      'TOO_MANY_REQUESTS',
      'too many logins were started from your address and not finished; finish one or try again later',
      {
        reason: 'too_many_pending_logins',
        details: { retryAfterSeconds: Math.max(1, Math.ceil((oldest - this.now()) / 1000)) },
      },
    );
  }

  /**
   * Returns and deletes the pending login named by `state`; `undefined` when it is unknown,
   * expired or was taken already (by a replayed callback, possibly on another replica).
   */
  async take(state: string | null | undefined): Promise<PendingRedirectLogin | undefined> {
    if (typeof state !== 'string' || !STATE_PATTERN.test(state)) return undefined;
    const record = await this.logins.get(state);
    if (record === undefined) return undefined;
    try {
      const deleted = await this.logins.delete(state, { resourceVersion: record.resourceVersion });
      if (!deleted) return undefined;
      const { source: _source, ...pending } = record.value;
      return pending;
    } catch (error) {
      if (hasErrorCode(error, 'CONFLICT')) return undefined;
      throw error;
    }
  }
}
