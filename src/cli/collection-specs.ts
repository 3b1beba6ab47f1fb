import { accessCollectionSpecs } from '../access/index.js';
import { alertingCollectionSpecs } from '../alerting/index.js';
import { datasourceCollectionSpecs } from '../datasources/index.js';
import type { CollectionSpec } from '../domain/index.js';
import { identityCollectionSpecs } from '../identity/index.js';
import { pendingLoginsCollection } from '../identity/oauth/index.js';
import { loggingCollectionSpecs } from '../logging/index.js';

/** Every collection any module keeps, so a restore can rebuild all secondary indexes. */
export const allCollectionSpecs: readonly CollectionSpec<unknown>[] = [
  ...identityCollectionSpecs,
  ...datasourceCollectionSpecs,
  ...accessCollectionSpecs,
  ...alertingCollectionSpecs,
  ...loggingCollectionSpecs,
  pendingLoginsCollection as CollectionSpec<unknown>,
];
