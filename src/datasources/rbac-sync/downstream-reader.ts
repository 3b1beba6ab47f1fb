/**
 * Reads a cluster's authorization objects with the manager token, in the shape explainAccess
 * evaluates (`DownstreamRbac`); also the namespace list the push-down targets.
 */

import type { PolicyRule } from '../../domain/rbac.js';
import type {
  DownstreamBinding,
  DownstreamNamespace,
  DownstreamRbac,
  DownstreamRole,
} from '../../domain/rbac-downstream.js';
import { collectionPath, NAMESPACES_PATH, ROLES_PATH } from './kube-paths.js';
import type { ManagerClient } from './manager-client.js';

interface Meta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

interface RawRole {
  readonly metadata: Meta;
  readonly rules?: PolicyRule[] | null;
}

interface RawBinding {
  readonly metadata: Meta;
  readonly roleRef: { kind: string; name: string };
  readonly subjects?: { kind: string; name: string; namespace?: string }[] | null;
}

export async function readNamespaces(client: ManagerClient): Promise<DownstreamNamespace[]> {
  const list = await client.list<{ metadata: Meta }>(NAMESPACES_PATH);
  return list.items.map((n) => ({
    name: n.metadata.name,
    labels: n.metadata.labels ?? {},
    annotations: n.metadata.annotations ?? {},
  }));
}

export async function readDownstreamRbac(
  client: ManagerClient,
  now: () => number,
): Promise<DownstreamRbac> {
  const [clusterRoles, roles, crbs, rbs, namespaces] = await Promise.all([
    client.list<RawRole>(collectionPath('ClusterRole')),
    client.list<RawRole>(ROLES_PATH),
    client.list<RawBinding>(collectionPath('ClusterRoleBinding')),
    client.list<RawBinding>(collectionPath('RoleBinding')),
    readNamespaces(client),
  ]);
  const role =
    (kind: DownstreamRole['kind']) =>
    (r: RawRole): DownstreamRole => ({
      kind,
      name: r.metadata.name,
      namespace: kind === 'Role' ? (r.metadata.namespace ?? '') : '',
      rules: r.rules ?? [],
      labels: r.metadata.labels ?? {},
    });
  const binding =
    (kind: DownstreamBinding['kind']) =>
    (b: RawBinding): DownstreamBinding => ({
      kind,
      name: b.metadata.name,
      namespace: kind === 'RoleBinding' ? (b.metadata.namespace ?? '') : '',
      roleRef: { kind: b.roleRef.kind, name: b.roleRef.name },
      subjects: (b.subjects ?? []).map((s) => ({
        kind: s.kind,
        name: s.name,
        ...(s.namespace ? { namespace: s.namespace } : {}),
      })),
      labels: b.metadata.labels ?? {},
    });
  return {
    clusterId: client.connection.clusterId,
    readAt: now(),
    roles: [...clusterRoles.items.map(role('ClusterRole')), ...roles.items.map(role('Role'))],
    bindings: [
      ...crbs.items.map(binding('ClusterRoleBinding')),
      ...rbs.items.map(binding('RoleBinding')),
    ],
    namespaces,
  };
}
