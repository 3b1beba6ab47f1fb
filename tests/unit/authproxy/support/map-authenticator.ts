import type {
  CredentialEvents,
  CredentialRevokedEvent,
} from '../../../../src/domain/credential-events.js';
import type { Authenticator, AuthRequest, Identity } from '../../../../src/domain/identity.js';
import { PaddockError } from '../../../../src/errors/index.js';

/**
 * A real, small Authenticator over a map of bearer tokens (unit tests only), also read from a
 * `paddock_session` cookie when no Authorization is sent, plus the revocation event source a
 * real identity module would provide.
 */
export class MapAuthenticator implements Authenticator, CredentialEvents {
  readonly tokens = new Map<string, Identity>();
  calls = 0;
  readonly #listeners = new Set<(e: CredentialRevokedEvent) => void>();

  async authenticate(request: AuthRequest): Promise<Identity> {
    this.calls += 1;
    const header = request.headers.authorization;
    const value = Array.isArray(header) ? header[0] : header;
    const cookie = request.headers.cookie;
    const fromCookie =
      value === undefined && typeof cookie === 'string'
        ? /(?:^|;\s*)paddock_session=([^;\s]+)/.exec(cookie)
        : null;
    const match = fromCookie ?? /^Bearer (\S+)$/.exec(typeof value === 'string' ? value : '');
    if (!match) {
      throw new PaddockError('UNAUTHENTICATED', 'missing credentials', {
        reason: 'missing_credentials',
      });
    }
    const identity = this.tokens.get(match[1]!);
    if (!identity) {
      throw new PaddockError('UNAUTHENTICATED', 'invalid token', { reason: 'token_invalid' });
    }
    return identity;
  }

  onRevoked(listener: (e: CredentialRevokedEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Announces any event, as identity's change feed would. */
  announce(event: CredentialRevokedEvent): void {
    for (const l of this.#listeners) l(event);
  }

  /** Removes the token and announces it, as identity does when a key is revoked. */
  revoke(token: string, announce = true): void {
    const identity = this.tokens.get(token);
    this.tokens.delete(token);
    if (identity && announce) {
      for (const l of this.#listeners) l({ kind: 'token', tokenId: identity.tokenId });
    }
  }
}

export function identity(userId: string, extra: Partial<Identity> = {}): Identity {
  return {
    userId,
    username: userId.replace(/^u-/, ''),
    displayName: userId,
    provider: 'local',
    principalIds: [`local://${userId}`, 'openldap_group://cn=devs,dc=example', 'github_team://42'],
    groupPrincipalIds: ['openldap_group://cn=devs,dc=example', 'github_team://42'],
    tokenId: `tok-${userId}`,
    tokenKind: 'api-key',
    ...extra,
  };
}
