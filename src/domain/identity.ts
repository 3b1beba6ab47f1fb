/**
 * Who is calling: the result of authenticating a request, and the ports entry points use to
 * get one. Every entry point (GraphQL, the Kubernetes proxy, kubeconfig downloads) calls one
 * `Authenticator`; none of them knows how tokens are made.
 */
import type { ProviderName } from './principal.js';

/** The kinds of credential Paddock issues. */
export type TokenKind = 'session' | 'api-key' | 'kubeconfig';

/** A credential's restriction to part of Paddock (API keys and kubeconfig tokens only). */
export interface TokenScope {
  /** The key works only for this cluster (the proxy and cluster-level GraphQL fields). */
  readonly clusterId: string;
}

export interface Identity {
  /** Stable Paddock user id, `u-<random>`; what the proxy impersonates as `User`. */
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  /** The provider that vouched for the user when this credential was made. */
  readonly provider: ProviderName;
  /** The user's own principals followed by its group principals. */
  readonly principalIds: readonly string[];
  /** Only the group principals (what the proxy impersonates as `Impersonate-Group`). */
  readonly groupPrincipalIds: readonly string[];
  /** The session's `jti` or the API key's id: what logout or revoke acts on. */
  readonly tokenId: string;
  readonly tokenKind: TokenKind;
  readonly scope?: TokenScope;
  /** Set for a local user who must change the password before doing anything else. */
  readonly mustChangePassword?: boolean;
  /** Epoch milliseconds when the credential stops working, if it expires. */
  readonly expiresAt?: number;
  /** Epoch milliseconds when a session was issued (sessions only; sign-out-everywhere cuts by it). */
  readonly issuedAt?: number;
}

/** The part of an HTTP request authentication looks at (an `IncomingMessage` fits). */
export interface AuthRequest {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly remoteAddress?: string;
}

/**
 * Turns a request into an `Identity`, or throws `PaddockError('UNAUTHENTICATED', ...)` whose
 * `reason` says why (`missing_credentials`, `token_expired`, `token_revoked`, ...).
 */
export interface Authenticator {
  authenticate(request: AuthRequest): Promise<Identity>;
}

/** What a successful password login returns to the HTTP or GraphQL layer. */
export interface LoginResult {
  /** The session JWT (also what the `paddock_session` cookie carries). */
  readonly token: string;
  readonly userId: string;
  readonly username: string;
  /** Epoch milliseconds when the session ends at the latest. */
  readonly expiresAt: number;
  readonly mustChangePassword: boolean;
}

/** Name of the cookie a browser session travels in. */
export const SESSION_COOKIE_NAME = 'paddock_session';

/** Every login attempt, for the audit log (never carries the password). */
export interface LoginAuditEvent {
  readonly at: number;
  readonly provider: string;
  readonly username: string;
  readonly remoteAddress?: string;
  readonly outcome: 'success' | 'failure' | 'throttled' | 'denied' | 'error';
  /** Machine-readable detail, e.g. `bad_credentials`, `access_denied`, `locked`. */
  readonly reason?: string;
  readonly userId?: string;
}

/** An API key or kubeconfig token as listed to its owner (never the secret or its hash). */
export interface ApiKeySummary {
  readonly keyId: string;
  readonly userId: string;
  readonly kind: Exclude<TokenKind, 'session'>;
  readonly description: string;
  readonly enabled: boolean;
  readonly createdAt: number;
  readonly expiresAt?: number;
  readonly lastUsedAt?: number;
  readonly scope?: TokenScope;
  /** The key this one was minted with; it is revoked together with that key. */
  readonly parentKeyId?: string;
}

/** A freshly created key: `token` is shown once and cannot be recovered later. */
export interface CreatedApiKey {
  readonly token: string;
  readonly key: ApiKeySummary;
}
