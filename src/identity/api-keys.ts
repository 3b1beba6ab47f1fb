/**
 * API keys and kubeconfig tokens: `pdk_<keyId>_<secret>`. The secret is shown once; the store
 * keeps only an HMAC-SHA-256 of it under a server pepper, so a leaked store yields no usable key.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ApiKeySummary, CreatedApiKey, TokenKind } from '../domain/identity.js';
import type { Collection, Store } from '../domain/store.js';
import { hasErrorCode, PaddockError } from '../errors/index.js';
import {
  assertLiveAncestors,
  cappedExpiry,
  madeBefore,
  revokeDescendants,
  usableParent,
} from './api-key-lineage.js';
import { unauthenticated } from './auth-errors.js';
import { type ApiKeyRecord, apiKeysCollection } from './collections.js';
import { type IdentityRuntime, randomLowerAlnum, systemRuntime } from './runtime.js';
import { WriteThrottle } from './write-throttle.js';

export const API_KEY_PREFIX = 'pdk';
const TOKEN_PATTERN = /^pdk_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;
const KEY_ID_PATTERN = /^[a-z0-9]{16}$/;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const MAX_DESCRIPTION = 256;

export type ApiKeyKind = Exclude<TokenKind, 'session'>;

export interface ApiKeyServiceOptions {
  /** At least 32 random bytes, from configuration or the data directory. */
  readonly pepper: Buffer;
  /** Minimum time between two last-used writes of one key. Default one minute. */
  readonly lastUsedIntervalMs?: number;
  readonly runtime?: IdentityRuntime;
}

export interface NewApiKey {
  readonly userId: string;
  readonly kind?: ApiKeyKind;
  readonly description?: string;
  /** Epoch milliseconds; absent means the key does not expire. */
  readonly expiresAt?: number;
  /** Restricts the key to one cluster. */
  readonly clusterId?: string;
  /** The key the caller authenticated with: the new key is bounded by it (see api-key-lineage). */
  readonly parentKeyId?: string;
  /** Kubeconfig tokens: the clusters they were issued for (`*` or sorted ids, comma-joined). */
  readonly clusterSet?: string;
  /** Revoke the owner's older keys of the same kind, parent and cluster set afterwards. */
  readonly replacePrevious?: boolean;
}

export interface ApiKeyCredential {
  readonly keyId: string;
  readonly secret: string;
}

/** Splits `pdk_<keyId>_<secret>`; undefined when the text is not shaped like a key. */
export function parseApiKeyToken(token: string): ApiKeyCredential | undefined {
  const match = TOKEN_PATTERN.exec(token);
  return match ? { keyId: match[1]!, secret: match[2]! } : undefined;
}

/** Checks the two halves given separately (HTTP Basic `keyId:secret`). */
export function isApiKeyCredential(keyId: string, secret: string): boolean {
  return KEY_ID_PATTERN.test(keyId) && SECRET_PATTERN.test(secret);
}

export function toApiKeySummary(record: ApiKeyRecord): ApiKeySummary {
  return {
    keyId: record.keyId,
    userId: record.userId,
    kind: record.kind,
    description: record.description,
    enabled: record.enabled,
    createdAt: record.createdAt,
    ...(record.expiresAt === undefined ? {} : { expiresAt: record.expiresAt }),
    ...(record.lastUsedAt === undefined ? {} : { lastUsedAt: record.lastUsedAt }),
    ...(record.clusterId === undefined ? {} : { scope: { clusterId: record.clusterId } }),
    ...(record.parentKeyId === undefined ? {} : { parentKeyId: record.parentKeyId }),
  };
}

function invalidKey(): PaddockError {
  return unauthenticated('invalid_api_key', 'invalid API key');
}

export class ApiKeyService {
  readonly collection: Collection<ApiKeyRecord>;
  private readonly pepper: Buffer;
  private readonly runtime: IdentityRuntime;
  private readonly lastUsed: WriteThrottle;

