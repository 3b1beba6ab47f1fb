/**
 * The store's schema version, and the forward migrations each release runs on start. A store
 * written before versions existed is schema 1. Every release records the version it migrated
 * to and the oldest release schema that can still run against it (`oldestCompatible`): the
 * previous release must, so that a rolling upgrade (old and new replicas side by side) and a
 * rollback both work. A release meeting a store whose `oldestCompatible` is newer than itself
 * refuses to start, saying which, instead of misreading it. See ADR 0021.
 */
import type { CollectionSpec, Store } from '../../domain/store.js';
import { hasErrorCode, PaddockError } from '../../errors/index.js';
import type { StoreLogger } from '../shared/store-logger.js';

export interface StoreSchemaRecord {
  readonly version: number;
  readonly oldestCompatible: number;
  readonly migratedAt: number;
  /** The release that last migrated the store (its package version). */
  readonly by: string;
}

export const storeSchemaCollection: CollectionSpec<StoreSchemaRecord> = { name: 'store-schema' };
const RECORD_ID = 'schema';

/** One step forward; must be idempotent (two replicas may run it at once). */
export interface Migration {
  readonly to: number;
  readonly description: string;
  run(store: Store): Promise<void>;
}

export interface SchemaTarget {
  /** The schema this release writes. */
  readonly version: number;
  /** The oldest release schema that still runs against a store at `version`. */
  readonly oldestCompatible: number;
  readonly migrations: readonly Migration[];
  /** This release, for the record (package version). */
  readonly release: string;
}

/**
 * Brings the store to `target.version` (or leaves a newer, still compatible store as it is)
 * and answers the schema it is now at. Fails with CONFLICT (`store_schema_too_new`) on a store
 * this release cannot run against.
 */
export async function migrateStore(
  store: Store,
  target: SchemaTarget,
  options: { logger?: StoreLogger; now?: () => number } = {},
): Promise<StoreSchemaRecord> {
  const records = store.collection(storeSchemaCollection);
  const now = options.now ?? Date.now;
  for (let attempt = 1; ; attempt++) {
    const stored = await records.get(RECORD_ID);
    const current = stored?.value ?? { version: 1, oldestCompatible: 1, migratedAt: 0, by: '' };
    if (current.oldestCompatible > target.version) {
      throw new PaddockError(
        'CONFLICT',
        `the store is at schema ${current.version} (migrated by Paddock ${current.by || 'unknown'}), which needs a release of schema ${current.oldestCompatible} or newer; this release is schema ${target.version}: run a newer release, or restore a backup made before the upgrade`,
        { reason: 'store_schema_too_new' },
      );
    }
    if (current.version >= target.version) {
      if (current.version > target.version) {
        options.logger?.info(
          { storeSchema: current.version, releaseSchema: target.version },
          'the store is at a newer schema that this release still runs against (a rollback)',
        );
      }
      return current;
    }
    for (const step of target.migrations) {
      if (step.to <= current.version || step.to > target.version) continue;
      options.logger?.info(
        { from: step.to - 1, to: step.to, migration: step.description },
        'migrating the store',
      );
      await step.run(store);
    }
    const next: StoreSchemaRecord = {
      version: target.version,
      oldestCompatible: target.oldestCompatible,
      migratedAt: now(),
      by: target.release,
    };
    try {
      if (stored === undefined) await records.create(RECORD_ID, next);
      else await records.update(RECORD_ID, next, { resourceVersion: stored.resourceVersion });
      return next;
    } catch (err) {
      // Another replica migrated meanwhile: read its record and decide again.
      if (!hasErrorCode(err, 'CONFLICT') || attempt >= 5) throw err;
    }
  }
}
