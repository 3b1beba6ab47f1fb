/**
 * Registering, renaming and removing downstream clusters, as the GraphQL mutations call it.
 * `DatasourceClusterRegistry` from `src/datasources` fits this shape; credentials go in and
 * never come back out: every method answers with a `ClusterSummary`.
 */
import type { ClusterSummary } from './cluster.js';

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

/** One context of a kubeconfig (text, not a path). */
export interface KubeconfigClusterImport extends Partial<ClusterNameSpec> {
  readonly kubeconfig: string;
  readonly context?: string;
  /** `install` (default): create the import manifest's objects with the context's token. */
  readonly credentials?: 'install' | 'context';
}

/** The operator applied the import manifest; a one-time token reads the account tokens. */
export type ManifestImportCompletion = ClusterEndpointSpec & { readonly bootstrapToken: string };

export interface ClusterChanges {
  readonly name?: string;
  readonly description?: string;
}

export interface ClusterAdmin {
  importDirect(input: DirectClusterImport): Promise<ClusterSummary>;
  importFromKubeconfig(input: KubeconfigClusterImport): Promise<ClusterSummary>;
  /** Registers a pending cluster whose import manifest can then be fetched. */
  createPendingImport(input: ClusterNameSpec): Promise<ClusterSummary>;
  /** Multi-document YAML; `NOT_FOUND` for an unknown cluster. */
  importManifest(clusterId: string): Promise<string>;
  completeManifestImport(
    clusterId: string,
    input: ManifestImportCompletion,
  ): Promise<ClusterSummary>;
  /** Renames or re-describes a cluster; `NOT_FOUND` for an unknown one. */
  update(clusterId: string, changes: ClusterChanges): Promise<ClusterSummary>;
  /** False when there was no such cluster. */
  remove(clusterId: string): Promise<boolean>;
}
