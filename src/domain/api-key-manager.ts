/**
 * A user's own API keys as entry points manage them. `ApiKeyService` from `src/identity` fits
 * this shape; the secret leaves it exactly once, in `CreatedApiKey.token`.
 */
import type { ApiKeySummary, CreatedApiKey, TokenKind } from './identity.js';

export interface NewApiKeyRequest {
  readonly userId: string;
  readonly kind?: Exclude<TokenKind, 'session'>;
  readonly description?: string;
  /** Epoch milliseconds; must lie in the future. */
  readonly expiresAt?: number;
  /** Restricts the key to one cluster. */
  readonly clusterId?: string;
}

export interface ApiKeyManager {
  create(input: NewApiKeyRequest): Promise<CreatedApiKey>;
  list(userId: string, kind?: Exclude<TokenKind, 'session'>): Promise<ApiKeySummary[]>;
  /** Deletes one of `ownerId`'s keys; false when that owner has no such key. */
  revoke(keyId: string, ownerId?: string): Promise<boolean>;
}
