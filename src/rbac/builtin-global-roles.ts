/**
 * The built-in global roles, modelled on Rancher's (`pkg/data/management/role_data.go`). Their
 * rules name Paddock's own objects in the `management.paddock.io` group; `admin` and
 * `restricted-admin` also hold cluster-owner in every downstream cluster.
 */
import { type GlobalRole, PADDOCK_API_GROUP, type PolicyRule } from '../domain/rbac.js';

const READ = ['get', 'list', 'watch'];
const P = PADDOCK_API_GROUP;

const rule = (resources: string[], verbs: string[]): PolicyRule => ({
  apiGroups: [P],
  resources,
  verbs,
});

function role(
  id: string,
  displayName: string,
  rules: PolicyRule[],
  options: {
    newUserDefault?: boolean;
    inheritedClusterRoles?: string[];
    description?: string;
  } = {},
): GlobalRole {
  return {
    id,
    displayName,
    description: options.description ?? displayName,
    rules,
    newUserDefault: options.newUserDefault ?? false,
    builtin: true,
    inheritedClusterRoles: options.inheritedClusterRoles ?? [],
  };
}

const USER_BASE_RULES: PolicyRule[] = [
  rule(['principals', 'roletemplates'], READ),
  rule(['preferences'], ['*']),
  rule(['settings'], READ),
  rule(['apikeys'], ['create']),
];

export const BUILTIN_GLOBAL_ROLES: readonly GlobalRole[] = [
  role(
    'admin',
    'Admin',
    [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ],
    { inheritedClusterRoles: ['cluster-owner'], description: 'Everything, in every cluster' },
  ),
  role(
    'restricted-admin',
    'Restricted Admin',
    [
      rule(
        ['clusters', 'projects', 'clusterroletemplatebindings', 'projectroletemplatebindings'],
        ['*'],
      ),
      rule(['users', 'globalrolebindings', 'principals', 'roletemplates', 'globalroles'], READ),
      rule(['catalogs', 'nodetemplates', 'cloudcredentials'], ['*']),
      rule(['settings', 'authconfigs'], READ),
    ],
    {
      inheritedClusterRoles: ['cluster-owner'],
      description: 'Owner of every downstream cluster; cannot change global settings or users',
    },
  ),
  role(
    'user',
    'Standard User',
    [
      ...USER_BASE_RULES,
      rule(['clusters'], ['create']),
      rule(['nodetemplates', 'cloudcredentials'], ['create']),
      rule(['catalogs', 'nodedrivers', 'kontainerdrivers'], READ),
    ],
    { newUserDefault: true, description: 'Creates clusters and uses those they are members of' },
  ),
  role('user-base', 'User Base', USER_BASE_RULES, {
    description: 'Logs in and sees only what they are bound to',
  }),
  role('clusters-create', 'Create Clusters', [rule(['clusters'], ['create'])]),
  role('users-manage', 'Manage Users', [
    rule(['users', 'globalrolebindings'], ['*']),
    rule(['globalroles'], READ),
  ]),
  role('users-view', 'View Users', [rule(['users', 'globalrolebindings'], READ)]),
  role('roles-manage', 'Manage Roles', [rule(['roletemplates', 'globalroles'], ['*'])]),
  role('authn-manage', 'Configure Authentication', [rule(['authconfigs'], ['*'])]),
  role('settings-manage', 'Manage Settings', [rule(['settings', 'features'], ['*'])]),
  role('catalogs-manage', 'Manage Catalogs', [rule(['catalogs', 'templates'], ['*'])]),
  role('kontainerdrivers-manage', 'Manage Cluster Drivers', [rule(['kontainerdrivers'], ['*'])]),
  role('nodedrivers-manage', 'Manage Node Drivers', [rule(['nodedrivers'], ['*'])]),
  role('apikeys-manage', 'Manage API Keys', [rule(['apikeys'], ['*'])]),
  role('view-metrics', 'View Paddock Metrics', [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]),
];
