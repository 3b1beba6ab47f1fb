/** Where each followed kind lives in the Kubernetes API (all namespaces). */
import {
  type BuiltinInformedKind,
  type InformedKind,
  parseCustomKind,
} from '../../domain/cluster-informers.js';

const RBAC = '/apis/rbac.authorization.k8s.io/v1';

export const INFORMED_PATHS: Readonly<Record<BuiltinInformedKind, string>> = {
  namespaces: '/api/v1/namespaces',
  nodes: '/api/v1/nodes',
  pods: '/api/v1/pods',
  events: '/api/v1/events',
  deployments: '/apis/apps/v1/deployments',
  statefulsets: '/apis/apps/v1/statefulsets',
  daemonsets: '/apis/apps/v1/daemonsets',
  jobs: '/apis/batch/v1/jobs',
  cronjobs: '/apis/batch/v1/cronjobs',
  persistentvolumeclaims: '/api/v1/persistentvolumeclaims',
  persistentvolumes: '/api/v1/persistentvolumes',
  storageclasses: '/apis/storage.k8s.io/v1/storageclasses',
  services: '/api/v1/services',
  ingresses: '/apis/networking.k8s.io/v1/ingresses',
  configmaps: '/api/v1/configmaps',
  roles: `${RBAC}/roles`,
  clusterroles: `${RBAC}/clusterroles`,
  rolebindings: `${RBAC}/rolebindings`,
  clusterrolebindings: `${RBAC}/clusterrolebindings`,
};

/** The collection path of any followed kind, custom resources included. */
export function informedPath(kind: InformedKind): string {
  const builtin = (INFORMED_PATHS as Record<string, string>)[kind];
  if (builtin !== undefined) return builtin;
  const custom = parseCustomKind(kind);
  if (custom === undefined) throw new Error(`not a followed kind: ${kind}`);
  return `/apis/${custom.group}/${custom.version}/${custom.resource}`;
}
