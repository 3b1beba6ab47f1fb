/**
 * One page of a Kubernetes kind across clusters, read as the caller. Every target cluster is
 * asked concurrently (per-cluster deadline, concurrency limit) for at most `first + 1` matching
 * objects after the cursor; the page is cut from the clusters in id order. A cluster that
 * fails is a `clusterErrors` entry, never an error of the whole field.
 *
 * A caller who may not list a kind cluster-wide (a project member, like `kubectl get -A`
 * for them) is read namespace by namespace: the namespaces named in the filter, those of the
 * filtered projects, or else those of the projects the caller is bound to.
 */

import type {
  ClusterFailure,
  KubeClient,
  KubeObject,
  KubeResource,
  ScopedNamespace,
} from '../../domain/kube-api.js';
import { isKubeApiError } from '../../domain/kube-api.js';
import { hasErrorCode, PaddockError } from '../../errors/index.js';
import { PROJECT_ID_KEY } from '../../rbac/project-label.js';
import { requireIdentity } from '../auth-checker.js';
import type { ClusterError } from '../cluster-error.type.js';
import type { GraphQLContext } from '../context.js';
import { pageSizeOf } from '../cursor.js';
import type { PageInfo } from '../page-info.type.js';
import { fleetList } from './fleet-list.js';
import type { ClusterSource, KubeFacets, KubeOrder } from './fleet-list.type.js';
import { kubeClient, parseProjectRef, targetClusters } from './kube-access.js';
import { decodeKubeCursor, encodeKubeCursor, type KubeCursor, storageKey } from './kube-cursor.js';
import { type KubeFilter, needsIndex } from './kube-filter.input.js';
import { fanOutWithin, type QueryDeadline } from './query-deadline.js';

export interface CrossClusterQuery {
  readonly resource: KubeResource;
  readonly filter?: KubeFilter | null;
  readonly first?: number | null;
  readonly after?: string | null;
  /** A further test on each object (a secret's type, a namespace's name). */
  readonly where?: (obj: KubeObject) => boolean;
  readonly fieldSelector?: string;
  /** Ignore `filter.namespaces` (they mean something else for cluster-scoped kinds). */
  readonly ignoreNamespaces?: boolean;
  /** The query's `deadlineMs` argument. */
  readonly deadlineMs?: QueryDeadline;
  /** Sort order; anything but the default needs the fleet index. */
  readonly orderBy?: KubeOrder | null;
}

export interface ClusterObject {
  readonly clusterId: string;
  readonly object: KubeObject;
}

export interface CrossClusterPage {
  readonly items: ClusterObject[];
  readonly pageInfo: PageInfo;
  readonly clusterErrors: ClusterError[];
  readonly facets: KubeFacets | null;
  readonly sources: ClusterSource[];
}

interface Found {
  readonly object: KubeObject;
  readonly cursor: KubeCursor;
}

const MAX_CHUNK = 500;

/**
 * The fleet index answers when it follows the kind (and no field selector is asked for); the
 * live fan-out below answers every other kind, and may not be asked to sort or to filter by
 * what only the index keeps.
 */
export async function crossClusterList(
  ctx: GraphQLContext,
  query: CrossClusterQuery,
): Promise<CrossClusterPage> {
  const index = ctx.ports.fleetIndex;
  if (index?.serves(query.resource) && query.fieldSelector === undefined) {
    return fleetList(ctx, index, query);
  }
  const ordered =
    query.orderBy && (query.orderBy.field !== 'CLUSTER' || query.orderBy.direction === 'DESC');
  if (ordered || needsIndex(query.filter)) {
    throw new PaddockError(
      'VALIDATION_FAILED',
      `sorting and the phase, readiness, restart and text filters need the fleet index, which does not serve ${query.resource.resource}`,
      { reason: 'needs_fleet_index' },
    );
  }
  return liveList(ctx, query);
}

