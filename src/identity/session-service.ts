/**
 * Sessions beyond the JWT itself: a record per issued session (listing, one-by-one logout,
 * the idle timeout) and the revocation list, both kept in the store so every replica agrees.
 * Lifetime and idle timeout come from the session policy, so a settings change needs no restart.
 */
import type { ProviderName } from '../domain/principal.js';
import type { Collection, Store } from '../domain/store.js';
import { hasErrorCode, isPaddockError } from '../errors/index.js';
import { unauthenticated } from './auth-errors.js';
import type { RevokedTokenRecord, SessionRecord } from './collections.js';
import { type IdentityRuntime, systemRuntime } from './runtime.js';
import { fixedSessionPolicy, type SessionLimits, type SessionPolicy } from './session-policy.js';
import { type SessionRef, SessionRegistry } from './session-registry.js';
import type { SessionClaims, SessionTokenCodec } from './session-tokens.js';
import { WriteThrottle } from './write-throttle.js';

export interface SessionServiceOptions {
  /** Lifetime and idle timeout; default: the codec's TTL and `idleTtlSeconds`. */
  readonly policy?: SessionPolicy;
  /** Without a policy: a session unused for this long ends. Undefined or 0: no idle timeout. */
  readonly idleTtlSeconds?: number;
  readonly runtime?: IdentityRuntime;
}

export interface NewSession {
  readonly userId: string;
  readonly provider: ProviderName;
  readonly remoteAddress?: string;
  readonly userAgent?: string;
}

/** Last-seen writes happen at most this often per session and replica. */
const TOUCH_INTERVAL_MS = 60_000;

export class SessionService {
  readonly codec: SessionTokenCodec;
  readonly registry: SessionRegistry;
  readonly revocations: Collection<RevokedTokenRecord>;
  readonly records: Collection<SessionRecord>;
  readonly policy: SessionPolicy;
  private readonly runtime: IdentityRuntime;
  private readonly touches: WriteThrottle;

  constructor(store: Store, codec: SessionTokenCodec, options: SessionServiceOptions = {}) {
    this.codec = codec;
    this.runtime = options.runtime ?? systemRuntime;
    this.registry = new SessionRegistry(store, {
      clockToleranceSeconds: codec.clockToleranceSeconds,
      runtime: this.runtime,
    });
    this.revocations = this.registry.revocations;
    this.records = this.registry.records;
    this.policy =
      options.policy ??
      fixedSessionPolicy({
        ttlSeconds: codec.ttlSeconds,
        idleTtlSeconds: options.idleTtlSeconds ?? 0,
      });
    this.touches = new WriteThrottle(TOUCH_INTERVAL_MS, this.runtime.now);
  }

  /** Signs a new session token and records the session. */
  async create(input: NewSession): Promise<{ token: string; claims: SessionClaims }> {
    const limits = await this.policy.current();
    const issued = await this.codec.issue({
      userId: input.userId,
      provider: input.provider,
      ttlSeconds: limits.ttlSeconds,
    });
    const record = await this.registry.register({
      sessionId: issued.claims.sessionId,
      userId: input.userId,
      provider: input.provider,
      expiresAt: issued.claims.expiresAt,
      ...(input.remoteAddress === undefined ? {} : { remoteAddress: input.remoteAddress }),
      ...(input.userAgent === undefined ? {} : { userAgent: input.userAgent }),
    });
    this.touches.shouldWrite(record.sessionId, record.lastSeenAt);
    return issued;
  }

  /** Signature, claims, record, revocation and idle timeout; throws UNAUTHENTICATED with a reason. */
  async verify(token: string): Promise<SessionClaims> {
    const claims = await this.codec.verify(token);
    const [revoked, record, limits] = await Promise.all([
      this.revocations.get(claims.sessionId),
      this.registry.get(claims.sessionId),
      this.policy.current(),
    ]);
    if (revoked) throw unauthenticated('token_revoked', 'session has been revoked');
    let current = record;
    if (current === undefined && !claims.recorded) {
      // Issued by the previous release, which kept no session records (a rolling upgrade):
      // recorded now, so it can be listed and ended like the others. Ending it any way that
      // release could (logout, sign-out-everywhere, disabling the user) is honoured anyway.
      current = await this.#adopt(claims);
    }
    // Every session is recorded at login; one without a record was ended.
    if (current === undefined || current.userId !== claims.userId) {
      throw unauthenticated('session_ended', 'session has ended');
    }
    if (isIdle(current, limits, this.runtime.now())) {
      throw unauthenticated('session_idle_timeout', 'session ended after inactivity');
    }
    return claims;
  }

  async #adopt(claims: SessionClaims): Promise<SessionRecord | undefined> {
    try {
      return await this.registry.register({
        sessionId: claims.sessionId,
        userId: claims.userId,
        provider: claims.provider,
        expiresAt: claims.expiresAt,
      });
    } catch (err) {
      // Another replica adopted it at the same moment.
      if (!hasErrorCode(err, 'CONFLICT')) throw err;
      return this.registry.get(claims.sessionId);
    }
  }

  /** Records use of a session (throttled); call on every authenticated request. */
  async touch(claims: Pick<SessionClaims, 'sessionId'>): Promise<void> {
    const { idleTtlSeconds } = await this.policy.current();
    // A short idle timeout needs fresher activity: a quarter of it, at most a minute.
    const interval =
      idleTtlSeconds > 0
        ? Math.min(TOUCH_INTERVAL_MS, (idleTtlSeconds * 1000) / 4)
        : TOUCH_INTERVAL_MS;
    if (!this.touches.shouldWrite(claims.sessionId, undefined, interval)) return;
    await this.registry.touch(claims.sessionId);
  }

  /** Revokes one session; the revocation lives as long as the token could have. */
  async revoke(session: SessionRef, reason = 'logout'): Promise<void> {
    this.touches.forget(session.sessionId);
    await this.registry.revoke(session, reason);
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

function isIdle(record: SessionRecord, limits: SessionLimits, now: number): boolean {
  return limits.idleTtlSeconds > 0 && now - record.lastSeenAt >= limits.idleTtlSeconds * 1000;
}
