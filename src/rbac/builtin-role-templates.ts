/**
 * The built-in role templates, modelled on Rancher's (`pkg/data/management/role_data.go`).
 * Rancher's project-owner/member/read-only borrow Kubernetes' aggregated admin/edit/view roles;
 * here they include Paddock's own per-resource templates instead, so the pushed-down ClusterRoles
 * are flat and identical in every cluster whatever its version.
 */
import { PADDOCK_API_GROUP, type PolicyRule, type RoleTemplate } from '../domain/rbac.js';

const READ = ['get', 'list', 'watch'];
const ALL = ['*'];
const P = PADDOCK_API_GROUP;

const rule = (
  apiGroups: string[],
  resources: string[],
  verbs: string[],
  resourceNames?: string[],
): PolicyRule => ({ apiGroups, resources, verbs, ...(resourceNames ? { resourceNames } : {}) });

function template(
  id: string,
  displayName: string,
  context: RoleTemplate['context'],
  rules: PolicyRule[],
  options: { inherits?: string[]; hidden?: boolean; description?: string } = {},
): RoleTemplate {
  return {
    id,
    displayName,
    description: options.description ?? displayName,
    context,
    rules,
    inherits: options.inherits ?? [],
    builtin: true,
    locked: false,
    hidden: options.hidden ?? false,
  };
}

/** Pairs `<name>-manage` / `<name>-view` over the same resources. */
function managedPair(
  name: string,
  title: string,
  resources: [string[], string[]][],
): RoleTemplate[] {
  return [
    template(
      `${name}-manage`,
      `Manage ${title}`,
      'project',
      resources.map(([groups, res]) => rule(groups, res, ALL)),
    ),
    template(
      `${name}-view`,
      `View ${title}`,
      'project',
      resources.map(([groups, res]) => rule(groups, res, READ)),
    ),
  ];
}

const WORKLOADS: [string[], string[]][] = [
  [
    [''],
    [
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
  ],
  [
    ['apps'],
    [
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
  ],
  [['batch'], ['jobs', 'cronjobs']],
  [['autoscaling'], ['horizontalpodautoscalers']],
  [['policy'], ['poddisruptionbudgets']],
];

const PROJECT_MANAGE = [
  'workloads-manage',
  'services-manage',
  'ingress-manage',
  'configmaps-manage',
  'secrets-manage',
  'persistentvolumeclaims-manage',
];
const PROJECT_VIEW = [
  'workloads-view',
  'services-view',
  'ingress-view',
  'configmaps-view',
  'persistentvolumeclaims-view',
];

export const BUILTIN_ROLE_TEMPLATES: readonly RoleTemplate[] = [
  // -- cluster context --------------------------------------------------------------------
  template(
    'cluster-owner',
    'Cluster Owner',
    'cluster',
    [rule(['*'], ['*'], ALL), { nonResourceURLs: ['*'], verbs: ALL }],
    { description: 'Full control of the cluster, its projects and its members' },
  ),
  template(
    'cluster-member',
    'Cluster Member',
    'cluster',
    [
      rule([P], ['clusterroletemplatebindings'], READ),
      rule([P], ['projects'], ['create']),
      rule([''], ['nodes', 'persistentvolumes'], READ),
      rule(['storage.k8s.io'], ['storageclasses'], READ),
      rule(['apiregistration.k8s.io'], ['apiservices'], READ),
      rule(['apiextensions.k8s.io'], ['customresourcedefinitions'], READ),
      rule([''], ['namespaces'], READ),
      rule([''], ['events'], READ),
    ],
    { description: 'Sees the cluster and creates projects' },
  ),
  template('projects-create', 'Create Projects', 'cluster', [
    rule([P], ['projects'], ['create']),
    rule([''], ['namespaces'], ['create']),
  ]),
  template('projects-view', 'View All Projects', 'cluster', [
    rule([P], ['projects', 'projectroletemplatebindings'], READ),
    rule([''], ['namespaces'], READ),
    ...workloadViewRules(),
  ]),
  template('nodes-view', 'View Nodes', 'cluster', [
    rule([''], ['nodes'], READ),
    rule(['metrics.k8s.io'], ['nodes'], READ),
  ]),
  template('nodes-manage', 'Manage Nodes', 'cluster', [
    rule([''], ['nodes'], ALL),
    rule(['metrics.k8s.io'], ['nodes'], READ),
  ]),
  template('storage-manage', 'Manage Storage', 'cluster', [
    rule([''], ['persistentvolumes'], ALL),
    rule(['storage.k8s.io'], ['storageclasses'], ALL),
    rule([''], ['persistentvolumeclaims'], ALL),
  ]),
  // -- project context --------------------------------------------------------------------
  template(
    'project-owner',
    'Project Owner',
    'project',
    [
      rule([P], ['projectroletemplatebindings'], ALL),
      rule([P], ['projects'], READ),
      // The project's own Helm catalogs (Rancher's projectcatalogs).
      rule([P], ['catalogs'], ALL),
      rule([''], ['namespaces'], ['get', 'list', 'watch', 'update', 'patch', 'delete']),
      rule(['rbac.authorization.k8s.io'], ['roles', 'rolebindings'], ALL),
      rule([''], ['serviceaccounts'], ALL),
      rule([''], ['resourcequotas', 'limitranges', 'events'], READ),
      rule(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
    ],
    { inherits: PROJECT_MANAGE, description: 'Full control of the project and its members' },
  ),
  template(
    'project-member',
    'Project Member',
    'project',
    [
      rule([P], ['projectroletemplatebindings', 'projects'], READ),
      rule([''], ['namespaces'], READ),
      rule([''], ['serviceaccounts'], READ),
      rule([''], ['resourcequotas', 'limitranges', 'events'], READ),
    ],
    { inherits: PROJECT_MANAGE, description: 'Manages the workloads of the project' },
  ),
  template(
    'read-only',
    'Read-only',
    'project',
    [
      rule([P], ['projectroletemplatebindings', 'projects'], READ),
      rule([''], ['namespaces'], READ),
      rule([''], ['serviceaccounts'], READ),
      rule([''], ['resourcequotas', 'limitranges', 'events'], READ),
    ],
    { inherits: PROJECT_VIEW, description: 'Sees everything in the project except secrets' },
  ),
  ...managedPair('workloads', 'Workloads', WORKLOADS),
  ...managedPair('services', 'Services', [
    [[''], ['services', 'services/proxy', 'endpoints']],
    [['discovery.k8s.io'], ['endpointslices']],
  ]),
  ...managedPair('ingress', 'Ingress', [
    [['networking.k8s.io', 'extensions'], ['ingresses']],
    [['networking.k8s.io'], ['networkpolicies']],
  ]),
  ...managedPair('configmaps', 'Config Maps', [[[''], ['configmaps']]]),
  ...managedPair('secrets', 'Secrets', [[[''], ['secrets']]]),
  ...managedPair('persistentvolumeclaims', 'Persistent Volume Claims', [
    [[''], ['persistentvolumeclaims']],
  ]),
  template('create-ns', 'Create Namespaces', 'project', [rule([''], ['namespaces'], ['create'])], {
    hidden: true,
  }),
];

function workloadViewRules(): PolicyRule[] {
  return WORKLOADS.map(([groups, res]) => rule(groups, res, READ));
}
