/**
 * A user's own API keys as entry points manage them. `ApiKeyService` from `src/identity` fits
 * this shape; the secret leaves it exactly once, in `CreatedApiKey.token`.
 */
import { PaddockError } from '../errors/index.js';
import type { ApiKeySummary, CreatedApiKey, Identity, TokenKind } from './identity.js';

export interface NewApiKeyRequest {
  readonly userId: string;
  readonly kind?: Exclude<TokenKind, 'session'>;
  readonly description?: string;
  /** Epoch milliseconds; must lie in the future. */
  readonly expiresAt?: number;
  /** Restricts the key to one cluster. */
  readonly clusterId?: string;
  /**
   * The API key the caller authenticated with, if any: the new key expires no later than it,
   * is no broader than its cluster scope, and is revoked when it is revoked or disabled.
   */
  readonly parentKeyId?: string;
  /** Kubeconfig tokens: which clusters they were issued for (`*` or sorted ids, comma-joined). */
  readonly clusterSet?: string;
  /**
   * Once the new key exists, revoke the owner's older keys of the same kind, parent and cluster
   * set (so repeated kubeconfig downloads replace their token instead of piling up).
   */
  readonly replacePrevious?: boolean;
}

export interface ApiKeyManager {
  create(input: NewApiKeyRequest): Promise<CreatedApiKey>;
  list(userId: string, kind?: Exclude<TokenKind, 'session'>): Promise<ApiKeySummary[]>;
  /** Deletes one of `ownerId`'s keys; false when that owner has no such key. */
  revoke(keyId: string, ownerId?: string): Promise<boolean>;
}

/**
 * Only a session or an unrestricted API key may mint keys or kubeconfig tokens: a
 * cluster-scoped key must not turn itself into more credentials, and a kubeconfig token is a
 * leaf (for kubectl). FORBIDDEN with reason `scoped_key` or `kubeconfig_token` otherwise.
 */
export function assertMayMintCredentials(identity: Identity): void {
  assertMayManageKeys(identity, 'issue kubeconfigs or keys');
  if (identity.tokenKind === 'kubeconfig') {
    throw new PaddockError(
      'FORBIDDEN',
      'a kubeconfig token cannot issue kubeconfigs or keys; use a session or an API key',
      { reason: 'kubeconfig_token' },
    );
  }
}

/**
 * A cluster-scoped key acts in its one cluster only: it may not list or revoke its owner's
 * other keys (FORBIDDEN, reason `scoped_key`). `action` completes "cannot …" in the message.
 */
export function assertMayManageKeys(
  identity: Identity,
  action = "list or revoke its owner's keys",
): void {
  if (identity.scope !== undefined) {
    throw new PaddockError(
      'FORBIDDEN',
      `a key limited to cluster ${identity.scope.clusterId} cannot ${action}; use a session or an unrestricted API key`,
      { reason: 'scoped_key' },
    );
  }
}