async function liveList(ctx: GraphQLContext, query: CrossClusterQuery): Promise<CrossClusterPage> {
  const first = pageSizeOf(query.first);
  const fanOutOptions = fanOutWithin(ctx, query.deadlineMs);
  const after = query.after ? decodeKubeCursor(query.after) : undefined;
  const kube = kubeClient(ctx);
  const targets = (await targetClusters(ctx, query.filter))
    .map((c) => c.id)
    .filter((id) => after === undefined || id >= after.c);
  // Clusters are read concurrently, but the page is cut in cluster order: once the clusters
  // before one have answered with more than a page, it only needs to say whether it answers
  // at all (for clusterErrors), so it is asked for one object instead of a page.
  const counts: (number | undefined)[] = targets.map(() => undefined);
  const pageFullBefore = (index: number) => {
    let sum = 0;
    for (let i = 0; i < index; i++) {
      const n = counts[i];
      if (n === undefined) return false;
      sum += n;
      if (sum > first) return true;
    }
    return false;
  };
  const result = await kube.fanOut(
    targets,
    async (clusterId, signal) => {
      const index = targets.indexOf(clusterId);
      const want = pageFullBefore(index) ? 1 : first + 1;
      try {
        const found = await readCluster(
          ctx,
          kube,
          query,
          clusterId,
          want,
          after?.c === clusterId ? after : undefined,
          signal,
        );
        counts[index] = found.length;
        return found;
      } catch (err) {
        counts[index] = 0;
        throw err;
      }
    },
    fanOutOptions,
  );
  const items: ClusterObject[] = [];
  let last: KubeCursor | undefined;
  let more = false;
  for (const { clusterId, value } of result.items) {
    for (const found of value) {
      if (items.length === first) {
        more = true;
        break;
      }
      items.push({ clusterId, object: found.object });
      last = found.cursor;
    }
    if (more) break;
  }
  return {
    items,
    pageInfo: { endCursor: last ? encodeKubeCursor(last) : null, hasNextPage: more },
    clusterErrors: result.clusterErrors.map(toClusterError),
    facets: null,
    sources: targets.map((clusterId) => ({
      clusterId,
      source: 'LIVE',
      stale: false,
      ageMs: 0,
      syncedAt: null,
      reason: ctx.ports.fleetIndex ? 'the fleet index does not serve this kind' : 'no fleet index',
    })),
  };
}

export function toClusterError(f: ClusterFailure): ClusterError {
  return { clusterId: f.clusterId, code: f.code, message: f.message, retryable: f.retryable };
}

async function readCluster(
  ctx: GraphQLContext,
  kube: KubeClient,
  query: CrossClusterQuery,
  clusterId: string,
  want: number,
  after: KubeCursor | undefined,
  signal: AbortSignal,
): Promise<Found[]> {
  const planned = await segmentsOf(ctx, kube, query, clusterId, signal);
  const text = query.filter?.nameContains?.toLowerCase();
  const matches = (obj: KubeObject) =>
    (text === undefined || (obj.metadata.name ?? '').toLowerCase().includes(text)) &&
    (query.where === undefined || query.where(obj));
  const clientFiltered = text !== undefined || query.where !== undefined;
  const found: Found[] = [];
  let segments = planned ?? [''];
  if (planned === undefined) {
    try {
      await readSegment('', after?.g === '' ? after.t : undefined, after?.g === '' ? after.s : 0);
      return found;
    } catch (err) {
      // A caller who may not list the kind cluster-wide reads its projects' namespaces.
      if (!(isKubeApiError(err) && err.kubeCode === 'FORBIDDEN') || !ctx.ports.namespaceScope) {
        throw err;
      }
      const scoped = await ctx.ports.namespaceScope.namespacesOf(requireIdentity(ctx), clusterId);
      if (scoped.length === 0) throw err;
      found.length = 0;
      segments = sortSegments(scoped.map((n: ScopedNamespace) => n.name));
    }
  }
  for (const segment of segments) {
    if (found.length >= want) break;
    const prefix = segment === '' ? '' : `${segment}/`;
    let resumeToken: string | undefined;
    let skip = 0;
    if (after !== undefined) {
      // Keys of a segment all start with its prefix: a segment wholly before the cursor is done.
      if (!after.k.startsWith(prefix) && prefix < after.k) continue;
      if (after.g === segment) {
        resumeToken = after.t;
        skip = after.s;
      }
    }
    await readSegment(segment, resumeToken, skip);
  }
  return found;

  async function readSegment(segment: string, startToken: string | undefined, startSkip: number) {
    let token = startToken;
    let skip = startSkip;
    for (;;) {
      const limit = clientFiltered
        ? MAX_CHUNK
        : Math.min(MAX_CHUNK, Math.max(1, want - found.length + skip));
      let list: Awaited<ReturnType<KubeClient['list']>>;
      try {
        list = await kube.list(clusterId, query.resource, {
          ...(segment === '' ? {} : { namespace: segment }),
          ...(query.filter?.labelSelector ? { labelSelector: query.filter.labelSelector } : {}),
          ...(query.fieldSelector ? { fieldSelector: query.fieldSelector } : {}),
          limit,
          ...(token === undefined ? {} : { continue: token }),
          signal,
        });
      } catch (err) {
        // An expired continue token: read the segment again; the key check drops what was shown.
        if (
          token !== undefined &&
          (hasErrorCode(err, 'GONE') || hasErrorCode(err, 'BAD_REQUEST'))
        ) {
          token = undefined;
          skip = 0;
          continue;
        }
        throw err;
      }
      for (let i = skip; i < list.items.length; i++) {
        const object = list.items[i]!;
        const key = storageKey(object.metadata.namespace, object.metadata.name ?? '');
        if (after !== undefined && key <= after.k) continue;
        if (!matches(object)) continue;
        found.push({
          object,
          cursor: {
            c: clusterId,
            k: key,
            g: segment,
            ...(token === undefined ? {} : { t: token }),
            s: i + 1,
          },
        });
        if (found.length >= want) return;
      }
      if (!list.continue) return;
      token = list.continue;
      skip = 0;
    }
  }
}

