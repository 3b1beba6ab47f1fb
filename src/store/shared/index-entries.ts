import type { CollectionSpec } from '../../domain/store.js';
import { PaddockError } from '../../errors/index.js';
import { assertValidIndexKey } from './validation.js';

/** One secondary-index membership of a record. */
export interface IndexEntry {
  readonly index: string;
  readonly key: string;
  readonly unique: boolean;
}

/** Computes a value's index entries from the collection spec (deduplicated, validated). */
export function indexEntriesOf<T>(spec: CollectionSpec<T>, value: T): IndexEntry[] {
  const entries: IndexEntry[] = [];
  for (const [index, indexSpec] of Object.entries(spec.indexes ?? {})) {
    const raw = indexSpec.key(value);
    if (raw === undefined) continue;
    const keys = typeof raw === 'string' ? [raw] : raw;
    for (const key of new Set(keys)) {
      if (typeof key !== 'string') {
        throw new PaddockError(
          'VALIDATION_FAILED',
          `${spec.name}: index "${index}" produced a non-string key`,
        );
      }
      assertValidIndexKey(spec.name, index, key);
      entries.push({ index, key, unique: indexSpec.unique === true });
    }
  }
  return entries;
}

/** Throws unless `index` names a declared index and `value` is given. */
export function assertListableIndex(
  spec: CollectionSpec<unknown>,
  index: string,
  value: string | undefined,
): asserts value is string {
  if (spec.indexes?.[index] === undefined) {
    throw new PaddockError('VALIDATION_FAILED', `${spec.name}: no index named "${index}"`);
  }
  if (typeof value !== 'string') {
    throw new PaddockError(
      'VALIDATION_FAILED',
      `${spec.name}: listing by index "${index}" needs a value`,
    );
  }
}
