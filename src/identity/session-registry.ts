/**
 * The record of every issued session and the revocation list, without any token handling, so
 * the CLI can end sessions on a store without Paddock's signing keys. Ending a session writes a
 * revocation (whose change event closes the caller's open streams on every replica) and drops
 * the record.
 */
import type { ProviderName } from '../domain/principal.js';
import type { Collection, Store } from '../domain/store.js';
import { hasErrorCode } from '../errors/index.js';
import {
  type RevokedTokenRecord,
  revokedTokensCollection,
  type SessionRecord,
  sessionsCollection,
} from './collections.js';
import { type IdentityRuntime, systemRuntime } from './runtime.js';

export interface SessionRegistryOptions {
  /** Records and revocations outlive the token by this much (replicas' clock skew). */
  readonly clockToleranceSeconds?: number;
  readonly runtime?: IdentityRuntime;
}

export interface NewSessionRecord {
  readonly sessionId: string;
  readonly userId: string;
  readonly provider: ProviderName;
  readonly expiresAt: number;
  readonly remoteAddress?: string;
  readonly userAgent?: string;
}

/** What ending a session needs to know about it. */
export type SessionRef = Pick<SessionRecord, 'sessionId' | 'userId' | 'expiresAt'>;

const MAX_USER_AGENT = 256;
/** The shape of a session id (the JWT's `jti`); anything else names no session. */
const SESSION_ID = /^[A-Za-z0-9_-]{16,64}$/;

export class SessionRegistry {
  readonly records: Collection<SessionRecord>;
  readonly revocations: Collection<RevokedTokenRecord>;
  readonly clockToleranceSeconds: number;
  private readonly runtime: IdentityRuntime;

  constructor(store: Store, options: SessionRegistryOptions = {}) {
    this.records = store.collection(sessionsCollection);
    this.revocations = store.collection(revokedTokensCollection);
    this.clockToleranceSeconds = options.clockToleranceSeconds ?? 30;
    this.runtime = options.runtime ?? systemRuntime;
  }

  async register(input: NewSessionRecord): Promise<SessionRecord> {
    const now = this.runtime.now();
    const record: SessionRecord = {
      sessionId: input.sessionId,
      userId: input.userId,
      provider: input.provider,
      createdAt: now,
      expiresAt: input.expiresAt,
      lastSeenAt: now,
      ...(input.remoteAddress ? { remoteAddress: input.remoteAddress.slice(0, 64) } : {}),
      ...(input.userAgent ? { userAgent: input.userAgent.slice(0, MAX_USER_AGENT) } : {}),
    };
    await this.records.create(record.sessionId, record, {
      ttlSeconds: this.remainingSeconds(record.expiresAt),
    });
    return record;
  }

  async get(sessionId: string): Promise<SessionRecord | undefined> {
    return (await this.records.get(sessionId))?.value;
  }

  /** The user's live sessions, newest first. */
  async list(userId: string): Promise<SessionRecord[]> {
    const now = this.runtime.now();
    return (await this.records.list({ index: 'byUser', value: userId }))
      .map((r) => r.value)
      .filter((r) => r.expiresAt > now)
      .sort((a, b) => b.createdAt - a.createdAt || a.sessionId.localeCompare(b.sessionId));
  }

  /** Records use of a session; a session ended meanwhile stays ended. */
  async touch(sessionId: string): Promise<void> {
    const current = await this.records.get(sessionId);
    if (!current) return;
    try {
      await this.records.update(
        sessionId,
        { ...current.value, lastSeenAt: this.runtime.now() },
        { resourceVersion: current.resourceVersion },
      );
    } catch (err) {
      // Ended (NOT_FOUND) or touched by another replica (CONFLICT): either way nothing to do.
      if (!hasErrorCode(err, 'NOT_FOUND') && !hasErrorCode(err, 'CONFLICT')) throw err;
    }
  }

  /** Ends one session: a revocation for as long as the token could live, and no record. */
  async revoke(session: SessionRef, reason: string): Promise<void> {
    const remaining = this.remainingSeconds(session.expiresAt);
    if (remaining > 0) {
      try {
        await this.revocations.create(
          session.sessionId,
          {
            tokenId: session.sessionId,
            userId: session.userId,
            revokedAt: this.runtime.now(),
            reason,
          },
          { ttlSeconds: remaining },
        );
      } catch (err) {
        if (!hasErrorCode(err, 'CONFLICT')) throw err; // already revoked
      }
    }
    await this.records.delete(session.sessionId);
  }

  /** Ends one of the user's sessions; false when that user has no such session. */
  async revokeOne(userId: string, sessionId: string, reason: string): Promise<boolean> {
    if (!SESSION_ID.test(sessionId)) return false;
    const record = await this.get(sessionId);
    if (record === undefined || record.userId !== userId) return false;
    await this.revoke(record, reason);
    return true;
  }

  /** Ends every session of the user; returns how many. */
  async revokeAllOf(userId: string, reason: string): Promise<number> {
    const records = await this.records.list({ index: 'byUser', value: userId });
    for (const { value } of records) await this.revoke(value, reason);
    return records.length;
  }

  private remainingSeconds(expiresAt: number): number {
    return Math.ceil((expiresAt - this.runtime.now()) / 1000) + this.clockToleranceSeconds;
  }
}
