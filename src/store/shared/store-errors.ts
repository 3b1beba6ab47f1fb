import { PaddockError } from '../../errors/index.js';
import type { IndexEntry } from './index-entries.js';

export function uniqueConflict(collection: string, entry: IndexEntry): PaddockError {
  return new PaddockError(
    'CONFLICT',
    `${collection}: another record already has ${entry.index} "${entry.key}"`,
    { reason: 'unique_index', details: { collection, index: entry.index } },
  );
}

export function idTaken(collection: string, id: string): PaddockError {
  return new PaddockError('CONFLICT', `${collection}/${id} already exists`, {
    reason: 'already_exists',
    details: { collection, id },
  });
}

export function staleVersion(collection: string, id: string): PaddockError {
  return new PaddockError(
    'CONFLICT',
    `${collection}/${id} was changed by someone else (stale resourceVersion)`,
    { reason: 'stale_resource_version', details: { collection, id } },
  );
}

export function notFound(collection: string, id: string): PaddockError {
  return new PaddockError('NOT_FOUND', `${collection}/${id} does not exist`, {
    details: { collection, id },
  });
}

/** Wraps a backend failure (connection lost, disk error) so callers see one code. */
export function storeUnavailable(message: string, cause: unknown): PaddockError {
  return new PaddockError('STORE_UNAVAILABLE', message, { cause });
}
