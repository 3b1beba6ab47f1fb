/**
 * Opaque cursors and keyset pagination over sorted in-memory lists. A cursor holds the sort key
 * of the last item shown, not an offset, so items added or removed between pages neither skip
 * nor repeat the others.
 */

import { compareSortKeys } from '../domain/sort-key.js';
import { PaddockError } from '../errors/index.js';

export type SortKey = readonly string[];

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): SortKey {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return parsed;
  } catch {
    // falls through to the error below
  }
  throw new PaddockError('VALIDATION_FAILED', 'invalid cursor', { reason: 'invalid_cursor' });
}

export interface PageRequest {
  readonly first?: number | null;
  readonly after?: string | null;
}

export interface Page<T> {
  readonly items: T[];
  readonly totalCount: number;
  readonly endCursor: string | null;
  readonly hasNextPage: boolean;
}

export function pageSizeOf(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw new PaddockError('VALIDATION_FAILED', `first must be between 0 and ${MAX_PAGE_SIZE}`, {
      reason: 'invalid_page_size',
    });
  }
  return size;
}

/** One page of `items` ordered by `keyOf` (which must be unique per item). */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => SortKey,
  request: PageRequest,
): Page<T> {
  const size = pageSizeOf(request.first);
  const keyed = items.map((item) => ({ item, key: keyOf(item) }));
  keyed.sort((a, b) => compareSortKeys(a.key, b.key));
  const after = request.after ? decodeCursor(request.after) : undefined;
  const rest = after === undefined ? keyed : keyed.filter((k) => compareSortKeys(k.key, after) > 0);
  const shown = rest.slice(0, size);
  const last = shown[shown.length - 1];
  return {
    items: shown.map((k) => k.item),
    totalCount: keyed.length,
    endCursor: last === undefined ? null : encodeCursor(last.key),
    hasNextPage: rest.length > shown.length,
  };
}
