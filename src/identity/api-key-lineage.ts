/**
 * Derived keys: a key minted while the caller was authenticated by another key (a kubeconfig
 * token downloaded with an API key) records that parent. It never outlives the parent: its
 * expiry is capped at the parent's, revoking or disabling the parent deletes it, and a key
 * whose parent chain is broken (a cascade cut short by a crash) no longer verifies.
 */
import type { Collection } from '../domain/store.js';
import { PaddockError } from '../errors/index.js';
import { unauthenticated } from './auth-errors.js';
import type { ApiKeyRecord } from './collections.js';

/** Keys minted from keys minted from keys…: deeper chains are refused at creation. */
export const MAX_LINEAGE_DEPTH = 8;

function usable(record: ApiKeyRecord | undefined, nowMs: number): record is ApiKeyRecord {
  if (record === undefined || !record.enabled) return false;
  return record.expiresAt === undefined || record.expiresAt > nowMs;
}

/**
 * The parent a new key of `userId` may be minted from: it must exist, work, belong to the same
 * user and sit less than `MAX_LINEAGE_DEPTH` levels deep.
 */
export async function usableParent(
  keys: Collection<ApiKeyRecord>,
  parentKeyId: string,
  userId: string,
  nowMs: number,
): Promise<ApiKeyRecord> {
  const parent = (await keys.get(parentKeyId))?.value;
  if (!usable(parent, nowMs) || parent.userId !== userId) {
    throw unauthenticated(
      'parent_key_revoked',
      'the API key used for this request no longer works',
    );
  }
  const depth = await assertLiveAncestors(keys, parent, nowMs);
  if (depth + 1 >= MAX_LINEAGE_DEPTH) {
    throw new PaddockError(
      'FORBIDDEN',
      `keys may be derived from keys at most ${MAX_LINEAGE_DEPTH - 1} times; use a session or a key you created directly`,
      { reason: 'lineage_too_deep' },
    );
  }
  return parent;
}

/**
 * Walks the parents of `record`; UNAUTHENTICATED (`parent_key_revoked`) when one is gone,
 * disabled or expired. Returns how many ancestors the record has.
 */
export async function assertLiveAncestors(
  keys: Collection<ApiKeyRecord>,
  record: ApiKeyRecord,
  nowMs: number,
): Promise<number> {
  let depth = 0;
  let current = record;
  while (current.parentKeyId !== undefined) {
    depth += 1;
    const parent = (await keys.get(current.parentKeyId))?.value;
    if (depth > MAX_LINEAGE_DEPTH || !usable(parent, nowMs) || parent.userId !== record.userId) {
      throw unauthenticated(
        'parent_key_revoked',
        'the API key this token was made with has been revoked, disabled or has expired',
      );
    }
    current = parent;
  }
  return depth;
}

/** The expiry of a key minted from `parent`: never later than the parent's. */
export function cappedExpiry(
  requested: number | undefined,
  parent: ApiKeyRecord | undefined,
): number | undefined {
  if (parent?.expiresAt === undefined) return requested;
  return requested === undefined ? parent.expiresAt : Math.min(requested, parent.expiresAt);
}

/**
 * Deletes every key minted (directly or further down) from `keyId`. Each delete goes through
 * the store, so its change event evicts caches and closes open streams on every replica.
 * Returns the ids deleted.
 */
export async function revokeDescendants(
  keys: Collection<ApiKeyRecord>,
  keyId: string,
): Promise<string[]> {
  const deleted: string[] = [];
  const seen = new Set<string>([keyId]);
  const queue = [keyId];
  while (queue.length > 0) {
    const parentId = queue.shift()!;
    for (const child of await keys.list({ index: 'byParent', value: parentId })) {
      if (seen.has(child.id)) continue;
      seen.add(child.id);
      queue.push(child.id);
      if (await keys.delete(child.id)) deleted.push(child.id);
    }
  }
  return deleted;
}

/** Whether `a` was made before `b` (ties broken by id, so concurrent makers agree). */
export function madeBefore(a: ApiKeyRecord, b: ApiKeyRecord): boolean {
  return a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.keyId < b.keyId);
}
