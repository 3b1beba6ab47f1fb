/**
 * A user's sessions as the `SessionDirectory` port: listing with the idle deadline under the
 * current policy, ending one, and signing out everywhere (optionally with every API key and
 * kubeconfig token). Each ending goes through the revocation list, so open streams close.
 */
import type { SessionDirectory, SessionSummary } from '../domain/user-admin.js';
import { hasErrorCode } from '../errors/index.js';
import type { ApiKeyService } from './api-keys.js';
import type { SessionRecord } from './collections.js';
import type { SessionLimits } from './session-policy.js';
import type { SessionService } from './session-service.js';
import type { UserRepository } from './user-repository.js';

export interface AccountSessionsDeps {
  readonly users: UserRepository;
  readonly sessions: SessionService;
  readonly apiKeys: Pick<ApiKeyService, 'revokeAllOf'>;
}

export class AccountSessions implements SessionDirectory {
  readonly #d: AccountSessionsDeps;

  constructor(deps: AccountSessionsDeps) {
    this.#d = deps;
  }

  async listSessions(userId: string): Promise<SessionSummary[]> {
    const { sessions } = this.#d;
    const [records, limits] = await Promise.all([
      sessions.registry.list(userId),
      sessions.policy.current(),
    ]);
    return records.map((r) => toSessionSummary(r, limits));
  }

  async revokeSession(userId: string, sessionId: string): Promise<boolean> {
    return this.#d.sessions.registry.revokeOne(userId, sessionId, 'logout');
  }

  async revokeAllSessions(
    userId: string,
    options: { revokeApiKeys?: boolean; reason?: string } = {},
  ): Promise<number> {
    try {
      // The cut-off also ends a session being issued while the records are read.
      await this.#d.users.revokeAllSessions(userId);
    } catch (err) {
      if (!hasErrorCode(err, 'NOT_FOUND')) throw err;
    }
    const ended = await this.#d.sessions.registry.revokeAllOf(
      userId,
      options.reason ?? 'signed_out_everywhere',
    );
    if (options.revokeApiKeys) await this.#d.apiKeys.revokeAllOf(userId);
    return ended;
  }
}

export function toSessionSummary(record: SessionRecord, limits: SessionLimits): SessionSummary {
  return {
    sessionId: record.sessionId,
    userId: record.userId,
    provider: record.provider,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    lastSeenAt: record.lastSeenAt,
    ...(limits.idleTtlSeconds > 0
      ? { idleExpiresAt: record.lastSeenAt + limits.idleTtlSeconds * 1000 }
      : {}),
    ...(record.remoteAddress === undefined ? {} : { remoteAddress: record.remoteAddress }),
    ...(record.userAgent === undefined ? {} : { userAgent: record.userAgent }),
  };
}
