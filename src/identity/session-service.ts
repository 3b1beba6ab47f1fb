/**
 * Sessions beyond the JWT itself: the revocation list (logout, sign-out-everywhere) and the
 * idle timeout, both kept in the store so every replica agrees.
 */
import type { ProviderName } from '../domain/principal.js';
import type { Collection, Store } from '../domain/store.js';
import { hasErrorCode, isPaddockError } from '../errors/index.js';
import { unauthenticated } from './auth-errors.js';
import {
  type RevokedTokenRecord,
  revokedTokensCollection,
  type SessionActivityRecord,
  sessionActivityCollection,
} from './collections.js';
import { type IdentityRuntime, systemRuntime } from './runtime.js';
import type { SessionClaims, SessionTokenCodec } from './session-tokens.js';
import { WriteThrottle } from './write-throttle.js';

export interface SessionServiceOptions {
  /** A session unused for this long ends. Undefined or 0: no idle timeout. */
  readonly idleTtlSeconds?: number;
  readonly runtime?: IdentityRuntime;
}

export class SessionService {
  readonly codec: SessionTokenCodec;
  readonly revocations: Collection<RevokedTokenRecord>;
  readonly activity: Collection<SessionActivityRecord>;
  readonly idleTtlSeconds: number;
  private readonly runtime: IdentityRuntime;
  private readonly touches: WriteThrottle;

  constructor(store: Store, codec: SessionTokenCodec, options: SessionServiceOptions = {}) {
    this.codec = codec;
    this.revocations = store.collection(revokedTokensCollection);
    this.activity = store.collection(sessionActivityCollection);
    this.idleTtlSeconds = options.idleTtlSeconds ?? 0;
    this.runtime = options.runtime ?? systemRuntime;
    // Activity is written at most every minute (or a quarter of the idle timeout if shorter),
    // so a busy session costs a write a minute, and idles out at most that much late.
    const interval = Math.min(60_000, (this.idleTtlSeconds * 1000) / 4);
    this.touches = new WriteThrottle(interval, this.runtime.now);
  }

  /** Signs a new session token (and starts its idle clock). */
  async create(input: {
    userId: string;
    provider: ProviderName;
  }): Promise<{ token: string; claims: SessionClaims }> {
    const issued = await this.codec.issue(input);
    if (this.idleTtlSeconds > 0) {
      const now = this.runtime.now();
      await this.activity.create(
        issued.claims.sessionId,
        { sessionId: issued.claims.sessionId, userId: input.userId, lastSeenAt: now },
        { ttlSeconds: this.idleTtlSeconds },
      );
      this.touches.shouldWrite(issued.claims.sessionId, now);
    }
    return issued;
  }

  /** Signature, claims, revocation and idle timeout; throws UNAUTHENTICATED with a reason. */
  async verify(token: string): Promise<SessionClaims> {
    const claims = await this.codec.verify(token);
    const [revoked, activity] = await Promise.all([
      this.revocations.get(claims.sessionId),
      this.idleTtlSeconds > 0 ? this.activity.get(claims.sessionId) : undefined,
    ]);
    if (revoked) throw unauthenticated('token_revoked', 'session has been revoked');
    if (this.idleTtlSeconds > 0) {
      const idleSince = activity?.value.lastSeenAt;
      if (idleSince === undefined || this.runtime.now() - idleSince >= this.idleTtlSeconds * 1000) {
        throw unauthenticated('session_idle_timeout', 'session ended after inactivity');
      }
      this.touches.shouldWrite(claims.sessionId, idleSince);
    }
    return claims;
  }

  /** Records use of a session (throttled); call on every authenticated request. */
  async touch(claims: SessionClaims): Promise<void> {
    if (this.idleTtlSeconds <= 0 || !this.touches.shouldWrite(claims.sessionId)) return;
    try {
      await this.activity.update(
        claims.sessionId,
        { sessionId: claims.sessionId, userId: claims.userId, lastSeenAt: this.runtime.now() },
        { ttlSeconds: this.idleTtlSeconds },
      );
    } catch (err) {
      // NOT_FOUND: the session idled out or was logged out meanwhile; never resurrect it.
      if (!hasErrorCode(err, 'NOT_FOUND')) throw err;
    }
  }

  /** Revokes one session; the record lives as long as the token could have. */
  async revoke(
    claims: Pick<SessionClaims, 'sessionId' | 'userId' | 'expiresAt'>,
    reason = 'logout',
  ): Promise<void> {
    const now = this.runtime.now();
    const remainingSeconds =
      Math.ceil((claims.expiresAt - now) / 1000) + this.codec.clockToleranceSeconds;
    if (remainingSeconds > 0) {
      try {
        await this.revocations.create(
          claims.sessionId,
          { tokenId: claims.sessionId, userId: claims.userId, revokedAt: now, reason },
          { ttlSeconds: remainingSeconds },
        );
      } catch (err) {
        if (!hasErrorCode(err, 'CONFLICT')) throw err; // already revoked
      }
    }
    this.touches.forget(claims.sessionId);
    if (this.idleTtlSeconds > 0) await this.activity.delete(claims.sessionId);
  }

  /**
   * Ends the session a token belongs to. A token that is already unusable (expired, revoked,
   * malformed) needs nothing and returns false.
   */
  async logout(token: string): Promise<boolean> {
    let claims: SessionClaims;
    try {
      claims = await this.codec.verify(token);
    } catch (err) {
      if (isPaddockError(err) && err.code === 'UNAUTHENTICATED') return false;
      throw err;
    }
    await this.revoke(claims, 'logout');
    return true;
  }
}
