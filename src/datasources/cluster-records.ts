/**
 * What the registry keeps in the Store for each cluster. Tokens are sealed with the SecretBox,
 * bound to the cluster id and field so a sealed value cannot be moved to another record.
 */
import type { ClusterImportMethod } from '../domain/cluster.js';
import type { CollectionSpec } from '../domain/store.js';
import type { StoredHealth } from './stored-health.js';

export interface ClusterRecord {
  readonly id: string;
  /** Unique regardless of case. */
  readonly name: string;
  readonly description: string;
  readonly importMethod: ClusterImportMethod;
  /** `https://host:port[/prefix]`; empty while a manifest import is pending. */
  readonly endpoint: string;
  /** PEM of the CA that signs the API server's certificate; absent = the system roots. */
  readonly caPem?: string;
  /** Name to check the API server's certificate against when it differs from the URL's host. */
  readonly tlsServerName?: string;
  readonly dangerouslySkipTlsVerify: boolean;
  /** Sealed bearer token of `paddock-impersonator`. */
  readonly impersonatorToken?: string;
  /** Sealed bearer token of `paddock-manager`. */
  readonly managerToken?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  /**
   * The last health verdict, written when the state changes so every replica can show it
   * (`degraded` as `active` plus a flag, see stored-health.ts).
   */
  readonly health?: StoredHealth;
  /** Id of the user who imported it through the API (its cluster-owner); absent otherwise. */
  readonly createdBy?: string;
  /**
   * Set on imports until a probe first finds the cluster active: such a cluster (or one still
   * pending) is removed by the sweep once the import TTL has passed (ADR 0011). Records from
   * before the sweep existed lack it and are left alone unless pending.
   */
  readonly awaitingActive?: boolean;
  /**
   * `agent`: reached only through the tunnel its agent opens (ADR 0017); absent = dialled
   * directly.
   */
  readonly transport?: 'agent';
  /** Sealed registration secret of an agent cluster (the manifest carries it in a Secret). */
  readonly agentSecret?: string;
  /** When an agent was last connected (to any replica) and its version. */
  readonly agent?: { readonly lastSeenAt: number; readonly version: string };
}

/** Registered but waiting for its manifest: no endpoint and no credentials yet. */
export function isPendingRecord(record: ClusterRecord): boolean {
  return record.endpoint === '' && record.impersonatorToken === undefined;
}

export const clustersCollection: CollectionSpec<ClusterRecord> = {
  name: 'clusters',
  indexes: {
    name: { key: (c) => c.name.toLowerCase(), unique: true },
  },
};

/** Collection specs for backup/restore. */
export const datasourceCollectionSpecs: readonly CollectionSpec<unknown>[] = [
  clustersCollection as CollectionSpec<unknown>,
];

/** The SecretBox associated data of one sealed cluster credential. */
export function credentialPlace(
  clusterId: string,
  field: 'impersonatorToken' | 'managerToken' | 'agentSecret',
) {
  return `cluster:${clusterId}/${field}`;
}

export const CLUSTER_ID_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