/** The namespaces to read one by one, sorted like keys; `['']` for one cluster-wide list. */
async function segmentsOf(
  ctx: GraphQLContext,
  kube: KubeClient,
  query: CrossClusterQuery,
  clusterId: string,
  signal: AbortSignal,
): Promise<string[] | undefined> {
  if (!query.resource.namespaced) return [''];
  let names: string[] | undefined = query.ignoreNamespaces
    ? undefined
    : (query.filter?.namespaces ?? undefined);
  const projects = query.filter?.projectIds
    ?.map(parseProjectRef)
    .filter((p) => p.clusterId === undefined || p.clusterId === clusterId)
    .map((p) => p.projectId);
  if (projects !== undefined) {
    const inProjects = await projectNamespaces(ctx, kube, clusterId, projects, signal);
    names = names === undefined ? inProjects : names.filter((n) => inProjects.includes(n));
  }
  // Undefined: one cluster-wide list, falling back to the caller's namespaces if forbidden.
  return names === undefined ? undefined : sortSegments(names);
}

/** Namespaces of the given projects in one cluster, by label (or the caller's scope). */
export async function projectNamespaces(
  ctx: GraphQLContext,
  kube: KubeClient,
  clusterId: string,
  projectIds: readonly string[],
  signal?: AbortSignal,
): Promise<string[]> {
  if (projectIds.length === 0) return [];
  const values = projectIds.map((p) => `${clusterId}_${p}`);
  try {
    const list = await kube.list(
      clusterId,
      { group: '', version: 'v1', resource: 'namespaces', namespaced: false },
      {
        labelSelector: `${PROJECT_ID_KEY} in (${values.join(',')})`,
        ...(signal ? { signal } : {}),
      },
    );
    return list.items.map((n) => n.metadata.name ?? '');
  } catch (err) {
    if (!(isKubeApiError(err) && err.kubeCode === 'FORBIDDEN') || !ctx.ports.namespaceScope) {
      throw err;
    }
    const wanted = new Set(projectIds.map((p) => `${clusterId}:${p}`));
    const scoped = await ctx.ports.namespaceScope.namespacesOf(requireIdentity(ctx), clusterId);
    return scoped
      .filter((n: ScopedNamespace) => n.projectId !== undefined && wanted.has(n.projectId))
      .map((n: ScopedNamespace) => n.name);
  }
}

function sortSegments(names: readonly string[]): string[] {
  // Sorted by `<namespace>/` so segment order is key order (`a-b/` sorts before `a/`).
  return [...new Set(names)].sort((a, b) => {
    const x = `${a}/`;
    const y = `${b}/`;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
