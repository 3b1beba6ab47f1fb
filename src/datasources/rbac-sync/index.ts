export { readDownstreamRbac, readNamespaces } from './downstream-reader.js';
export { collectionPath, NAMESPACES_PATH, objectPath } from './kube-paths.js';
export { ManagerClient } from './manager-client.js';
export { NamespaceWatch } from './namespace-watch.js';
export { containsFields, ObjectSetPush, type ObjectSetPushOptions } from './object-set.js';
export {
  type ManagedClusters,
  RbacSyncController,
  type RbacSyncOptions,
} from './rbac-sync-controller.js';
export { type ReconcileOutcome, reconcileCluster, type SyncChange } from './reconcile-cluster.js';
export { sameObject } from './same-object.js';
export { SYNC_STATUS_COLLECTION, type SyncStatusBoard } from './sync-status-board.js';
