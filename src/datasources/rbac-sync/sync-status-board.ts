/**
 * The push-down's outcome per cluster, where every replica reads it. The push-down runs on one
 * replica (a controller with a lease) and writes each status to a board; GraphQL on any replica
 * (rbacSyncStatus, explainAccess) answers from it. Serve shares it through the store
 * (`StoreStatusBoard`, collection `rbac-sync-status`); alone, it is `memoryStatusBoard()`.
 */
import type { RbacSyncStatus } from '../../domain/rbac-downstream.js';
import type { StatusBoard } from '../../domain/status-board.js';

export type SyncStatusBoard = StatusBoard<RbacSyncStatus>;

/** The store collection serve keeps the push-down statuses in. */
export const SYNC_STATUS_COLLECTION = 'rbac-sync-status';
