/**
 * Random RBAC states for the differential test, from a seeded generator so that a failure can
 * be replayed (`DIFF_SEED`): Roles, ClusterRoles (some labelled for aggregation, some
 * aggregating), RoleBindings and ClusterRoleBindings to users, groups, `system:authenticated`
 * and service accounts, with wildcards, subresources and resourceNames (including `""`), and
 * bindings to roles that do not exist.
 */

export type Rng = () => number;

/** mulberry32: small, fast, good enough to pick test cases. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: Rng, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;

export function some<T>(r: Rng, items: readonly T[], max = 3): T[] {
  const n = 1 + Math.floor(r() * max);
  return [...new Set(Array.from({ length: n }, () => pick(r, items)))];
}

export const USERS = ['u-1', 'u-2', 'u-3', 'u-4'];
export const GROUPS = ['g-1', 'g-2', 'g-3'];
const VERBS = ['get', 'list', 'watch', 'create', 'delete', '*'];
const GROUPS_API = ['', '', 'apps', '*', 'batch'];
const RESOURCES = [
  'pods',
  'pods',
  'deployments',
  'configmaps',
  'services',
  'nodes',
  'namespaces',
  '*',
  'pods/log',
  '*/status',
  'deployments/scale',
  'secrets',
];
const AGG_LABELS = ['agg-a', 'agg-b'];

export interface RbacObject {
  readonly type:
    | 'clusterroles.rbac.authorization.k8s.io'
    | 'roles.rbac.authorization.k8s.io'
    | 'clusterrolebindings.rbac.authorization.k8s.io'
    | 'rolebindings.rbac.authorization.k8s.io';
  readonly body: Record<string, unknown> & {
    metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  };
}

function rule(r: Rng, names: readonly string[]): Record<string, unknown> {
  const resources = some(r, RESOURCES, 2);
  const out: Record<string, unknown> = {
    verbs: some(r, VERBS, 3),
    apiGroups: some(r, GROUPS_API, 2),
    resources,
  };
  // resourceNames may only narrow a rule of one resource (validation).
  if (resources.length === 1 && r() < 0.25) out.resourceNames = some(r, ['', ...names], 2);
  return out;
}

function subject(r: Rng): Record<string, string> {
  const x = r();
  if (x < 0.45)
    return {
      kind: 'User',
      name: pick(r, [...USERS, 'u-nobody']),
      apiGroup: 'rbac.authorization.k8s.io',
    };
  if (x < 0.8)
    return {
      kind: 'Group',
      name: pick(r, [
        ...GROUPS,
        'system:authenticated',
        'system:unauthenticated',
        'system:serviceaccounts',
      ]),
      apiGroup: 'rbac.authorization.k8s.io',
    };
  return { kind: 'ServiceAccount', name: 'x', namespace: 'default' };
}

/** One random state; `namespaces` and `names` are what exists in the cluster. */
export function randomState(
  r: Rng,
  namespaces: readonly string[],
  names: readonly string[],
): RbacObject[] {
  const out: RbacObject[] = [];
  const labels = { 'diff.paddock.io/random': 'true' };
  const clusterRoles: string[] = ['view', 'edit', 'missing-role'];
  const nCr = Math.floor(r() * 5);
  for (let i = 0; i < nCr; i++) {
    const name = `diff-cr-${i}`;
    clusterRoles.push(name);
    const agg = r() < 0.4 ? { [`diff.paddock.io/${pick(r, AGG_LABELS)}`]: 'true' } : {};
    out.push({
      type: 'clusterroles.rbac.authorization.k8s.io',
      body: {
        metadata: { name, labels: { ...labels, ...agg } },
        rules: Array.from({ length: 1 + Math.floor(r() * 3) }, () => rule(r, names)),
      },
    });
  }
  for (const label of AGG_LABELS) {
    if (r() < 0.5) continue;
    const name = `diff-aggregate-${label}`;
    clusterRoles.push(name);
    out.push({
      type: 'clusterroles.rbac.authorization.k8s.io',
      body: {
        metadata: { name, labels },
        aggregationRule: {
          clusterRoleSelectors: [{ matchLabels: { [`diff.paddock.io/${label}`]: 'true' } }],
        },
        rules: [],
      },
    });
  }
  const roles: { ns: string; name: string }[] = [];
  const nRoles = Math.floor(r() * 5);
  for (let i = 0; i < nRoles; i++) {
    const ns = pick(r, namespaces);
    const name = `diff-role-${i}`;
    roles.push({ ns, name });
    out.push({
      type: 'roles.rbac.authorization.k8s.io',
      body: {
        metadata: { name, namespace: ns, labels },
        rules: Array.from({ length: 1 + Math.floor(r() * 2) }, () => rule(r, names)),
      },
    });
  }
  const nRb = Math.floor(r() * 7);
  for (let i = 0; i < nRb; i++) {
    const ns = pick(r, namespaces);
    const toRole = roles.length > 0 && r() < 0.4;
    const role = toRole ? pick(r, [...roles, { ns, name: 'missing-role' }]) : undefined;
    out.push({
      type: 'rolebindings.rbac.authorization.k8s.io',
      body: {
        metadata: { name: `diff-rb-${i}`, namespace: ns, labels },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: toRole ? 'Role' : 'ClusterRole',
          name: role ? role.name : pick(r, clusterRoles),
        },
        subjects: Array.from({ length: 1 + Math.floor(r() * 2) }, () => subject(r)),
      },
    });
  }
  const nCrb = Math.floor(r() * 3);
  for (let i = 0; i < nCrb; i++) {
    out.push({
      type: 'clusterrolebindings.rbac.authorization.k8s.io',
      body: {
        metadata: { name: `diff-crb-${i}`, labels },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: pick(r, clusterRoles),
        },
        subjects: Array.from({ length: 1 + Math.floor(r() * 2) }, () => subject(r)),
      },
    });
  }
  return out;
}

/** A caller: a user and some groups, always with `system:authenticated` (as Paddock sends). */
export function randomCaller(r: Rng): { userId: string; groups: string[] } {
  const groups = GROUPS.filter(() => r() < 0.35);
  return { userId: pick(r, [...USERS, 'u-nobody']), groups };
}
