/**
 * Keeps pending redirect logins in the Store between `/start` and `/callback`, so the callback
 * may land on any replica. Each record expires with its login and is taken at most once.
 */
import type { PendingRedirectLogin, RedirectStart } from '../../domain/redirect-provider.js';
import type { Collection, CollectionSpec, Store } from '../../domain/store.js';
import { hasErrorCode } from '../../errors/index.js';

export const pendingLoginsCollection: CollectionSpec<PendingRedirectLogin> = {
  name: 'oauth-pending-logins',
};

/** What `randomToken` makes; anything else is not looked up at all. */
const STATE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export class PendingLoginStore {
  private readonly logins: Collection<PendingRedirectLogin>;

  constructor(
    store: Store,
    private readonly now: () => number = Date.now,
  ) {
    this.logins = store.collection(pendingLoginsCollection);
  }

  /** Keeps the pending login until it expires (at least one second). */
  async save(start: RedirectStart): Promise<void> {
    const ttlSeconds = Math.max(1, Math.ceil((start.pending.expiresAt - this.now()) / 1000));
    await this.logins.create(start.state, start.pending, { ttlSeconds });
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
      return deleted ? record.value : undefined;
    } catch (error) {
      if (hasErrorCode(error, 'CONFLICT')) return undefined;
      throw error;
    }
  }
}
