/**
 * Shared, watch-fed caches of a few kinds in every downstream cluster, read with the manager
 * account: one list+watch per cluster and kind however many consumers (alert evaluation, the
 * fleet index) subscribe. `src/datasources/informers` implements it.
 */
import type { KubeObject } from './kube-api.js';

/** The kinds Paddock follows itself (not as a caller). */
export type InformedKind =
  | 'namespaces'
  | 'nodes'
  | 'pods'
  | 'events'
  | 'deployments'
  | 'statefulsets'
  | 'daemonsets'
  | 'jobs'
  | 'persistentvolumeclaims';

export const INFORMED_KINDS: readonly InformedKind[] = [
  'namespaces',
  'nodes',
  'pods',
  'events',
  'deployments',
  'statefulsets',
  'daemonsets',
  'jobs',
  'persistentvolumeclaims',
];

/**
 * `SYNCED`: the cache now holds the cluster's full state (after the first list and after every
 * re-list); `STALE`: the watch broke and the cache may be behind until the next `SYNCED`.
 */
export type InformerEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'SYNCED' | 'STALE';

export interface InformerEvent {
  readonly type: InformerEventType;
  readonly clusterId: string;
  readonly kind: InformedKind;
  /** The object (its last state for DELETED); absent for SYNCED and STALE. */
  readonly object?: KubeObject;
  /** Epoch milliseconds when Paddock received the change. */
  readonly at: number;
}

export type InformerHandler = (event: InformerEvent) => void;

export interface ClusterInformers {
  /**
   * Follows `kind` in `clusterId`: the handler gets the cached objects as ADDED plus SYNCED at
   * once if the cache is synced, then every change. The first subscriber opens the watch, the
   * last one's unsubscribe closes it.
   */
  subscribe(clusterId: string, kind: InformedKind, handler: InformerHandler): () => void;
  /** The cached objects (empty before the first sync or without a subscriber). */
  list(clusterId: string, kind: InformedKind): readonly KubeObject[];
  /** The cache holds the cluster's full state now. */
  synced(clusterId: string, kind: InformedKind): boolean;
}
