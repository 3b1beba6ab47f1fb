/**
 * Shared, watch-fed caches of a few kinds in every downstream cluster, read with the manager
 * account: one list+watch per cluster and kind however many consumers (alert evaluation, the
 * fleet index) subscribe. `src/datasources/informers` implements it.
 */
import type { KubeObject } from './kube-api.js';

/** The built-in kinds Paddock follows itself (not as a caller). */
export type BuiltinInformedKind =
  | 'namespaces'
  | 'nodes'
  | 'pods'
  | 'events'
  | 'deployments'
  | 'statefulsets'
  | 'daemonsets'
  | 'jobs'
  | 'cronjobs'
  | 'persistentvolumeclaims'
  | 'persistentvolumes'
  | 'storageclasses'
  | 'services'
  | 'ingresses'
  | 'configmaps'
  | 'roles'
  | 'clusterroles'
  | 'rolebindings'
  | 'clusterrolebindings';

/**
 * A custom resource named by its plural and API version, `<resource>.<group>/<version>`
 * (`certificates.cert-manager.io/v1`): what a setting names for the fleet index.
 */
export type CustomInformedKind = `${string}.${string}/${string}`;

export type InformedKind = BuiltinInformedKind | CustomInformedKind;

export const INFORMED_KINDS: readonly BuiltinInformedKind[] = [
  'namespaces',
  'nodes',
  'pods',
  'events',
  'deployments',
  'statefulsets',
  'daemonsets',
  'jobs',
  'cronjobs',
  'persistentvolumeclaims',
  'persistentvolumes',
  'storageclasses',
  'services',
  'ingresses',
  'configmaps',
  'roles',
  'clusterroles',
  'rolebindings',
  'clusterrolebindings',
];

/** `<resource>.<group>/<version>` → its parts, or undefined when it is not of that form. */
export function parseCustomKind(
  kind: string,
): { resource: string; group: string; version: string } | undefined {
  const m = /^([a-z0-9-]+)\.([a-z0-9.-]+)\/([a-z0-9]+)$/.exec(kind);
  return m ? { resource: m[1]!, group: m[2]!, version: m[3]! } : undefined;
}

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

/** How current one cluster's cache of one kind is. */
export interface InformerStatus {
  readonly synced: boolean;
  /** Epoch ms of the last full list or resumed watch; absent before the first. */
  readonly syncedAt?: number;
  /** Epoch ms when the cache stopped being current (watch broke); absent while synced. */
  readonly staleSince?: number;
  /** Epoch ms of the last event or bookmark: the server last showed the watch alive then. */
  readonly lastSeenAt?: number;
  /** Why the last list or watch failed, while not synced. */
  readonly error?: string;
  readonly objects: number;
}

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
  /** How current the cache is; undefined without a subscriber. */
  status?(clusterId: string, kind: InformedKind): InformerStatus | undefined;
}
