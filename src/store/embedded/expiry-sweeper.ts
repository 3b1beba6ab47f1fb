import type { ChangeEvent } from '../../domain/store.js';
import type { LmdbLayout } from './lmdb-layout.js';
import type { WriteOutcome } from './write-queue.js';

/**
 * Deletes up to `batchSize` records whose expiry has passed, returning a 'deleted' event for
 * each. Runs inside a write transaction; reads already hide expired records, so the sweeper
 * only reclaims space and tells watchers.
 */
export function sweepExpired(
  layout: LmdbLayout,
  nowMs: number,
  batchSize: number,
): WriteOutcome<number> {
  const due: [number, string, string][] = [];
  for (const key of layout.expiry.getKeys()) {
    const [expiresAt, collection, id] = key as [number, string, string];
    if (expiresAt > nowMs || due.length >= batchSize) break;
    due.push([expiresAt, collection, id]);
  }
  const events: ChangeEvent<unknown>[] = [];
  for (const [expiresAt, collection, id] of due) {
    const entry = layout.records.get([collection, id]);
    if (entry === undefined || entry.exp !== expiresAt) {
      // A leftover from a record that was since rewritten or deleted.
      layout.expiry.removeSync([expiresAt, collection, id]);
      continue;
    }
    layout.removeRecord(collection, id, entry);
    const rv = layout.nextVersion();
    events.push({ type: 'deleted', collection, id, resourceVersion: String(rv), value: entry.v });
  }
  return { result: events.length, events };
}
