/**
 * A cross-cluster list answered by the fleet index: the index decides cluster by cluster from
 * the cluster's own RBAC, and reads the clusters it cannot decide for live, as the caller,
 * through `readAllAsCaller` (the same reads, and the same project-namespace fallback, as the
 * live path). Facets, sources and every new filter come from here.
 */

import type { FleetFilter, FleetIndex, FleetOrder } from '../../domain/fleet-index.js';
import {
  isKubeApiError,
  type KubeClient,
  type KubeObject,
  type KubeResource,
  type ScopedNamespace,
} from '../../domain/kube-api.js';
import { requireIdentity } from '../auth-checker.js';
import type { GraphQLContext } from '../context.js';
import { pageSizeOf } from '../cursor.js';
import { listAll } from './cluster-reads.js';
import type { CrossClusterPage, CrossClusterQuery } from './cross-cluster-list.js';
import { toClusterError } from './cross-cluster-list.js';
import { type ClusterSource, KubeFacets, type KubeOrder } from './fleet-list.type.js';
import { kubeClient, targetClusters } from './kube-access.js';
import type { KubeFilter } from './kube-filter.input.js';
import { fanOutWithin } from './query-deadline.js';

export function fleetOrderOf(order: KubeOrder | null | undefined): FleetOrder {
  return { field: order?.field ?? 'CLUSTER', descending: order?.direction === 'DESC' };
}

export function fleetFilterOf(
  filter: KubeFilter | null | undefined,
  ignoreNamespaces: boolean,
): FleetFilter {
  const f = filter ?? {};
  const list = (v: readonly string[] | null | undefined) =>
    v === null || v === undefined ? undefined : v;
  const text = (v: string | null | undefined) => (v === null || v === undefined ? undefined : v);
  const namespaces = ignoreNamespaces ? undefined : list(f.namespaces);
  const projectIds = list(f.projectIds);
  const labelSelector = text(f.labelSelector);
  const nameContains = text(f.nameContains);
  const namePrefix = text(f.namePrefix);
  const search = text(f.search);
  const phases = list(f.phases);
  const notPhases = list(f.notPhases);
  return {
    ...(namespaces === undefined ? {} : { namespaces }),
    ...(projectIds === undefined ? {} : { projectIds }),
    ...(labelSelector === undefined ? {} : { labelSelector }),
    ...(nameContains === undefined ? {} : { nameContains }),
    ...(namePrefix === undefined ? {} : { namePrefix }),
    ...(search === undefined ? {} : { search }),
    ...(phases === undefined ? {} : { phases }),
    ...(notPhases === undefined ? {} : { notPhases }),
    ...(f.ready === null || f.ready === undefined ? {} : { ready: f.ready }),
    ...(f.minRestarts === null || f.minRestarts === undefined
      ? {}
      : { minRestarts: f.minRestarts }),
  };
}

export async function fleetList(
  ctx: GraphQLContext,
  index: FleetIndex,
  query: CrossClusterQuery,
): Promise<CrossClusterPage> {
  const identity = requireIdentity(ctx);
  const first = pageSizeOf(query.first);
  const fanOutOptions = fanOutWithin(ctx, query.deadlineMs);
  const kube = kubeClient(ctx);
  const targets = (await targetClusters(ctx, query.filter)).map((c) => c.id);
  const answer = await index.list(
    identity,
    {
      resource: query.resource,
      clusterIds: targets,
      filter: fleetFilterOf(query.filter, query.ignoreNamespaces === true),
      order: fleetOrderOf(query.orderBy),
      first,
      ...(query.after ? { after: query.after } : {}),
      ...(query.where ? { where: query.where } : {}),
    },
    (clusterIds) =>
      kube.fanOut(
        clusterIds,
        (clusterId, signal) => readAllAsCaller(ctx, kube, query, clusterId, signal),
        fanOutOptions,
      ),
  );
  return {
    items: answer.items.map((i) => ({ clusterId: i.clusterId, object: i.object })),
    pageInfo: { endCursor: answer.endCursor, hasNextPage: answer.hasNextPage },
    clusterErrors: answer.clusterErrors.map(toClusterError),
    facets: new KubeFacets(answer),
    sources: answer.sources.map(
      (s): ClusterSource => ({
        clusterId: s.clusterId,
        source: s.source,
        stale: s.stale,
        ageMs: s.ageMs,
        syncedAt: s.syncedAt === undefined ? null : new Date(s.syncedAt),
        reason: s.reason ?? null,
      }),
    ),
  };
}

/**
 * Every object of the kind in one cluster as the caller: one cluster-wide list, or, for a
 * caller who may not list it cluster-wide, the namespaces named in the filter or those of the
 * caller's projects, one by one (what the live path shows such a caller).
 */
async function readAllAsCaller(
  ctx: GraphQLContext,
  kube: KubeClient,
  query: CrossClusterQuery,
  clusterId: string,
  signal: AbortSignal,
): Promise<readonly KubeObject[]> {
  const resource: KubeResource = query.resource;
  const labelSelector = query.filter?.labelSelector ?? undefined;
  const named =
    resource.namespaced && !query.ignoreNamespaces ? query.filter?.namespaces : undefined;
  const read = (namespace?: string) =>
    listInChunks(kube, clusterId, resource, namespace, labelSelector, signal);
  if (named) return (await Promise.all(named.map((ns) => read(ns).catch(forbiddenIsEmpty)))).flat();
  try {
    return await read();
  } catch (err) {
    const scope = ctx.ports.namespaceScope;
    if (!(isKubeApiError(err) && err.kubeCode === 'FORBIDDEN') || !scope || !resource.namespaced) {
      throw err;
    }
    const scoped = await scope.namespacesOf(requireIdentity(ctx), clusterId);
    if (scoped.length === 0) throw err;
    return (
      await Promise.all(scoped.map((n: ScopedNamespace) => read(n.name).catch(forbiddenIsEmpty)))
    ).flat();
  }
}

function forbiddenIsEmpty(err: unknown): KubeObject[] {
  if (isKubeApiError(err) && err.kubeCode === 'FORBIDDEN') return [];
  throw err;
}

async function listInChunks(
  kube: KubeClient,
  clusterId: string,
  resource: KubeResource,
  namespace: string | undefined,
  labelSelector: string | undefined,
  signal: AbortSignal,
): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  let token: string | undefined;
  do {
    const list = await kube.list(clusterId, resource, {
      limit: 500,
      ...(namespace ? { namespace } : {}),
      ...(labelSelector ? { labelSelector } : {}),
      ...(token ? { continue: token } : {}),
      signal,
    });
    out.push(...list.items);
    token = list.continue;
  } while (token);
  return out;
}

export { listAll };
