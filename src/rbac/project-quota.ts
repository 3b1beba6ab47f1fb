/**
 * Project resource quotas, as Rancher shapes them: a project total and a per-namespace default.
 * Each namespace of the project gets a ResourceQuota equal to the default while the project's
 * total has room for it; a namespace that does not fit gets a zero quota (it can create nothing
 * quota-limited) and the push-down reports why.
 */
import type { ContainerDefaults, Project, ProjectQuota, ResourceList } from '../domain/rbac.js';
import { PaddockError } from '../errors/index.js';
import { parseQuantity } from './quantity.js';

export const QUOTA_RESOURCES: readonly string[] = [
  'pods',
  'services',
  'services.nodeports',
  'services.loadbalancers',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'limits.cpu',
  'limits.memory',
];
const CONTAINER_RESOURCES = ['cpu', 'memory'];

function fail(message: string, reason: string, details?: Record<string, unknown>): never {
  throw new PaddockError('VALIDATION_FAILED', message, {
    reason,
    ...(details ? { details } : {}),
  });
}

function checkList(list: ResourceList, allowed: readonly string[], where: string): void {
  for (const [key, value] of Object.entries(list)) {
    if (!allowed.includes(key)) {
      fail(
        `${where}: ${key} is not a quota resource (one of ${allowed.join(', ')})`,
        'invalid_quota',
      );
    }
    if (parseQuantity(value) < 0n) fail(`${where}.${key}: must not be negative`, 'invalid_quota');
  }
}

/**
 * A quota must limit something, name the same resources in the total and the namespace default,
 * and give each namespace no more than the whole project.
 */
export function assertQuotaValid(quota: ProjectQuota): void {
  checkList(quota.limit, QUOTA_RESOURCES, 'quota.limit');
  checkList(quota.namespaceDefault, QUOTA_RESOURCES, 'quota.namespaceDefault');
  const keys = Object.keys(quota.limit).sort();
  if (keys.length === 0) fail('quota.limit: name at least one resource', 'invalid_quota');
  const defaults = Object.keys(quota.namespaceDefault).sort();
  if (JSON.stringify(keys) !== JSON.stringify(defaults)) {
    fail('quota.namespaceDefault must name exactly the resources of quota.limit', 'invalid_quota');
  }
  for (const key of keys) {
    if (parseQuantity(quota.namespaceDefault[key]!) > parseQuantity(quota.limit[key]!)) {
      fail(`quota.namespaceDefault.${key} exceeds the project limit`, 'quota_exceeded', { key });
    }
  }
}

/** Refuses a quota under which the project's current namespaces would not all fit. */
export function assertQuotaFits(quota: ProjectQuota, namespaceCount: number): void {
  for (const [key, limit] of Object.entries(quota.limit)) {
    const need = parseQuantity(quota.namespaceDefault[key] ?? '0') * BigInt(namespaceCount);
    if (need > parseQuantity(limit)) {
      fail(
        `the project's ${namespaceCount} namespaces need ${key} ${formatMilli(need)} with the ` +
          `namespace default, more than the project limit ${limit}`,
        'quota_exceeded',
        { key, namespaceCount },
      );
    }
  }
}

export function assertContainerDefaultsValid(defaults: ContainerDefaults): void {
  checkList(defaults.requests ?? {}, CONTAINER_RESOURCES, 'containerDefaults.requests');
  checkList(defaults.limits ?? {}, CONTAINER_RESOURCES, 'containerDefaults.limits');
  for (const key of CONTAINER_RESOURCES) {
    const request = defaults.requests?.[key];
    const limit = defaults.limits?.[key];
    if (
      request !== undefined &&
      limit !== undefined &&
      parseQuantity(request) > parseQuantity(limit)
    ) {
      fail(`containerDefaults: the ${key} request exceeds its limit`, 'invalid_limits', { key });
    }
  }
}

export interface NamespaceQuota {
  readonly namespace: string;
  readonly hard: ResourceList;
  /** Set when the namespace got a zero quota because the project total was used up. */
  readonly exceeded?: string;
}

/** The quota of each namespace (in name order, so the outcome is the same on every replica). */
export function allocateNamespaceQuotas(
  project: Project,
  namespaces: readonly string[],
): NamespaceQuota[] {
  const quota = project.quota;
  if (quota === undefined) return [];
  const used = new Map<string, bigint>();
  return [...namespaces].sort().map((namespace) => {
    const fits = Object.entries(quota.namespaceDefault).every(
      ([key, value]) =>
        (used.get(key) ?? 0n) + parseQuantity(value) <= parseQuantity(quota.limit[key] ?? '0'),
    );
    if (!fits) {
      const zero = Object.fromEntries(Object.keys(quota.namespaceDefault).map((k) => [k, '0']));
      return {
        namespace,
        hard: zero,
        exceeded: `namespace ${namespace} does not fit in the quota of project ${project.id}`,
      };
    }
    for (const [key, value] of Object.entries(quota.namespaceDefault)) {
      used.set(key, (used.get(key) ?? 0n) + parseQuantity(value));
    }
    return { namespace, hard: { ...quota.namespaceDefault } };
  });
}

function formatMilli(milli: bigint): string {
  return milli % 1000n === 0n ? String(milli / 1000n) : `${milli}m`;
}
