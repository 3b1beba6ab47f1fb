/**
 * The built-in role templates, modelled on Rancher's (`pkg/data/management/role_data.go`).
 * Rancher's project-owner/member/read-only borrow Kubernetes' aggregated admin/edit/view roles;
 * here they include Paddock's own per-resource templates instead, so the pushed-down ClusterRoles
 * are flat and identical in every cluster whatever its version.
 *
 * Every `*-view` template and `read-only` stay within Kubernetes' `view` role, every `*-manage`
 * and `project-member` within `edit`, `project-owner` within `admin` (apart from Paddock's own
 * API group and deleting the project's namespaces): tests/unit/rbac/kubernetes-roles.test.ts
 * checks that against the v1.32 bootstrap roles. In particular nothing that only reads grants
 * `pods/exec`, `pods/attach`, `pods/portforward`, `pods/proxy` or `services/proxy`: a
 * WebSocket exec is a GET, authorized with the `get` verb, and a proxied GET reaches the pod.
 * Verbs are listed, never `*` (but for cluster-owner and Paddock's own API group), so no
 * template carries `escalate`, `bind` or `impersonate` by accident.
 */
import { PADDOCK_API_GROUP, type PolicyRule, type RoleTemplate } from '../domain/rbac.js';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const READ_WRITE = [...READ, ...WRITE];
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

type Resources = [groups: string[], resources: string[]];

/** What a `<name>-view` / `<name>-manage` pair covers. */
interface PairSpec {
  /** Written (created, updated, deleted) by `-manage`, read by both. */
  readonly write: Resources[];
  /** Only read, by both. */
  readonly read: Resources[];
  /** Further `-manage` rules (escalating subresources, create-only ones). */
  readonly manageOnly?: PolicyRule[];
}

const viewRules = (spec: PairSpec): PolicyRule[] =>
  [...spec.write, ...spec.read].map(([groups, res]) => rule(groups, res, READ));

const manageRules = (spec: PairSpec): PolicyRule[] => [
  ...spec.write.map(([groups, res]) => rule(groups, res, READ_WRITE)),
  ...spec.read.map(([groups, res]) => rule(groups, res, READ)),
  ...(spec.manageOnly ?? []),
];

/** `<name>-manage` / `<name>-view`: the view is always a subset of the manage. */
function managedPair(name: string, title: string, spec: PairSpec): RoleTemplate[] {
  return [
    template(`${name}-manage`, `Manage ${title}`, 'project', manageRules(spec)),
    template(`${name}-view`, `View ${title}`, 'project', viewRules(spec)),
  ];
}

const WORKLOADS: PairSpec = {
  write: [
    [[''], ['pods', 'replicationcontrollers', 'replicationcontrollers/scale']],
    [
      ['apps'],
      [
        'deployments',
        'deployments/scale',
        'daemonsets',
        'replicasets',
        'replicasets/scale',
        'statefulsets',
        'statefulsets/scale',
      ],
    ],
    [['batch'], ['jobs', 'cronjobs']],
    [['autoscaling'], ['horizontalpodautoscalers']],
    [['policy'], ['poddisruptionbudgets']],
  ],
  read: [
    [[''], ['pods/log', 'pods/status', 'replicationcontrollers/status']],
    [
      ['apps'],
      [
        'controllerrevisions',
        'deployments/status',
        'daemonsets/status',
        'replicasets/status',
        'statefulsets/status',
      ],
    ],
    [['batch'], ['jobs/status', 'cronjobs/status']],
    [['autoscaling'], ['horizontalpodautoscalers/status']],
    [['policy'], ['poddisruptionbudgets/status']],
  ],
  manageOnly: [
    // Running code in a pod or reaching into it: `edit` rights, never given to a viewer.
    rule([''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], READ_WRITE),
    rule([''], ['pods/eviction'], ['create']),
    rule(['apps'], ['deployments/rollback'], WRITE),
  ],
};

const SERVICES: PairSpec = {
  write: [[[''], ['services']]],
  // Endpoints are read-only in `edit` since Kubernetes 1.22 (CVE-2021-25740): writing them can
  // send a Service's traffic anywhere, another namespace's pods included.
  read: [
    [[''], ['services/status', 'endpoints']],
    [['discovery.k8s.io'], ['endpointslices']],
  ],
  manageOnly: [rule([''], ['services/proxy'], READ_WRITE)],
};

