/**
 * Reads and writes of Kubernetes objects in downstream clusters **as the caller**: every call
 * carries the same impersonation the proxy sets, so the downstream API server decides what the
 * caller may see and do, and GraphQL never shows more than kubectl would. `src/datasources/
 * kube-api` implements it over the registry's connections; the resolvers only see this port.
 */
import { PaddockError, type PaddockErrorCode } from '../errors/index.js';
import type { Identity } from './identity.js';

/** Why one call to one cluster failed (what `clusterErrors[].code` shows). */
export type KubeErrorCode =
  | 'UNREACHABLE'
  | 'TIMEOUT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INVALID'
  | 'BAD_REQUEST'
  | 'GONE'
  | 'TOO_MANY_REQUESTS'
  | 'UNAVAILABLE'
  | 'INTERNAL';

const paddockCodeOf: Record<KubeErrorCode, PaddockErrorCode> = {
  UNREACHABLE: 'UPSTREAM_UNAVAILABLE',
  TIMEOUT: 'UPSTREAM_TIMEOUT',
  // The cluster refused Paddock's impersonator token: a server-side problem, not the caller's.
  UNAUTHORIZED: 'UPSTREAM_UNAVAILABLE',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INVALID: 'VALIDATION_FAILED',
  BAD_REQUEST: 'BAD_REQUEST',
  GONE: 'GONE',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  INTERNAL: 'UPSTREAM_UNAVAILABLE',
};

const retryableCodes = new Set<KubeErrorCode>([
  'UNREACHABLE',
  'TIMEOUT',
  'TOO_MANY_REQUESTS',
  'UNAVAILABLE',
  'INTERNAL',
  'GONE',
]);

/** A failed downstream call; the message is the downstream's own `Status.message`. */
export class KubeApiError extends PaddockError {
  readonly clusterId: string;
  readonly kubeCode: KubeErrorCode;
  readonly retryable: boolean;
  /** HTTP status of the downstream answer; absent when none arrived. */
  readonly status: number | undefined;

  constructor(
    clusterId: string,
    kubeCode: KubeErrorCode,
    message: string,
    options: { status?: number; kubeReason?: string; cause?: unknown } = {},
  ) {
    super(paddockCodeOf[kubeCode], message, {
      reason: `kube_${kubeCode.toLowerCase()}`,
      details: {
        clusterId,
        kubeCode,
        ...(options.status === undefined ? {} : { status: options.status }),
        ...(options.kubeReason === undefined ? {} : { kubeReason: options.kubeReason }),
      },
      cause: options.cause,
    });
    this.name = 'KubeApiError';
    this.clusterId = clusterId;
    this.kubeCode = kubeCode;
    this.retryable = retryableCodes.has(kubeCode);
    this.status = options.status;
  }
}

export function isKubeApiError(value: unknown): value is KubeApiError {
  return value instanceof KubeApiError;
}

export interface KubeMetadata {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string }[];
  [key: string]: unknown;
}

/** Any Kubernetes object; typed views are made by the resolvers. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: KubeMetadata;
  [key: string]: unknown;
}

/** Where a kind lives in the API: `{ group: 'apps', version: 'v1', resource: 'deployments' }`. */
export interface KubeResource {
  /** `''` for the core group. */
  readonly group: string;
  readonly version: string;
  /** Plural lowercase name. */
  readonly resource: string;
  readonly namespaced: boolean;
  readonly kind?: string;
}

export interface KubeCallOptions {
  /** Deadline of this call; default the client's (10 s). */
  readonly timeoutMs?: number;
  /** Aborts the call (a fan-out's per-cluster deadline). */
  readonly signal?: AbortSignal;
}

export interface KubeListOptions extends KubeCallOptions {
  /** Absent or `''`: all namespaces (for namespaced kinds). */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit?: number;
  readonly continue?: string;
}

export interface KubeList {
  readonly items: KubeObject[];
  readonly resourceVersion: string;
  /** Token for the next chunk; absent on the last one. */
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

export type KubePatchType = 'merge' | 'strategic' | 'json';

export interface KubeWatchOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Start after this version (from a list); absent: the current state as ADDED events. */
  readonly resourceVersion?: string;
  readonly signal?: AbortSignal;
}

export type KubeWatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface KubeWatchEvent {
  readonly type: KubeWatchEventType;
  readonly object: KubeObject;
}

/** What part of a container's log to read (`kubectl logs` flags). */
export interface KubeLogOptions extends KubeCallOptions {
  readonly container?: string;
  readonly tailLines?: number;
  readonly limitBytes?: number;
  readonly previous?: boolean;
  readonly timestamps?: boolean;
}

/** One failed cluster of a fan-out. */
export interface ClusterFailure {
  readonly clusterId: string;
  readonly code: KubeErrorCode;
  readonly message: string;
  readonly retryable: boolean;
}

