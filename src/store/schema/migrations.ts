/**
 * This release's place in the store's schema history (store-schema.ts). Each step says what it
 * changes; a step that needs no rewrite still says why the previous release can run after it.
 */
import type { Migration } from './store-schema.js';

export const STORE_SCHEMA_VERSION = 2;
/** Schema 1 releases (v0.1.x) still run against a schema 2 store: rolling upgrade, rollback. */
export const OLDEST_COMPATIBLE_SCHEMA = 1;

export const storeMigrations: readonly Migration[] = [
  {
    to: 2,
    description:
      'new collections only (session records, key canaries, the shared serving CA, controller ' +
      'results, the schema record) and fields a schema 1 release ignores (a degraded cluster ' +
      'is stored as active plus a flag); sessions issued under schema 1 are recorded at first ' +
      'use, so nothing is rewritten',
    run: async () => {},
  },
];
