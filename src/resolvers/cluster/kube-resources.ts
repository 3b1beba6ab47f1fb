/** The API resources the typed fields read. */
import type { KubeResource } from '../../domain/kube-api.js';

const core = (resource: string, kind: string, namespaced = true): KubeResource => ({
  group: '',
  version: 'v1',
  resource,
  kind,
  namespaced,
});
const apps = (resource: string, kind: string): KubeResource => ({
  group: 'apps',
  version: 'v1',
  resource,
  kind,
  namespaced: true,
});

export const R = {
  nodes: core('nodes', 'Node', false),
  namespaces: core('namespaces', 'Namespace', false),
  persistentVolumes: core('persistentvolumes', 'PersistentVolume', false),
  storageClasses: {
    group: 'storage.k8s.io',
    version: 'v1',
    resource: 'storageclasses',
    kind: 'StorageClass',
    namespaced: false,
  },
  pods: core('pods', 'Pod'),
  services: core('services', 'Service'),
  endpoints: core('endpoints', 'Endpoints'),
  configMaps: core('configmaps', 'ConfigMap'),
  secrets: core('secrets', 'Secret'),
  persistentVolumeClaims: core('persistentvolumeclaims', 'PersistentVolumeClaim'),
  deployments: apps('deployments', 'Deployment'),
  statefulSets: apps('statefulsets', 'StatefulSet'),
  daemonSets: apps('daemonsets', 'DaemonSet'),
  replicaSets: apps('replicasets', 'ReplicaSet'),
  controllerRevisions: apps('controllerrevisions', 'ControllerRevision'),
  jobs: { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true },
  cronJobs: {
    group: 'batch',
    version: 'v1',
    resource: 'cronjobs',
    kind: 'CronJob',
    namespaced: true,
  },
  ingresses: {
    group: 'networking.k8s.io',
    version: 'v1',
    resource: 'ingresses',
    kind: 'Ingress',
    namespaced: true,
  },
} as const satisfies Record<string, KubeResource>;
