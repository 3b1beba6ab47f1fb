/**
 * The manifest an operator applies to a downstream cluster to let Paddock in: a namespace, two
 * service accounts with long-lived token Secrets, and their cluster roles. Served by
 * `GET /v1/import/{clusterId}.yaml` and committed as `deploy/downstream/paddock-downstream.yaml`.
 */
import { stringify } from 'yaml';
import { EXTRA_PRINCIPAL_ID, EXTRA_USERNAME } from '../domain/cluster.js';

export const PADDOCK_NAMESPACE = 'paddock-system';
export const IMPERSONATOR_ACCOUNT = 'paddock-impersonator';
export const MANAGER_ACCOUNT = 'paddock-manager';
export const IMPERSONATOR_TOKEN_SECRET = 'paddock-impersonator-token';
export const MANAGER_TOKEN_SECRET = 'paddock-manager-token';

export { EXTRA_PRINCIPAL_ID, EXTRA_USERNAME };

export type KubeObject = Record<string, unknown>;

/** Every object of the manifest, in the order they can be created. */
export function importManifestObjects(clusterId?: string): KubeObject[] {
  const labels: Record<string, string> = { 'app.kubernetes.io/managed-by': 'paddock' };
  if (clusterId !== undefined) labels['paddock.io/cluster-id'] = clusterId;
  const meta = (name: string, namespaced: boolean) =>
    namespaced ? { name, namespace: PADDOCK_NAMESPACE, labels } : { name, labels };
  const account = (name: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(name, true),
  });
  const tokenSecret = (name: string, accountName: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/service-account-token',
    metadata: {
      ...meta(name, true),
      annotations: { 'kubernetes.io/service-account.name': accountName },
    },
  });
  const binding = (name: string): KubeObject => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: meta(name, false),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: [{ kind: 'ServiceAccount', name, namespace: PADDOCK_NAMESPACE }],
  });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta(PADDOCK_NAMESPACE, false) },
    account(IMPERSONATOR_ACCOUNT),
    account(MANAGER_ACCOUNT),
    tokenSecret(IMPERSONATOR_TOKEN_SECRET, IMPERSONATOR_ACCOUNT),
    tokenSecret(MANAGER_TOKEN_SECRET, MANAGER_ACCOUNT),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(IMPERSONATOR_ACCOUNT, false),
      // Impersonation fails open: this account carries every user's traffic, so it may do
      // nothing except become someone else. Only the two extra keys Paddock sets are allowed.
      rules: [
        { apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] },
        {
          apiGroups: ['authentication.k8s.io'],
          resources: ['uids', `userextras/${EXTRA_PRINCIPAL_ID}`, `userextras/${EXTRA_USERNAME}`],
          verbs: ['impersonate'],
        },
      ],
    },
    binding(IMPERSONATOR_ACCOUNT),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(MANAGER_ACCOUNT, false),
      rules: managerRules(),
    },
    binding(MANAGER_ACCOUNT),
    // The cluster tools' own objects (the log collector) live in paddock-system only.
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta(MANAGER_ACCOUNT, true),
      rules: managerNamespaceRules(),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(MANAGER_ACCOUNT, true),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: MANAGER_ACCOUNT },
      subjects: [{ kind: 'ServiceAccount', name: MANAGER_ACCOUNT, namespace: PADDOCK_NAMESPACE }],
    },
  ];
}

/** What the log collector push-down writes in paddock-system. */
function managerNamespaceRules(): KubeObject[] {
  const write = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
  return [
    { apiGroups: [''], resources: ['serviceaccounts', 'configmaps', 'secrets'], verbs: write },
    { apiGroups: ['apps'], resources: ['daemonsets'], verbs: write },
  ];
}

/**
 * The manager does Paddock's own work: health and capacity reads, namespace ↔ project
 * annotations, project quotas, and pushing role templates down as RBAC objects (which needs
 * `bind` and `escalate`, since templates may grant rights the manager itself lacks).
 */
function managerRules(): KubeObject[] {
  const read = ['get', 'list', 'watch'];
  const write = [...read, 'create', 'update', 'patch', 'delete'];
  return [
    { nonResourceURLs: ['/readyz', '/livez', '/healthz', '/version'], verbs: ['get'] },
    { apiGroups: [''], resources: ['nodes', 'pods', 'persistentvolumes'], verbs: read },
    { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: read },
    { apiGroups: ['metrics.k8s.io'], resources: ['nodes', 'pods'], verbs: read },
    // Alerting and the fleet index follow these with watches (read-only; never Secrets).
    {
      apiGroups: [''],
      resources: ['events', 'persistentvolumeclaims', 'services', 'configmaps'],
      verbs: read,
    },
    { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets'], verbs: read },
    { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: read },
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: read },
    { apiGroups: [''], resources: ['namespaces'], verbs: write },
    { apiGroups: [''], resources: ['resourcequotas', 'limitranges'], verbs: write },
    {
      apiGroups: ['rbac.authorization.k8s.io'],
      resources: ['clusterroles', 'clusterrolebindings', 'roles', 'rolebindings'],
      verbs: [...write, 'bind', 'escalate'],
    },
  ];
}

/**
 * The manifest as multi-document YAML; `extra` adds objects after the standard ones (an
 * agent import's Secret, service account and Deployment) with their header lines.
 */
export function renderImportManifest(
  clusterId?: string,
  extra?: { readonly objects: readonly KubeObject[]; readonly header: readonly string[] },
): string {
  const header = [
    '# Paddock downstream access. Apply with: kubectl apply -f <this file>',
    '# paddock-impersonator: carries user traffic; may only impersonate (users, groups, uids,',
    `#   and the extras ${EXTRA_PRINCIPAL_ID}, ${EXTRA_USERNAME}).`,
    '# paddock-manager: health and capacity reads, namespace/project annotations, quotas, and',
    '#   RBAC push-down of role bindings (bind/escalate on RBAC objects), read-only watches for',
    '#   alerts and the fleet index (never Secrets),',
    '#   and the log collector in paddock-system (a Role there).',
  ];
  if (extra !== undefined) header.push(...extra.header);
  if (clusterId !== undefined) header.push(`# Paddock cluster id: ${clusterId}`);
  const docs = [...importManifestObjects(clusterId), ...(extra?.objects ?? [])].map((o) =>
    stringify(o, { lineWidth: 0 }),
  );
  return `${header.join('\n')}\n---\n${docs.join('---\n')}`;
}