const INGRESS: PairSpec = {
  write: [
    [
      ['networking.k8s.io', 'extensions'],
      ['ingresses', 'networkpolicies'],
    ],
  ],
  read: [[['networking.k8s.io', 'extensions'], ['ingresses/status']]],
};

/** Paddock's cluster tools: alert rules, notifiers and logging (Rancher's names). */
const CLUSTER_TOOLS = ['clusteralertrules', 'notifiers', 'clusterloggings'];
const PROJECT_TOOLS = ['projectalertrules', 'projectloggings'];

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
      rule([P], CLUSTER_TOOLS, READ),
    ],
    { description: 'Sees the cluster and creates projects' },
  ),
  template('alerts-manage', 'Manage Alerts and Notifiers', 'cluster', [
    rule([P], ['clusteralertrules', 'projectalertrules', 'notifiers'], ALL),
  ]),
  template('logging-manage', 'Manage Logging', 'cluster', [
    rule([P], ['clusterloggings', 'projectloggings'], ALL),
  ]),
  template('projects-create', 'Create Projects', 'cluster', [
    rule([P], ['projects'], ['create']),
    rule([''], ['namespaces'], ['create']),
  ]),
  template('projects-view', 'View All Projects', 'cluster', [
    rule([P], ['projects', 'projectroletemplatebindings'], READ),
    rule([''], ['namespaces'], READ),
    ...viewRules(WORKLOADS),
  ]),
  template('nodes-view', 'View Nodes', 'cluster', [
    rule([''], ['nodes'], READ),
    rule(['metrics.k8s.io'], ['nodes'], READ),
  ]),
  template('nodes-manage', 'Manage Nodes', 'cluster', [
    rule([''], ['nodes'], READ_WRITE),
    rule(['metrics.k8s.io'], ['nodes'], READ),
  ]),
  template('storage-manage', 'Manage Storage', 'cluster', [
    rule([''], ['persistentvolumes'], READ_WRITE),
    rule(['storage.k8s.io'], ['storageclasses'], READ_WRITE),
    rule([''], ['persistentvolumeclaims'], READ_WRITE),
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
      // No update or patch: a namespace's labels carry its project and Pod Security level,
      // which are Paddock's to set. Deleting a namespace of the project is Rancher's behaviour.
      rule([''], ['namespaces'], [...READ, 'delete']),
      // Without `bind` and `escalate` the API server lets an owner grant only what they hold.
      rule(['rbac.authorization.k8s.io'], ['roles', 'rolebindings'], READ_WRITE),
      rule([''], ['serviceaccounts'], [...READ_WRITE, 'impersonate']),
      rule([''], ['resourcequotas', 'limitranges', 'events'], READ),
      rule(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
      rule([P], PROJECT_TOOLS, ALL),
      rule([P], ['notifiers'], READ),
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
      rule([P], [...PROJECT_TOOLS, 'notifiers'], READ),
    ],
    { inherits: PROJECT_MANAGE, description: 'Manages the workloads of the project' },
  ),
  template('project-alerts-manage', 'Manage Project Alerts', 'project', [
    rule([P], ['projectalertrules'], ALL),
    rule([P], ['notifiers'], READ),
  ]),
  template('project-logging-manage', 'Manage Project Logging', 'project', [
    rule([P], ['projectloggings'], ALL),
  ]),
  template(
    'read-only',
    'Read-only',
    'project',
    [
      rule([P], ['projectroletemplatebindings', 'projects'], READ),
      rule([''], ['namespaces'], READ),
      rule([''], ['serviceaccounts'], READ),
      rule([''], ['resourcequotas', 'limitranges', 'events'], READ),
      rule([P], [...PROJECT_TOOLS, 'notifiers'], READ),
    ],
    { inherits: PROJECT_VIEW, description: 'Sees everything in the project except secrets' },
  ),
  ...managedPair('workloads', 'Workloads', WORKLOADS),
  ...managedPair('services', 'Services', SERVICES),
  ...managedPair('ingress', 'Ingress', INGRESS),
  ...managedPair('configmaps', 'Config Maps', { write: [[[''], ['configmaps']]], read: [] }),
  ...managedPair('secrets', 'Secrets', { write: [[[''], ['secrets']]], read: [] }),
  ...managedPair('persistentvolumeclaims', 'Persistent Volume Claims', {
    write: [[[''], ['persistentvolumeclaims']]],
    read: [[[''], ['persistentvolumeclaims/status']]],
  }),
  template('create-ns', 'Create Namespaces', 'project', [rule([''], ['namespaces'], ['create'])], {
    hidden: true,
  }),
];
