import type { BackupRecord, CollectionSpec } from '../../domain/store.js';
import { PaddockError } from '../../errors/index.js';
import { type IndexEntry, indexEntriesOf } from './index-entries.js';
import { uniqueConflict } from './store-errors.js';
import { idProblem, isValidCollectionName, toJson } from './validation.js';

/** A validated record ready to be written by an adapter's import. */
export interface PlannedRecord {
  readonly collection: string;
  readonly id: string;
  readonly json: string;
  readonly expiresAt: number | undefined;
  readonly entries: readonly IndexEntry[];
}

/**
 * Reads and validates every record before an adapter changes anything, so a bad import
 * leaves the store untouched. Already-expired records are dropped.
 */
export async function planImport(
  records: AsyncIterable<BackupRecord>,
  specs: readonly CollectionSpec<unknown>[],
  nowMs: number,
  /** Names the position of a record in error messages (e.g. a line of a backup file). */
  where: (position: number) => string = (position) => `record ${position}`,
): Promise<PlannedRecord[]> {
  const specByName = new Map(specs.map((spec) => [spec.name, spec]));
  const seen = new Set<string>();
  const uniqueOwners = new Map<string, string>();
  const planned: PlannedRecord[] = [];
  let position = 0;
  for await (const record of records) {
    position += 1;
    const at = where(position);
    if (!isValidCollectionName(record.collection)) {
      throw new PaddockError('VALIDATION_FAILED', `${at}: invalid collection name`);
    }
    const problem = idProblem(record.id);
    if (problem !== undefined) throw new PaddockError('VALIDATION_FAILED', `${at}: ${problem}`);
    const identity = `${record.collection}\n${record.id}`;
    if (seen.has(identity)) {
      throw new PaddockError(
        'VALIDATION_FAILED',
        `${at}: duplicate record ${record.collection}/${record.id}`,
      );
    }
    seen.add(identity);
    if (
      record.expiresAt !== undefined &&
      (typeof record.expiresAt !== 'number' || !Number.isFinite(record.expiresAt))
    ) {
      throw new PaddockError('VALIDATION_FAILED', `${at}: expiresAt must be a number`);
    }
    if (record.expiresAt !== undefined && record.expiresAt <= nowMs) continue;
    const json = toJson(record.collection, record.value);
    const spec = specByName.get(record.collection);
    const entries = spec === undefined ? [] : indexEntriesOf(spec, JSON.parse(json) as unknown);
    for (const entry of entries) {
      if (!entry.unique) continue;
      const slot = `${record.collection}\n${entry.index}\n${entry.key}`;
      if (uniqueOwners.has(slot)) {
        const conflict = uniqueConflict(record.collection, entry);
        throw new PaddockError('CONFLICT', `${at}: ${conflict.message}`, {
          reason: conflict.reason,
          details: { ...conflict.details, position },
        });
      }
      uniqueOwners.set(slot, record.id);
    }
    planned.push({
      collection: record.collection,
      id: record.id,
      json,
      expiresAt: record.expiresAt,
      entries,
    });
  }
  return planned;
}
