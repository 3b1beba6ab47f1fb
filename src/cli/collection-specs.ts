import { accessCollectionSpecs } from '../access/index.js';
import { alertingCollectionSpecs } from '../alerting/index.js';
import { datasourceCollectionSpecs } from '../datasources/index.js';
import type { CollectionSpec } from '../domain/index.js';
import { identityCollectionSpecs } from '../identity/index.js';
import { pendingLoginsCollection } from '../identity/oauth/index.js';

/** Every collection any module keeps, so a restore can rebuild all secondary indexes. */
export const allCollectionSpecs: readonly CollectionSpec<unknown>[] = [
  ...identityCollectionSpecs,
  ...datasourceCollectionSpecs,
  ...accessCollectionSpecs,
  ...alertingCollectionSpecs,
  pendingLoginsCollection as CollectionSpec<unknown>,
];
