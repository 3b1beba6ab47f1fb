import type { CollectionSpec } from '../../domain/store.js';
import { PaddockError } from '../../errors/index.js';

const COLLECTION_NAME = /^[a-z][a-z0-9-]*$/;
const INDEX_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** Keeps LMDB keys (max ~1.9 KB for collection + index + key + id) and Redis keys small. */
const MAX_ID_BYTES = 512;
const MAX_INDEX_KEY_BYTES = 1024;

/** Throws unless the spec's collection and index names are well formed. */
export function assertValidSpec(spec: CollectionSpec<unknown>): void {
  if (!COLLECTION_NAME.test(spec.name)) {
    throw new PaddockError(
      'VALIDATION_FAILED',
      `Invalid collection name "${spec.name}": expected [a-z][a-z0-9-]*`,
    );
  }
  for (const indexName of Object.keys(spec.indexes ?? {})) {
    if (!INDEX_NAME.test(indexName)) {
      throw new PaddockError(
        'VALIDATION_FAILED',
        `Invalid index name "${indexName}" in collection "${spec.name}": expected [A-Za-z][A-Za-z0-9_-]*`,
      );
    }
  }
}

export function isValidCollectionName(name: unknown): name is string {
  return typeof name === 'string' && COLLECTION_NAME.test(name);
}

/** Returns a problem description, or undefined when the id is acceptable. */
export function idProblem(id: unknown): string | undefined {
  if (typeof id !== 'string' || id.length === 0) return 'id must be a non-empty string';
  if (Buffer.byteLength(id) > MAX_ID_BYTES) return `id is longer than ${MAX_ID_BYTES} bytes`;
  return undefined;
}

export function assertValidId(collection: string, id: unknown): asserts id is string {
  const problem = idProblem(id);
  if (problem !== undefined) {
    throw new PaddockError('VALIDATION_FAILED', `${collection}: ${problem}`);
  }
}

export function assertValidIndexKey(collection: string, index: string, key: string): void {
  if (Buffer.byteLength(key) > MAX_INDEX_KEY_BYTES) {
    throw new PaddockError(
      'VALIDATION_FAILED',
      `${collection}: key of index "${index}" is longer than ${MAX_INDEX_KEY_BYTES} bytes`,
    );
  }
}

/**
 * Serialises a value the way both adapters store it, so callers get back exactly what a later
 * `get` returns (and cannot mutate the stored copy).
 */
export function toJson(collection: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new PaddockError('VALIDATION_FAILED', `${collection}: value is not JSON-serialisable`, {
      cause: error,
    });
  }
  if (text === undefined) {
    throw new PaddockError('VALIDATION_FAILED', `${collection}: value is not JSON-serialisable`);
  }
  return text;
}

/** Milliseconds epoch at which a write with these options expires, if it does. */
export function expiryOf(
  collection: string,
  ttlSeconds: number | undefined,
  nowMs: number,
): number | undefined {
  if (ttlSeconds === undefined) return undefined;
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new PaddockError(
      'VALIDATION_FAILED',
      `${collection}: ttlSeconds must be a positive number`,
    );
  }
  return Math.ceil(nowMs + ttlSeconds * 1000);
}

export function assertValidLimit(limit: number | undefined): void {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new PaddockError('VALIDATION_FAILED', 'limit must be a non-negative integer');
  }
}
