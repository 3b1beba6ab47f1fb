/**
 * Everything identity keeps in the Store: record shapes and collection specs. Exported as
 * `identityCollectionSpecs` so backup/restore can rebuild the indexes.
 */

import type { TokenKind } from '../domain/identity.js';
import type { AccessMode, Principal, ProviderName } from '../domain/principal.js';
import type { CollectionSpec } from '../domain/store.js';

export interface UserRecord {
  /** `u-<random>`, never reused. */
  readonly id: string;
  /** Unique regardless of case. */
  readonly username: string;
  readonly displayName: string;
  readonly email?: string;
  /** The provider that created the user at its first login. */
  readonly provider: ProviderName;
  /** The user's own principals (`local://u-…`, `openldap_user://…`); each maps to one user. */
  readonly principalIds: readonly string[];
  /** Group principals as last reported by the provider. */
  readonly groups: readonly Principal[];
  readonly groupsRefreshedAt?: number;
  /**
   * What a redirect provider needs to re-read groups later (GitHub token, OIDC refresh token),
   * sealed by that provider; opaque here.
   */
  readonly refreshMaterial?: string;
  readonly enabled: boolean;
  /** Why the user was disabled (`provider_revoked`, `admin`), for the UI and audit. */
  readonly disabledReason?: string;
  readonly mustChangePassword: boolean;
  /** argon2id PHC string; local users only. */
  readonly passwordHash?: string;
  readonly passwordChangedAt?: number;
  /** Sessions issued before this epoch-ms instant are refused (sign out everywhere). */
  readonly sessionsValidAfter?: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly lastLoginAt?: number;
}

export interface ApiKeyRecord {
  /** Lowercase letters and digits; the `<keyId>` of `pdk_<keyId>_<secret>`. */
  readonly keyId: string;
  readonly userId: string;
  readonly kind: Exclude<TokenKind, 'session'>;
  readonly description: string;
  /** Hex HMAC-SHA-256 of `<keyId>:<secret>` under the server pepper. */
  readonly secretHash: string;
  readonly enabled: boolean;
  readonly createdAt: number;
  readonly expiresAt?: number;
  readonly clusterId?: string;
  readonly lastUsedAt?: number;
  /**
   * The key the caller authenticated with when this one was minted (e.g. a kubeconfig token
   * downloaded with an API key): this key never outlives it and is revoked with it.
   */
  readonly parentKeyId?: string;
  /** Kubeconfig tokens: the clusters asked for, `*` for all the caller may see, else sorted ids. */
  readonly clusterSet?: string;
}

export interface SigningKeyRecord {
  readonly kid: string;
  readonly alg: 'ES256';
  readonly publicJwk: Record<string, unknown>;
  /** The private JWK as JSON, sealed by the SecretBox. */
  readonly privateJwkSealed: string;
  readonly createdAt: number;
  /** Set once a newer key signs; the key still verifies until its record expires. */
  readonly retiredAt?: number;
}

/** A revoked session; the record lives as long as the token would have. */
export interface RevokedTokenRecord {
  readonly tokenId: string;
  readonly userId: string;
  readonly revokedAt: number;
  readonly reason: string;
}

/**
 * One issued session (id = the JWT's `jti`), so sessions can be listed and ended one by one;
 * it lives as long as the token. A session token without its record is refused.
 */
export interface SessionRecord {
  readonly sessionId: string;
  readonly userId: string;
  readonly provider: ProviderName;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** Last use, for the idle timeout and the session list; written at most once a minute. */
  readonly lastSeenAt: number;
  readonly remoteAddress?: string;
  readonly userAgent?: string;
}

/** Failed logins of one account or one source address, within the counting window. */
export interface LoginFailureRecord {
  readonly count: number;
  readonly firstFailureAt: number;
  readonly lastFailureAt: number;
  /** Until then, logins for this key are refused without asking the provider. */
  readonly lockedUntil: number;
}

/** Held by the replica that is refreshing a user's groups, so others skip that user. */
export interface GroupRefreshLeaseRecord {
  readonly userId: string;
  readonly takenAt: number;
}

/** One provider's configuration; see `AuthConfigStore`. */
export interface AuthConfigRecord {
  readonly provider: ProviderName;
  readonly enabled: boolean;
  readonly accessMode: AccessMode;
  readonly allowedPrincipalIds: readonly string[];
  readonly groupRefreshMaxAgeSeconds?: number;
  /** Provider-specific settings; the values at `sealedPaths` are SecretBox output. */
  readonly settings: Record<string, unknown>;
  readonly sealedPaths: readonly string[];
  readonly updatedAt: number;
}

export const usersCollection: CollectionSpec<UserRecord> = {
  name: 'users',
  indexes: {
    byUsername: { key: (u) => u.username.toLowerCase(), unique: true },
    byPrincipal: { key: (u) => u.principalIds, unique: true },
    byGroup: { key: (u) => u.groups.map((g) => g.id) },
  },
};

export const apiKeysCollection: CollectionSpec<ApiKeyRecord> = {
  name: 'api-keys',
  indexes: { byUser: { key: (k) => k.userId }, byParent: { key: (k) => k.parentKeyId } },
};

export const signingKeysCollection: CollectionSpec<SigningKeyRecord> = { name: 'signing-keys' };

export const revokedTokensCollection: CollectionSpec<RevokedTokenRecord> = {
  name: 'revoked-tokens',
  indexes: { byUser: { key: (r) => r.userId } },
};

export const sessionsCollection: CollectionSpec<SessionRecord> = {
  name: 'sessions',
  indexes: { byUser: { key: (r) => r.userId } },
};

export const loginFailuresCollection: CollectionSpec<LoginFailureRecord> = {
  name: 'login-failures',
};

export const groupRefreshLeasesCollection: CollectionSpec<GroupRefreshLeaseRecord> = {
  name: 'group-refresh-leases',
};

export const authConfigsCollection: CollectionSpec<AuthConfigRecord> = { name: 'auth-configs' };

export const identityCollectionSpecs: readonly CollectionSpec<unknown>[] = [
  usersCollection,
  apiKeysCollection,
  signingKeysCollection,
  revokedTokensCollection,
  sessionsCollection,
  loginFailuresCollection,
  groupRefreshLeasesCollection,
  authConfigsCollection,
] as readonly CollectionSpec<never>[] as readonly CollectionSpec<unknown>[];
