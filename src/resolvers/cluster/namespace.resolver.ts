import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { KubeObject } from '../../domain/kube-api.js';
import { isKubeApiError } from '../../domain/kube-api.js';
import { matchesLabels, parseLabelSelector } from '../../domain/label-selector.js';
import type { AccessState } from '../../domain/rbac.js';
import { PaddockError } from '../../errors/index.js';
import { requireIdentity } from '../auth-checker.js';
import type { GraphQLContext } from '../context.js';
import { paginate } from '../cursor.js';
import { listAll } from './cluster-reads.js';
import { crossClusterList, toClusterError } from './cross-cluster-list.js';
import { KubeOrder } from './fleet-list.type.js';
import { kubeClient, parseProjectRef, targetClusters } from './kube-access.js';
import { KubeFilter, needsIndex } from './kube-filter.input.js';
import { R } from './kube-resources.js';
import {
  Namespace,
  NamespaceList,
  Project,
  ProjectList,
  type ProjectMember,
  toNamespace,
  toProject,
} from './namespace.type.js';
import { deadlineArg, fanOutWithin, type QueryDeadline } from './query-deadline.js';
import { memo } from './request-memo.js';

interface ClusterNamespaces {
  readonly clusterId: string;
  readonly namespaces: Namespace[];
  /** The caller listed every namespace (a cluster-level role), not just its projects'. */
  readonly clusterWide: boolean;
}

/** Each target cluster's namespaces the caller can see, read once per request. */
function namespacesAcross(
  ctx: GraphQLContext,
  filter: KubeFilter | null | undefined,
  deadlineMs?: QueryDeadline,
) {
  const key = `namespaces:${JSON.stringify([filter?.clusterIds ?? null, deadlineMs ?? null])}`;
  const fanOutOptions = fanOutWithin(ctx, deadlineMs);
  return memo(ctx, key, async () => {
    const kube = kubeClient(ctx);
    const targets = (await targetClusters(ctx, filter)).map((c) => c.id);
    return kube.fanOut(
      targets,
      async (clusterId, signal): Promise<ClusterNamespaces> => {
        try {
          const all = await listAll(ctx, clusterId, R.namespaces, { signal });
          return {
            clusterId,
            namespaces: all.map((n) => toNamespace(clusterId, n)),
            clusterWide: true,
          };
        } catch (err) {
          const scope = ctx.ports.namespaceScope;
          if (!(isKubeApiError(err) && err.kubeCode === 'FORBIDDEN') || !scope) throw err;
          const scoped = await scope.namespacesOf(requireIdentity(ctx), clusterId);
          if (scoped.length === 0) throw err;
          // A project member may get its own namespaces, one by one, like `kubectl get ns x`.
          const got = await Promise.all(
            scoped.map((n) =>
              kube
                .get(clusterId, R.namespaces, undefined, n.name, { signal })
                .catch(() => undefined),
            ),
          );
          return {
            clusterId,
            namespaces: got
              .filter((n): n is KubeObject => n !== undefined)
              .map((n) => toNamespace(clusterId, n)),
            clusterWide: false,
          };
        }
      },
      fanOutOptions,
    );
  });
}

function matchesFilter(filter: KubeFilter | null | undefined): (ns: Namespace) => boolean {
  const names = filter?.namespaces ? new Set(filter.namespaces) : undefined;
  const projects = filter?.projectIds?.map(parseProjectRef);
  const text = filter?.nameContains?.toLowerCase();
  // Parsed once per query, not per namespace; a malformed selector is a validation error.
  const labels = filter?.labelSelector ? parseLabelSelector(filter.labelSelector) : undefined;
  return (ns) =>
    (names === undefined || names.has(ns.name)) &&
    (text === undefined || ns.name.toLowerCase().includes(text)) &&
    (labels === undefined || matchesLabels(labels, ns.labels)) &&
    (projects === undefined ||
      projects.some((p) => {
        if (ns.projectId === null) return false;
        const ref = parseProjectRef(ns.projectId);
        return ref.projectId === p.projectId && (p.clusterId ?? ref.clusterId) === ref.clusterId;
      }));
}

