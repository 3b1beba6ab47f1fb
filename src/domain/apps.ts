/**
 * Apps are Helm releases. Helm's release records in each cluster are the source of truth: they
 * are read as the caller (so `apps` shows exactly the releases `helm list` would), and changes
 * run the real Helm CLI against Paddock's own proxy with a short-lived credential of the caller.
 * `src/apps` implements `AppsService`.
 */
import type { Identity } from './identity.js';
import type { ClusterFailure } from './kube-api.js';

/** Values given by the caller: YAML text or a JSON object, never both. */
export interface ValuesInput {
  readonly yaml?: string;
  readonly json?: unknown;
}

/** One release at its current revision. */
export interface ReleaseView {
  readonly clusterId: string;
  readonly namespace: string;
  /** `<clusterId>:<projectId>` when the namespace belongs to a project. */
  readonly projectId?: string;
  readonly name: string;
  readonly revision: number;
  /** Helm's status: deployed, failed, pending-install, pending-upgrade, superseded, ... */
  readonly status: string;
  readonly chartName: string;
  readonly chartVersion: string;
  readonly appVersion?: string;
  readonly description: string;
  readonly firstDeployedAt?: number;
  readonly updatedAt?: number;
  /** The values the release was installed with (not the chart defaults). */
  readonly values: Readonly<Record<string, unknown>>;
  /** The catalog Paddock installed it from; absent for releases made elsewhere. */
  readonly catalogId?: string;
  /** The multi-cluster app that owns the release, if any. */
  readonly multiClusterAppId?: string;
}

export interface ReleaseRevision {
  readonly revision: number;
  readonly status: string;
  readonly chartVersion: string;
  readonly appVersion?: string;
  readonly description: string;
  readonly updatedAt?: number;
}

/** An object the release's manifest declares. */
export interface ReleaseResource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface ReleaseDetails extends ReleaseView {
  readonly notes: string;
  readonly history: readonly ReleaseRevision[];
  readonly resources: readonly ReleaseResource[];
}

export interface ReleaseFilter {
  readonly clusterIds?: readonly string[];
  readonly namespaces?: readonly string[];
  /** `<clusterId>:<projectId>` references. */
  readonly projectIds?: readonly string[];
}

export interface ReleaseList {
  readonly items: readonly ReleaseView[];
  readonly clusterErrors: readonly ClusterFailure[];
}

export type AppOperationKind = 'install' | 'upgrade' | 'rollback' | 'uninstall';
export type AppOperationState = 'running' | 'succeeded' | 'failed';

/** A changed value between two sets of values, by dotted path. */
export interface ValuesChange {
  readonly path: string;
  /** Absent when the value was added. */
  readonly before?: unknown;
  /** Absent when the value was removed. */
  readonly after?: unknown;
}

export interface AppOperationView {
  readonly id: string;
  readonly kind: AppOperationKind;
  readonly state: AppOperationState;
  readonly userId: string;
  readonly clusterId: string;
  readonly namespace: string;
  readonly releaseName: string;
  readonly startedAt: number;
  readonly finishedAt?: number;
  /** Why it failed, in Helm's or Paddock's words. */
  readonly error?: string;
  /** Helm's output, one line each (bounded; `logTruncated` says when lines were dropped). */
  readonly log: readonly string[];
  readonly logTruncated: boolean;
  /** What an upgrade changes in the release's values. */
  readonly valuesDiff?: readonly ValuesChange[];
}

/** One step of an operation as a subscription streams it. */
export interface AppOperationEvent {
  readonly operationId: string;
  /** New log lines since the previous event. */
  readonly lines: readonly string[];
  readonly state: AppOperationState;
  readonly error?: string;
}

export interface InstallAppRequest {
  readonly clusterId: string;
  readonly namespace: string;
  readonly name: string;
  readonly catalogId: string;
  readonly chart: string;
  /** The newest version when absent. */
  readonly version?: string;
  readonly values?: ValuesInput;
  /** Wait for the workloads to be ready (Helm `--wait`); default true. */
  readonly wait?: boolean;
  readonly timeoutSeconds?: number;
}

export interface UpgradeAppRequest {
  readonly clusterId: string;
  readonly namespace: string;
  readonly name: string;
  /** Defaults to the catalog and chart the release came from. */
  readonly catalogId?: string;
  readonly chart?: string;
  /** Defaults to the release's current chart version. */
  readonly version?: string;
  /** Replaces the release's values; absent keeps them. */
  readonly values?: ValuesInput;
  readonly wait?: boolean;
  readonly timeoutSeconds?: number;
}

export interface ReleaseRef {
  readonly clusterId: string;
  readonly namespace: string;
  readonly name: string;
}

export interface AppsService {
  list(caller: Identity, filter?: ReleaseFilter): Promise<ReleaseList>;
  get(caller: Identity, ref: ReleaseRef): Promise<ReleaseDetails>;
  /** Each starts Helm and answers at once with the running operation. */
  install(caller: Identity, request: InstallAppRequest): Promise<AppOperationView>;
  upgrade(caller: Identity, request: UpgradeAppRequest): Promise<AppOperationView>;
  rollback(caller: Identity, ref: ReleaseRef, revision: number): Promise<AppOperationView>;
  uninstall(caller: Identity, ref: ReleaseRef): Promise<AppOperationView>;
  /** An operation the caller started (admins: any); NOT_FOUND otherwise. */
  operation(caller: Identity, id: string): Promise<AppOperationView>;
  /** The operation's log so far, then its new lines and state until it ends or `signal` aborts. */
  followOperation(
    caller: Identity,
    id: string,
    signal: AbortSignal,
  ): Promise<AsyncIterable<AppOperationEvent>>;
}
