/**
 * What a downstream cluster holds for authorization, as read by Paddock's manager account, and
 * how the push-down reports its progress. `src/datasources/rbac-sync` implements both ports;
 * `src/access` (explainAccess) and the resolvers use them.
 */
import type { PolicyRule } from './rbac.js';

export interface DownstreamSubject {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface DownstreamBinding {
  readonly kind: 'ClusterRoleBinding' | 'RoleBinding';
  readonly name: string;
  /** Empty for a ClusterRoleBinding. */
  readonly namespace: string;
  readonly roleRef: { readonly kind: string; readonly name: string };
  readonly subjects: readonly DownstreamSubject[];
  readonly labels: Readonly<Record<string, string>>;
}

export interface DownstreamRole {
  readonly kind: 'ClusterRole' | 'Role';
  readonly name: string;
  readonly namespace: string;
  readonly rules: readonly PolicyRule[];
  readonly labels: Readonly<Record<string, string>>;
}

export interface DownstreamNamespace {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** The RBAC objects of one cluster, read together. */
export interface DownstreamRbac {
  readonly clusterId: string;
  readonly readAt: number;
  readonly roles: readonly DownstreamRole[];
  readonly bindings: readonly DownstreamBinding[];
  readonly namespaces: readonly DownstreamNamespace[];
}

export interface DownstreamRbacReader {
  /** Reads every (Cluster)Role, (Cluster)RoleBinding and Namespace of a cluster. */
  read(clusterId: string): Promise<DownstreamRbac>;
}

/** The push-down's last outcome for one cluster. */
export interface RbacSyncStatus {
  readonly clusterId: string;
  /** Epoch milliseconds of the last attempt, successful or not. */
  readonly lastAttemptAt?: number;
  /** Epoch milliseconds of the last sync that left the cluster equal to the desired state. */
  readonly lastSyncAt?: number;
  /** Why the last attempt failed (or which objects it could not write), if it did. */
  readonly errors: readonly string[];
  /** Objects the last attempt created, updated or deleted. */
  readonly changes: number;
}

export interface RbacSyncStatusReader {
  status(clusterId: string): RbacSyncStatus | undefined;
  statuses(): readonly RbacSyncStatus[];
}

/** Moves a namespace into a project (or out of any, with `projectId` null) downstream. */
export interface NamespaceAssigner {
  assign(clusterId: string, namespace: string, projectId: string | null): Promise<void>;
}