@Resolver(() => Namespace)
export class NamespaceResolver {
  @Authorized()
  @Query(() => NamespaceList, {
    description:
      "Namespaces across clusters: all of them for cluster-level roles, else the caller's projects'.",
  })
  async namespaces(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => KubeFilter, { nullable: true }) filter: KubeFilter | null | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @deadlineArg() deadlineMs: QueryDeadline,
    @Arg('orderBy', () => KubeOrder, { nullable: true }) orderBy: KubeOrder | null | undefined,
  ): Promise<NamespaceList> {
    if (ctx.ports.fleetIndex?.serves(R.namespaces)) {
      const page = await crossClusterList(ctx, {
        resource: R.namespaces,
        filter,
        first,
        after,
        orderBy,
        deadlineMs,
      });
      return { ...page, items: page.items.map((i) => toNamespace(i.clusterId, i.object)) };
    }
    if (
      needsIndex(filter) ||
      (orderBy && (orderBy.field !== 'CLUSTER' || orderBy.direction === 'DESC'))
    ) {
      throw new PaddockError(
        'VALIDATION_FAILED',
        'sorting and the phase, readiness, restart and text filters need the fleet index, which does not serve namespaces',
        { reason: 'needs_fleet_index' },
      );
    }
    const read = await namespacesAcross(ctx, filter, deadlineMs);
    const all = read.items.flatMap((i) => i.value.namespaces).filter(matchesFilter(filter));
    const page = paginate(all, (n) => [n.clusterId, n.name], { first, after });
    return {
      items: page.items,
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
      clusterErrors: read.clusterErrors.map(toClusterError),
    };
  }

  @FieldResolver(() => Project, { nullable: true })
  async project(@Root() ns: Namespace, @Ctx() ctx: GraphQLContext): Promise<Project | null> {
    if (ns.projectId === null) return null;
    const ref = parseProjectRef(ns.projectId);
    const state = await accessState(ctx);
    const record = state?.projects.find(
      (p) => p.clusterId === ref.clusterId && p.id === ref.projectId,
    );
    return toProject(
      ns.clusterId,
      ref.projectId,
      record,
      [ns.name],
      membersOf(state, ns.clusterId, ref.projectId),
    );
  }
}

@Resolver(() => Project)
export class ProjectResolver {
  @Authorized()
  @Query(() => ProjectList, {
    description:
      'Projects across clusters: those whose namespaces the caller sees, or that it is bound to.',
  })
  async projects(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => KubeFilter, { nullable: true }) filter: KubeFilter | null | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @deadlineArg() deadlineMs: QueryDeadline,
  ): Promise<ProjectList> {
    const identity = requireIdentity(ctx);
    const [read, state] = await Promise.all([
      namespacesAcross(ctx, filter, deadlineMs),
      accessState(ctx),
    ]);
    const byId = new Map<string, { clusterId: string; projectId: string; namespaces: string[] }>();
    const entry = (clusterId: string, projectId: string) => {
      const id = `${clusterId}:${projectId}`;
      let e = byId.get(id);
      if (e === undefined) {
        e = { clusterId, projectId, namespaces: [] };
        byId.set(id, e);
      }
      return e;
    };
    const answered = new Map(read.items.map((i) => [i.clusterId, i.value]));
    for (const { value } of read.items) {
      for (const ns of value.namespaces) {
        if (ns.projectId === null) continue;
        const ref = parseProjectRef(ns.projectId);
        if (ref.clusterId === value.clusterId)
          entry(value.clusterId, ref.projectId).namespaces.push(ns.name);
      }
    }
    const groups = new Set(identity.groupPrincipalIds);
    for (const p of state?.projects ?? []) {
      const cluster = answered.get(p.clusterId);
      if (cluster === undefined) continue;
      const bound = state?.projectRoleBindings.some(
        (b) =>
          b.clusterId === p.clusterId &&
          b.projectId === p.id &&
          (b.subject.kind === 'user'
            ? b.subject.userId === identity.userId
            : groups.has(b.subject.principalId)),
      );
      if (cluster.clusterWide || bound) entry(p.clusterId, p.id);
    }
    const projectFilter = filter?.projectIds?.map(parseProjectRef);
    const text = filter?.nameContains?.toLowerCase();
    const projects = [...byId.values()]
      .map((e) =>
        toProject(
          e.clusterId,
          e.projectId,
          state?.projects.find((p) => p.clusterId === e.clusterId && p.id === e.projectId),
          e.namespaces,
          membersOf(state, e.clusterId, e.projectId),
        ),
      )
      .filter(
        (p) =>
          (projectFilter === undefined ||
            projectFilter.some(
              (f) => f.projectId === p.projectId && (f.clusterId ?? p.clusterId) === p.clusterId,
            )) &&
          (text === undefined || p.name.toLowerCase().includes(text)),
      );
    const page = paginate(projects, (p) => [p.clusterId, p.projectId], { first, after });
    return {
      items: page.items,
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
      clusterErrors: read.clusterErrors.map(toClusterError),
    };
  }
}

function accessState(ctx: GraphQLContext): Promise<AccessState | undefined> {
  const access = ctx.ports.access;
  return memo(ctx, 'access-state', async () => (access ? access.snapshot() : undefined));
}

function membersOf(
  state: AccessState | undefined,
  clusterId: string,
  projectId: string,
): ProjectMember[] {
  return (state?.projectRoleBindings ?? [])
    .filter((b) => b.clusterId === clusterId && b.projectId === projectId)
    .map((b) => ({
      bindingId: b.id,
      subjectKind: b.subject.kind,
      userId: b.subject.kind === 'user' ? b.subject.userId : null,
      principalId: b.subject.principalId ?? null,
      roleTemplateId: b.roleTemplateId,
    }));
}