  constructor(store: Store, options: ApiKeyServiceOptions) {
    if (options.pepper.length < 32) {
      throw new PaddockError('CONFIG_INVALID', 'API key pepper must be at least 32 bytes');
    }
    this.collection = store.collection(apiKeysCollection);
    this.pepper = Buffer.from(options.pepper);
    this.runtime = options.runtime ?? systemRuntime;
    this.lastUsed = new WriteThrottle(options.lastUsedIntervalMs ?? 60_000, this.runtime.now);
  }

  /** Makes a key; the returned `token` is the only time the secret exists outside the caller. */
  async create(input: NewApiKey): Promise<CreatedApiKey> {
    const description = (input.description ?? '').trim();
    if (description.length > MAX_DESCRIPTION) {
      throw new PaddockError(
        'VALIDATION_FAILED',
        `description is limited to ${MAX_DESCRIPTION} characters`,
      );
    }
    const now = this.runtime.now();
    if (input.expiresAt !== undefined && input.expiresAt <= now) {
      throw new PaddockError('VALIDATION_FAILED', 'expiry must be in the future');
    }
    const parent =
      input.parentKeyId === undefined
        ? undefined
        : await usableParent(this.collection, input.parentKeyId, input.userId, now);
    if (parent?.clusterId !== undefined && input.clusterId !== parent.clusterId) {
      throw new PaddockError(
        'FORBIDDEN',
        `a key limited to cluster ${parent.clusterId} cannot make a key that reaches further`,
        { reason: 'scope_escalation' },
      );
    }
    const expiresAt = cappedExpiry(input.expiresAt, parent);
    for (let attempt = 0; ; attempt++) {
      const keyId = randomLowerAlnum(this.runtime.randomBytes, 16);
      const secret = this.runtime.randomBytes(32).toString('base64url');
      const record: ApiKeyRecord = {
        keyId,
        userId: input.userId,
        kind: input.kind ?? 'api-key',
        description,
        secretHash: this.hashOf(keyId, secret).toString('hex'),
        enabled: true,
        createdAt: now,
        ...(expiresAt === undefined ? {} : { expiresAt }),
        ...(input.clusterId === undefined ? {} : { clusterId: input.clusterId }),
        ...(parent === undefined ? {} : { parentKeyId: parent.keyId }),
        ...(input.clusterSet === undefined ? {} : { clusterSet: input.clusterSet }),
      };
      try {
        await this.collection.create(keyId, record);
      } catch (err) {
        if (!hasErrorCode(err, 'CONFLICT') || attempt >= 3) throw err;
        continue;
      }
      if (input.replacePrevious) await this.revokeReplaced(record);
      return { token: `${API_KEY_PREFIX}_${keyId}_${secret}`, key: toApiKeySummary(record) };
    }
  }

  /**
   * Revokes the keys `record` replaces: same owner, kind, parent and cluster set, made before
   * it. Only older ones, so two downloads racing each other leave the newer token alive.
   */
  private async revokeReplaced(record: ApiKeyRecord): Promise<void> {
    const siblings = await this.collection.list({ index: 'byUser', value: record.userId });
    for (const { value: other } of siblings) {
      if (
        other.keyId !== record.keyId &&
        other.kind === record.kind &&
        other.parentKeyId === record.parentKeyId &&
        other.clusterSet === record.clusterSet &&
        madeBefore(other, record)
      ) {
        await this.revoke(other.keyId, record.userId);
      }
    }
  }

  /**
   * The key's record if the secret matches and the key is enabled and unexpired; otherwise
   * UNAUTHENTICATED (`invalid_api_key`, `api_key_disabled`, `api_key_expired`).
   */
  async verify(credential: ApiKeyCredential): Promise<ApiKeyRecord> {
    if (!isApiKeyCredential(credential.keyId, credential.secret)) throw invalidKey();
    const record = (await this.collection.get(credential.keyId))?.value;
    const presented = this.hashOf(credential.keyId, credential.secret);
    // Compare even for an unknown id (against a hash of nothing) so both cost the same.
    const stored = record ? Buffer.from(record.secretHash, 'hex') : Buffer.alloc(presented.length);
    const matches = stored.length === presented.length && timingSafeEqual(stored, presented);
    if (!record || !matches) throw invalidKey();
    if (!record.enabled) throw unauthenticated('api_key_disabled', 'API key is disabled');
    const now = this.runtime.now();
    if (record.expiresAt !== undefined && record.expiresAt <= now) {
      throw unauthenticated('api_key_expired', 'API key has expired');
    }
    await assertLiveAncestors(this.collection, record, now);
    return record;
  }

