/**
 * Cluster fields the cluster layer adds to the global `Cluster` type: capacity (from the
 * registry's background refresh when Paddock has one, else read now as the caller) and
 * conditions derived from the last health probe.
 */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ClusterCapacitySnapshot } from '../../domain/kube-api.js';
import { add, sumPods, totalsOf, ZERO } from '../../rbac/resource-totals.js';
import { Cluster } from '../cluster.type.js';
import type { GraphQLContext } from '../context.js';
import { ClusterCapacity } from './cluster-capacity.type.js';
import { listAll } from './cluster-reads.js';
import { Condition } from './common.type.js';
import { kubeClient } from './kube-access.js';
import { R } from './kube-resources.js';
import { ProjectMember } from './namespace.type.js';
import { percentages } from './quantities.js';

@Resolver(() => Cluster)
export class ClusterFieldsResolver {
  @FieldResolver(() => ClusterCapacity, {
    nullable: true,
    description:
      'Summed node capacity and pod requests/limits; null when neither the background refresh nor the caller can read nodes and pods.',
  })
  async capacity(
    @Root() cluster: Cluster,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ClusterCapacity | null> {
    const cached = await ctx.ports.capacity?.capacity(cluster.id);
    if (cached !== undefined) return toCapacity(cached);
    if (ctx.ports.kubeApi === undefined || cluster.state === 'pending') return null;
    const read = await kubeClient(ctx).fanOut(
      [cluster.id],
      async (clusterId, signal) => {
        const [nodes, pods] = await Promise.all([
          listAll(ctx, clusterId, R.nodes, { signal }),
          listAll(ctx, clusterId, R.pods, { signal }),
        ]);
        return {
          capacity: nodes.reduce(
            (a, n) => add(a, totalsOf((n.status as { capacity?: unknown })?.capacity)),
            ZERO,
          ),
          allocatable: nodes.reduce(
            (a, n) => add(a, totalsOf((n.status as { allocatable?: unknown })?.allocatable)),
            ZERO,
          ),
          requested: sumPods(pods, 'requests'),
          limits: sumPods(pods, 'limits'),
          readAt: ctx.now(),
        };
      },
      ctx.ports.fanOut,
    );
    const value = read.items[0]?.value;
    return value === undefined ? null : toCapacity(value);
  }

  @FieldResolver(() => [ProjectMember], {
    description:
      'Cluster role bindings (empty when Paddock has no access state). `ProjectMember` shape: subject and role template.',
  })
  async members(@Root() cluster: Cluster, @Ctx() ctx: GraphQLContext): Promise<ProjectMember[]> {
    const state = await ctx.ports.access?.snapshot();
    return (state?.clusterRoleBindings ?? [])
      .filter((b) => b.clusterId === cluster.id)
      .map((b) => ({
        bindingId: b.id,
        subjectKind: b.subject.kind,
        userId: b.subject.kind === 'user' ? b.subject.userId : null,
        principalId: b.subject.principalId ?? null,
        roleTemplateId: b.roleTemplateId,
      }));
  }

  @FieldResolver(() => [Condition], {
    description: 'Connected, Authorized, Ready and NodesReady, from the last health probe.',
  })
  conditions(@Root() cluster: Cluster): Condition[] {
    const h = cluster.health;
    const at = h.checkedAt;
    const cond = (
      type: string,
      ok: boolean | null,
      reason: string,
      message: string | null,
    ): Condition => ({
      type,
      status: ok === null ? 'Unknown' : ok ? 'True' : 'False',
      reason,
      message,
      lastTransitionTime: at,
    });
    const probed = at !== null;
    const connected = probed ? h.state !== 'unavailable' : null;
    const nodesReady =
      h.nodeCount === null || h.readyNodeCount === null ? null : h.readyNodeCount === h.nodeCount;
    return [
      cond(
        'Connected',
        connected,
        connected ? 'Reachable' : 'Unreachable',
        connected ? null : h.message,
      ),
      cond(
        'Authorized',
        probed ? h.state !== 'unauthorized' : null,
        h.state === 'unauthorized' ? 'CredentialsRefused' : 'CredentialsAccepted',
        h.state === 'unauthorized' ? h.message : null,
      ),
      cond(
        'Ready',
        probed ? h.state === 'active' || h.state === 'degraded' : null,
        h.state,
        h.message,
      ),
      cond(
        'NodesReady',
        nodesReady,
        nodesReady === false ? 'NodesNotReady' : 'AllNodesReady',
        h.nodeCount === null ? null : `${h.readyNodeCount ?? 0}/${h.nodeCount} nodes ready`,
      ),
    ];
  }
}

function toCapacity(s: ClusterCapacitySnapshot): ClusterCapacity {
  return {
    capacity: s.capacity,
    allocatable: s.allocatable,
    requested: s.requested,
    limits: s.limits,
    requestedPercent: percentages(s.requested, s.allocatable),
    limitsPercent: percentages(s.limits, s.allocatable),
    readAt: new Date(s.readAt),
  };
}
