/** REST paths of the kinds the push-down owns, and of namespaces. */
import type { OwnedKind } from '../../rbac/index.js';

const RBAC = '/apis/rbac.authorization.k8s.io/v1';

const PLURAL: Record<OwnedKind, { base: string; plural: string; namespaced: boolean }> = {
  ClusterRole: { base: RBAC, plural: 'clusterroles', namespaced: false },
  ClusterRoleBinding: { base: RBAC, plural: 'clusterrolebindings', namespaced: false },
  RoleBinding: { base: RBAC, plural: 'rolebindings', namespaced: true },
  ResourceQuota: { base: '/api/v1', plural: 'resourcequotas', namespaced: true },
  LimitRange: { base: '/api/v1', plural: 'limitranges', namespaced: true },
};

/** The collection path: across all namespaces without `namespace`. */
export function collectionPath(kind: OwnedKind, namespace?: string): string {
  const p = PLURAL[kind];
  return p.namespaced && namespace !== undefined
    ? `${p.base}/namespaces/${encodeURIComponent(namespace)}/${p.plural}`
    : `${p.base}/${p.plural}`;
}

export function objectPath(kind: OwnedKind, name: string, namespace?: string): string {
  return `${collectionPath(kind, namespace)}/${encodeURIComponent(name)}`;
}

export const NAMESPACES_PATH = '/api/v1/namespaces';
export const ROLES_PATH = `${RBAC}/roles`;
