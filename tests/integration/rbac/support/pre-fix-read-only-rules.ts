/**
 * The rules of ClusterRole `paddock-rt-read-only` as Paddock pushed them down before the
 * built-in templates were held to Kubernetes' view role: read-only flattened with the
 * workloads/services/ingress/configmaps/persistentvolumeclaims view templates of that release.
 * A cluster upgraded from it still holds these until the push-down repairs them.
 */
import { PADDOCK_API_GROUP, type PolicyRule } from '../../../../src/domain/rbac.js';

const READ = ['get', 'list', 'watch'];

export const PRE_FIX_READ_ONLY_RULES: readonly PolicyRule[] = [
  {
    apiGroups: [PADDOCK_API_GROUP],
    resources: ['projectroletemplatebindings', 'projects'],
    verbs: READ,
  },
  { apiGroups: [''], resources: ['namespaces'], verbs: READ },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: READ },
  { apiGroups: [''], resources: ['resourcequotas', 'limitranges', 'events'], verbs: READ },
  {
    apiGroups: [''],
    resources: [
      'pods',
      'pods/attach',
      'pods/exec',
      'pods/log',
      'pods/portforward',
      'pods/proxy',
      'pods/eviction',
      'replicationcontrollers',
      'replicationcontrollers/scale',
    ],
    verbs: READ,
  },
  {
    apiGroups: ['apps'],
    resources: [
      'deployments',
      'deployments/scale',
      'deployments/rollback',
      'daemonsets',
      'replicasets',
      'replicasets/scale',
      'statefulsets',
      'statefulsets/scale',
      'controllerrevisions',
    ],
    verbs: READ,
  },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: READ },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: READ },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: READ },
  { apiGroups: [''], resources: ['services', 'services/proxy', 'endpoints'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['networking.k8s.io', 'extensions'], resources: ['ingresses'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: READ },
  { apiGroups: [''], resources: ['configmaps'], verbs: READ },
  { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: READ },
];
