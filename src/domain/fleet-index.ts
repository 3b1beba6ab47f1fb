/**
 * The fleet index: a watch-fed copy of the listed kinds of every cluster, with authorization
 * decided from each cluster's own RBAC objects, so a fleet-wide filter, sort or search is
 * answered from memory instead of by reading every cluster. Where it cannot be sure (the
 * cluster's RBAC is not known yet, the cluster's authorization is not RBAC only, the cache is
 * not there yet) it reads that cluster live as the caller instead, through `LiveRows`.
 * `src/fleet-index` implements it; the resolvers see only this port.
 */
import type { Identity } from './identity.js';
import type { ClusterFailure, FanOutResult, KubeObject, KubeResource } from './kube-api.js';

/** Turns the index off: every list is read live (for comparison, or as a kill switch). */
export const SETTING_FLEET_INDEX_ENABLED = 'fleet-index-enabled';
/**
 * Clusters whose authorization is not RBAC alone (a webhook, another mode): the index cannot
 * decide for their callers, so their lists are always read live. `*` means every cluster.
 */
export const SETTING_FLEET_INDEX_LIVE_CLUSTERS = 'fleet-index-live-clusters';
/** Custom resources the index follows, `<resource>.<group>/<version>`, comma-separated. */
export const SETTING_FLEET_INDEX_CUSTOM_KINDS = 'fleet-index-custom-kinds';

/** Conditions of a fleet-wide list; every one given must hold. */
export interface FleetFilter {
  readonly namespaces?: readonly string[];
  /** `<clusterId>:<projectId>` or a bare project id: namespaces labelled for the project. */
  readonly projectIds?: readonly string[];
  /** A Kubernetes label selector. */
  readonly labelSelector?: string;
  /** Case-insensitive part of the name. */
  readonly nameContains?: string;
  readonly namePrefix?: string;
  /** Case-insensitive text in the name, namespace or a label value. */
  readonly search?: string;
  /** Pod, claim or namespace phase; node `Ready`/`NotReady`; job `Complete`/`Failed`/`Running`. */
  readonly phases?: readonly string[];
  /** Phases to leave out (`Running`: every pod that is not running). */
  readonly notPhases?: readonly string[];
  readonly ready?: boolean;
  readonly minRestarts?: number;
}

export type FleetOrderField = 'CLUSTER' | 'NAME' | 'NAMESPACE' | 'CREATED' | 'RESTARTS';

export interface FleetOrder {
  readonly field: FleetOrderField;
  readonly descending: boolean;
}

export interface FleetListRequest {
  readonly resource: KubeResource;
  /** The clusters to answer from (visible to the caller), in any order. */
  readonly clusterIds: readonly string[];
  readonly filter: FleetFilter;
  readonly order: FleetOrder;
  readonly first: number;
  readonly after?: string;
  /** A further test on each object, applied like the filter (secret types, ...). */
  readonly where?: (object: KubeObject) => boolean;
}

/**
 * Reads every object of the kind in each cluster as the caller (the live fallback), with the
 * fan-out's per-cluster deadline: a failed cluster is a `clusterErrors` entry.
 */
export type LiveRows = (
  clusterIds: readonly string[],
) => Promise<FanOutResult<readonly KubeObject[]>>;

export interface FacetCount {
  readonly value: string;
  readonly count: number;
}

/** Counts over every match the caller may see (never only the page, never more). */
export interface FleetFacets {
  readonly clusters: readonly FacetCount[];
  readonly namespaces: readonly FacetCount[];
  readonly phases: readonly FacetCount[];
}

/** Where one cluster's part of an answer came from and how current it is. */
export interface FleetClusterSource {
  readonly clusterId: string;
  /** `INDEX`: from memory; `LIVE`: read as the caller just now. */
  readonly source: 'INDEX' | 'LIVE';
  /** The index's copy may be behind: its watch broke and has not resumed yet. */
  readonly stale: boolean;
  /** Milliseconds since the index last knew its copy to be current (0 while it is). */
  readonly ageMs: number;
  /** Epoch ms of the index's last full list or resumed watch of this kind. */
  readonly syncedAt?: number;
  /** Why the index did not answer for this cluster, when `source` is LIVE. */
  readonly reason?: string;
}

export interface FleetListAnswer {
  readonly items: readonly { readonly clusterId: string; readonly object: KubeObject }[];
  readonly endCursor: string | null;
  readonly hasNextPage: boolean;
  readonly clusterErrors: readonly ClusterFailure[];
  readonly sources: readonly FleetClusterSource[];
  /** Computed on first call, over the caller's authorized matches only. */
  facets(): FleetFacets;
  totalCount(): number;
}

export type FleetChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface FleetChange {
  readonly type: FleetChangeType;
  readonly clusterId: string;
  readonly object: KubeObject;
  /** Epoch ms when the index received it. */
  readonly at: number;
}

export interface FleetChangeRequest {
  readonly resource: KubeResource;
  readonly clusterIds: readonly string[];
  readonly filter: FleetFilter;
}

export interface FleetIndex {
  /** Whether the index follows this kind; lists of other kinds stay live. */
  serves(resource: KubeResource): boolean;
  list(identity: Identity, request: FleetListRequest, live: LiveRows): Promise<FleetListAnswer>;
  /**
   * Changes of one kind across the given clusters, each checked against the caller's `watch`
   * rights in its cluster when it happens. Clusters the index cannot decide for are left out;
   * `undecided` names them so the caller can follow them live.
   */
  changes(
    identity: Identity,
    request: FleetChangeRequest,
    handler: (change: FleetChange) => void,
  ): { readonly undecided: readonly string[]; stop(): void };
  /** Per cluster: whether every indexed kind is current. */
  clusterStatus(clusterId: string): FleetClusterStatus | undefined;
}

export interface FleetClusterStatus {
  readonly clusterId: string;
  readonly synced: boolean;
  /** The cluster's authorization is decided from its RBAC objects (not live). */
  readonly authorization: 'RBAC' | 'LIVE';
  readonly objects: number;
  readonly staleSince?: number;
  readonly syncedAt?: number;
}
