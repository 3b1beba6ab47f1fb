/** The caller's Kubernetes client and the clusters a cross-cluster read goes to. */
import type { ClusterSummary } from '../../domain/cluster.js';
import type { KubeClient } from '../../domain/kube-api.js';
import { PaddockError } from '../../errors/index.js';
import { requireIdentity } from '../auth-checker.js';
import type { GraphQLContext } from '../context.js';
import type { KubeFilter } from './kube-filter.input.js';

/** The caller's client, one per request context. */
export function kubeClient(ctx: GraphQLContext): KubeClient {
  const identity = requireIdentity(ctx);
  const api = ctx.ports.kubeApi;
  if (api === undefined) {
    throw new PaddockError('UPSTREAM_UNAVAILABLE', 'Kubernetes access is not configured', {
      reason: 'kube_api_missing',
    });
  }
  const cached = clients.get(ctx);
  if (cached !== undefined) return cached;
  const client = api.forCaller(identity);
  clients.set(ctx, client);
  return client;
}
const clients = new WeakMap<object, KubeClient>();

export interface ProjectRefFilter {
  readonly clusterId?: string;
  readonly projectId: string;
}

/** `c-one:p-abc` → both ids; `p-abc` → the project in whichever cluster has it. */
export function parseProjectRef(text: string): ProjectRefFilter {
  const colon = text.lastIndexOf(':');
  return colon <= 0
    ? { projectId: text }
    : { clusterId: text.slice(0, colon), projectId: text.slice(colon + 1) };
}

/** Visible, imported clusters the filter allows, sorted by id (the cursor's first key). */
export async function targetClusters(
  ctx: GraphQLContext,
  filter: Pick<KubeFilter, 'clusterIds' | 'projectIds'> | null | undefined,
): Promise<ClusterSummary[]> {
  const visible = await ctx.loaders.visibleClusters();
  const ids = filter?.clusterIds ? new Set(filter.clusterIds) : undefined;
  const projects = filter?.projectIds?.map(parseProjectRef);
  const projectClusters = projects?.every((p) => p.clusterId !== undefined)
    ? new Set(projects.map((p) => p.clusterId))
    : undefined;
  return visible
    .filter(
      (c) =>
        c.health.state !== 'pending' &&
        (ids === undefined || ids.has(c.id)) &&
        (projectClusters === undefined || projectClusters.has(c.id)),
    )
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** One cluster the caller may see, or NOT_FOUND (the same answer for hidden and missing). */
export async function visibleCluster(ctx: GraphQLContext, clusterId: string) {
  const visible = await ctx.loaders.visibleClusters();
  const found = visible.find((c) => c.id === clusterId);
  if (found === undefined) {
    throw new PaddockError('NOT_FOUND', `cluster ${clusterId} not found`, {
      reason: 'cluster_not_found',
    });
  }
  return found;
}
