/** Where each followed kind lives in the Kubernetes API (all namespaces). */
import type { InformedKind } from '../../domain/cluster-informers.js';

export const INFORMED_PATHS: Readonly<Record<InformedKind, string>> = {
  namespaces: '/api/v1/namespaces',
  nodes: '/api/v1/nodes',
  pods: '/api/v1/pods',
  events: '/api/v1/events',
  deployments: '/apis/apps/v1/deployments',
  statefulsets: '/apis/apps/v1/statefulsets',
  daemonsets: '/apis/apps/v1/daemonsets',
  jobs: '/apis/batch/v1/jobs',
  persistentvolumeclaims: '/api/v1/persistentvolumeclaims',
};
