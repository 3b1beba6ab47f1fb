import type { AuthRequest, Identity } from './identity.js';
import type { Unsubscribe } from './store.js';

/**
 * Something that may end the access of long-lived connections (watches, exec tunnels,
 * GraphQL WebSockets), announced from the store's change feed on every replica:
 * - `token`: one credential stopped working (logout, revoked or disabled key, ended session);
 * - `user`: the user was disabled or deleted, so every credential of theirs did;
 * - `sessions-cut`: the user signed out everywhere: their sessions issued before
 *   `issuedBefore` (epoch ms) stopped working, later sessions and API keys did not;
 * - `recheck`: something the authenticator looks at changed (the user's groups, a provider's
 *   access mode, memberships), for `userId` or, without one, for everybody: re-authenticate
 *   those connections now instead of at the next periodic check.
 */
export type CredentialRevokedEvent =
  | { readonly kind: 'token'; readonly tokenId: string }
  | { readonly kind: 'user'; readonly userId: string }
  | { readonly kind: 'sessions-cut'; readonly userId: string; readonly issuedBefore: number }
  | { readonly kind: 'recheck'; readonly userId?: string };

export interface CredentialEvents {
  onRevoked(listener: (event: CredentialRevokedEvent) => void): Unsubscribe;
}

/**
 * Long-lived connections, each kept only while the credential that opened it still works
 * (the proxy's watches and tunnels, GraphQL WebSockets).
 */
export interface OpenStreamTracker {
  /**
   * Tracks one connection opened by `credentials` as `identity` until the returned function is
   * called; `close` ends it, with a short reason such as `credential revoked`, and why:
   * `revoked` (cut it) or `shutdown` (Paddock is stopping: end it cleanly so the client
   * reconnects, to another replica).
   */
  add(
    identity: Identity,
    credentials: AuthRequest,
    close: (reason: string, why?: StreamCloseCause) => void,
  ): () => void;
}

export type StreamCloseCause = 'revoked' | 'shutdown';

/**
 * Why `now` (the same credential authenticated again) gives less than `before` did, or
 * undefined. A connection that kept `before`'s rights (a watch impersonating a group the user
 * has since lost) must end then: it would keep more than the user is now given.
 */
export function narrowedAccess(before: Identity, now: Identity): string | undefined {
  if (now.userId !== before.userId) return 'credential now names another user';
  if (before.principalIds.some((id) => !now.principalIds.includes(id))) return 'groups changed';
  if (now.scope !== undefined && now.scope.clusterId !== before.scope?.clusterId) {
    return 'scope changed';
  }
  if (now.mustChangePassword === true && before.mustChangePassword !== true) {
    return 'password change required';
  }
  return undefined;
}