  /** Records that a key was used; writes at most once per interval per key. */
  async markUsed(record: Pick<ApiKeyRecord, 'keyId' | 'lastUsedAt'>): Promise<void> {
    if (!this.lastUsed.shouldWrite(record.keyId, record.lastUsedAt)) return;
    const now = this.runtime.now();
    const current = await this.collection.get(record.keyId);
    if (!current) return;
    try {
      await this.collection.update(
        record.keyId,
        { ...current.value, lastUsedAt: now },
        { resourceVersion: current.resourceVersion },
      );
    } catch (err) {
      // Someone else changed the key meanwhile (revoked, disabled, used elsewhere): skip.
      if (!hasErrorCode(err, 'CONFLICT') && !hasErrorCode(err, 'NOT_FOUND')) throw err;
    }
  }

  async list(userId: string, kind?: ApiKeyKind): Promise<ApiKeySummary[]> {
    const records = await this.collection.list({ index: 'byUser', value: userId });
    return records
      .map((r) => r.value)
      .filter((k) => kind === undefined || k.kind === kind)
      .sort((a, b) => a.createdAt - b.createdAt || a.keyId.localeCompare(b.keyId))
      .map(toApiKeySummary);
  }

  /** A key's summary; `ownerId` limits the lookup to that user's keys. */
  async get(keyId: string, ownerId?: string): Promise<ApiKeySummary | undefined> {
    const record = KEY_ID_PATTERN.test(keyId)
      ? (await this.collection.get(keyId))?.value
      : undefined;
    if (!record || (ownerId !== undefined && record.userId !== ownerId)) return undefined;
    return toApiKeySummary(record);
  }

  /**
   * Deletes a key for good, and every key minted from it. Returns false if there was no such
   * key (of that owner).
   */
  async revoke(keyId: string, ownerId?: string): Promise<boolean> {
    if ((await this.get(keyId, ownerId)) === undefined) return false;
    this.lastUsed.forget(keyId);
    const deleted = await this.collection.delete(keyId);
    await revokeDescendants(this.collection, keyId);
    return deleted;
  }

  /** Revokes every key of a user (e.g. when the user is deleted). */
  async revokeAllOf(userId: string): Promise<number> {
    let count = 0;
    for (const record of await this.collection.list({ index: 'byUser', value: userId })) {
      if (await this.collection.delete(record.id)) count++;
    }
    return count;
  }

  /** Turns a key on or off; turning it off also revokes every key minted from it. */
  async setEnabled(keyId: string, enabled: boolean, ownerId?: string): Promise<ApiKeySummary> {
    for (let attempt = 1; ; attempt++) {
      const current = KEY_ID_PATTERN.test(keyId) ? await this.collection.get(keyId) : undefined;
      if (!current || (ownerId !== undefined && current.value.userId !== ownerId)) {
        throw new PaddockError('NOT_FOUND', `API key ${keyId} not found`);
      }
      try {
        const written = await this.collection.update(
          keyId,
          { ...current.value, enabled },
          { resourceVersion: current.resourceVersion },
        );
        // Keys minted from a disabled key are revoked, not disabled: enabling it again does
        // not bring back credentials that were handed out from it.
        if (!enabled) await revokeDescendants(this.collection, keyId);
        return toApiKeySummary(written.value);
      } catch (err) {
        if (!hasErrorCode(err, 'CONFLICT') || attempt >= 5) throw err;
      }
    }
  }

  private hashOf(keyId: string, secret: string): Buffer {
    // The key id is inside the MAC so a stored hash cannot be moved to another key's record.
    return createHmac('sha256', this.pepper).update(`${keyId}:${secret}`).digest();
  }
}