export interface FanOutOptions {
  /** Per-cluster deadline; default 5 s. */
  readonly deadlineMs?: number;
  /**
   * The whole fan-out answers within this (a query's `deadlineMs`): clusters still working,
   * or still waiting for their turn, then count as `TIMEOUT`.
   */
  readonly totalDeadlineMs?: number;
  /** Clusters asked at once; default 16. */
  readonly concurrency?: number;
}

export interface FanOutResult<T> {
  /** One entry per cluster that answered, in the order of the cluster ids given. */
  readonly items: { readonly clusterId: string; readonly value: T }[];
  readonly clusterErrors: ClusterFailure[];
}

/** One caller's view of every downstream cluster. */
export interface KubeClient {
  list(clusterId: string, resource: KubeResource, options?: KubeListOptions): Promise<KubeList>;
  get(
    clusterId: string,
    resource: KubeResource,
    namespace: string | undefined,
    name: string,
    options?: KubeCallOptions,
  ): Promise<KubeObject>;
  create(
    clusterId: string,
    resource: KubeResource,
    namespace: string | undefined,
    body: KubeObject,
    options?: KubeCallOptions,
  ): Promise<KubeObject>;
  replace(
    clusterId: string,
    resource: KubeResource,
    namespace: string | undefined,
    body: KubeObject,
    options?: KubeCallOptions,
  ): Promise<KubeObject>;
  patch(
    clusterId: string,
    resource: KubeResource,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    type: KubePatchType,
    options?: KubeCallOptions & { subresource?: string },
  ): Promise<KubeObject>;
  delete(
    clusterId: string,
    resource: KubeResource,
    namespace: string | undefined,
    name: string,
    options?: KubeCallOptions & { propagationPolicy?: 'Foreground' | 'Background' | 'Orphan' },
  ): Promise<void>;
  /** A pod's log text (`pods/log`), as `kubectl logs` reads it. */
  logs(
    clusterId: string,
    namespace: string,
    pod: string,
    options?: KubeLogOptions,
  ): Promise<string>;
  /** Streams changes until `signal` aborts or the server ends the watch. */
  watch(
    clusterId: string,
    resource: KubeResource,
    options?: KubeWatchOptions,
  ): AsyncIterable<KubeWatchEvent>;
  /** The API resource of `apiVersion`/`kind` from the cluster's discovery (cached). */
  resolveKind(
    clusterId: string,
    apiVersion: string,
    kind: string,
    options?: KubeCallOptions,
  ): Promise<KubeResource>;
  /**
   * Runs `task` for every cluster concurrently (at most `concurrency` at once), each bounded by
   * its own deadline; a failing or slow cluster becomes a `clusterErrors` entry.
   */
  fanOut<T>(
    clusterIds: readonly string[],
    task: (clusterId: string, signal: AbortSignal) => Promise<T>,
    options?: FanOutOptions,
  ): Promise<FanOutResult<T>>;
}

export interface KubeApi {
  /** The client that impersonates `identity` on every call. */
  forCaller(identity: Identity): KubeClient;
}

/** A namespace the caller reaches through a project binding, when cluster-wide lists are denied. */
export interface ScopedNamespace {
  readonly name: string;
  /** `<clusterId>:<projectId>` when the namespace belongs to a project. */
  readonly projectId?: string;
}

/**
 * The namespaces of a cluster the caller holds a project binding in. A project member cannot
 * list every pod of a cluster (neither can kubectl `-A`), so cross-namespace reads fall back to
 * one list per namespace named here. Implemented over the RBAC state and the namespaces the
 * manager account reads.
 */
export interface CallerNamespaceScope {
  namespacesOf(identity: Identity, clusterId: string): Promise<readonly ScopedNamespace[]>;
}

/** Node/pod totals of one cluster, kept by the registry's background refresh. */
export interface ClusterCapacityReader {
  capacity(clusterId: string): Promise<ClusterCapacitySnapshot | undefined>;
}

/** Kubernetes quantities as milli-units for cpu and bytes for memory, counts for pods. */
export interface ResourceTotals {
  readonly cpuMillis: number;
  readonly memoryBytes: number;
  readonly pods: number;
}

export interface ClusterCapacitySnapshot {
  readonly capacity: ResourceTotals;
  readonly allocatable: ResourceTotals;
  readonly requested: ResourceTotals;
  readonly limits: ResourceTotals;
  /** Epoch milliseconds of the read. */
  readonly readAt: number;
  /**
   * How long after `readAt` the read counts as current, when the reader says (a pass over a
   * thousand clusters can outlast the usual limit); else the board's own limit applies.
   */
  readonly staleAfterMs?: number;
}
