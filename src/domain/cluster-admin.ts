/**
 * Registering, renaming and removing downstream clusters, as the GraphQL mutations call it.
 * Every method takes the caller and checks, per cluster, that the caller may do it (ADR 0011):
 * creating is the global `create clusters` right; completing a pending import is for its
 * creator or whoever may `update` that cluster; changing, renaming and removing need `update` /
 * `delete` on that cluster (a global role, or cluster-owner of it). Credentials go in and never
 * come back out: every method answers with a `ClusterSummary`.
 */
import type { ClusterSummary, ClusterTransportKind } from './cluster.js';
import type { Identity } from './identity.js';

/** Minutes a cluster import may stay pending (or never active) before the sweep removes it. */
export const SETTING_CLUSTER_IMPORT_TTL_MINUTES = 'cluster-import-ttl-minutes';

/** Who asks, and the request id their logs and audit lines carry. */
export interface ClusterAdminCaller {
  readonly identity: Identity;
  readonly requestId: string;
}

/** Where a cluster's API server is and how to trust it. */
export interface ClusterEndpointSpec {
  /** `https://host:port[/prefix]`. */
  readonly endpoint: string;
  /** PEM of the API server's CA; omitted = the system's trusted roots. */
  readonly caPem?: string;
  readonly tlsServerName?: string;
  readonly dangerouslySkipTlsVerify?: boolean;
}

export interface ClusterNameSpec {
  /** Defaults to a random `c-xxxxx`. */
  readonly id?: string;
  readonly name: string;
  readonly description?: string;
}

/** Endpoint, CA and both service-account tokens. */
export interface DirectClusterImport extends ClusterNameSpec, ClusterEndpointSpec {
  readonly impersonatorToken: string;
  readonly managerToken: string;
}

/** One context of a kubeconfig (text, not a path; only inline data is accepted). */
export interface KubeconfigClusterImport extends Partial<ClusterNameSpec> {
  readonly kubeconfig: string;
  readonly context?: string;
  /** `install` (default): create the import manifest's objects with the context's token. */
  readonly credentials?: 'install' | 'context';
}

/** The operator applied the import manifest; a one-time token reads the account tokens. */
export type ManifestImportCompletion = ClusterEndpointSpec & { readonly bootstrapToken: string };

/**
 * A new endpoint, CA and credentials for an imported cluster: either both service-account
 * tokens, or a one-time token that reads them from `paddock-system` again.
 */
export type ClusterConnectionChange = ClusterEndpointSpec &
  (
    | { readonly bootstrapToken: string }
    | { readonly impersonatorToken: string; readonly managerToken: string }
  );

export interface ClusterChanges {
  readonly name?: string;
  readonly description?: string;
}

export interface ClusterAdmin {
  importDirect(caller: ClusterAdminCaller, input: DirectClusterImport): Promise<ClusterSummary>;
  importFromKubeconfig(
    caller: ClusterAdminCaller,
    input: KubeconfigClusterImport,
  ): Promise<ClusterSummary>;
  /**
   * Registers a pending cluster whose import manifest can then be fetched; with `transport:
   * 'agent'` the manifest also installs `paddock agent`, which completes the import itself.
   */
  createPendingImport(
    caller: ClusterAdminCaller,
    input: ClusterNameSpec & { readonly transport?: ClusterTransportKind },
  ): Promise<ClusterSummary>;
  /**
   * Multi-document YAML; `NOT_FOUND` for an unknown cluster. For its creator or whoever may
   * `update` it, since an agent cluster's carries the agent's registration secret. `baseUrl`:
   * where the caller reached Paddock (the agent's address unless one is configured).
   */
  importManifest(
    caller: ClusterAdminCaller,
    clusterId: string,
    context?: { readonly baseUrl?: string },
  ): Promise<string>;
  /**
   * A new registration secret for an agent cluster (needs `update` on it; audited): agents
   * still presenting the old one are disconnected and refused. Fetch the manifest again for
   * the new Secret.
   */
  rotateAgentSecret(caller: ClusterAdminCaller, clusterId: string): Promise<ClusterSummary>;
  /** Only while the cluster is pending: `CONFLICT` (`cluster_not_pending`) afterwards. */
  completeManifestImport(
    caller: ClusterAdminCaller,
    clusterId: string,
    input: ManifestImportCompletion,
  ): Promise<ClusterSummary>;
  /** Changes an imported cluster's endpoint, CA and credentials (audited). */
  updateConnection(
    caller: ClusterAdminCaller,
    clusterId: string,
    input: ClusterConnectionChange,
  ): Promise<ClusterSummary>;
  /** Renames or re-describes a cluster; `NOT_FOUND` for an unknown one. */
  update(
    caller: ClusterAdminCaller,
    clusterId: string,
    changes: ClusterChanges,
  ): Promise<ClusterSummary>;
  /** False when there was no such cluster. */
  remove(caller: ClusterAdminCaller, clusterId: string): Promise<boolean>;
}
