import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { sumPods } from '../../rbac/resource-totals.js';
import type { GraphQLContext } from '../context.js';
import { listAll } from './cluster-reads.js';
import { ResourceTotals } from './common.type.js';
import { crossClusterList } from './cross-cluster-list.js';
import { KubeOrder } from './fleet-list.type.js';
import { kubeClient, visibleCluster } from './kube-access.js';
import { KubeFilter } from './kube-filter.input.js';
import type { KubeListShape } from './kube-object.type.js';
import { R } from './kube-resources.js';
import { Node, NodeList, toNode } from './node.type.js';
import { deadlineArg, type QueryDeadline } from './query-deadline.js';

@Resolver(() => Node)
export class NodeResolver {
  @Authorized()
  @Query(() => NodeList, { description: 'Nodes across clusters, as the caller may list them.' })
  async nodes(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => KubeFilter, { nullable: true }) filter: KubeFilter | null | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @deadlineArg() deadlineMs: QueryDeadline,
    @Arg('orderBy', () => KubeOrder, { nullable: true }) orderBy: KubeOrder | null | undefined,
  ): Promise<KubeListShape<Node>> {
    const page = await crossClusterList(ctx, {
      resource: R.nodes,
      filter,
      first,
      after,
      deadlineMs,
      orderBy,
      ignoreNamespaces: true,
    });
    return { ...page, items: page.items.map((i) => toNode(i.clusterId, i.object)) };
  }

  @Authorized()
  @Query(() => Node, { nullable: true })
  async node(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('name') name: string,
  ): Promise<Node | null> {
    await visibleCluster(ctx, clusterId);
    const obj = await kubeClient(ctx).get(clusterId, R.nodes, undefined, name);
    return toNode(clusterId, obj);
  }

  @FieldResolver(() => ResourceTotals, {
    nullable: true,
    description:
      'Sum of the requests of the active pods on this node; null when the caller may not list them.',
  })
  async requested(@Root() node: Node, @Ctx() ctx: GraphQLContext): Promise<ResourceTotals | null> {
    return podSums(ctx, node, 'requests');
  }

  @FieldResolver(() => ResourceTotals, { nullable: true, description: "Sum of the pods' limits." })
  async limits(@Root() node: Node, @Ctx() ctx: GraphQLContext): Promise<ResourceTotals | null> {
    return podSums(ctx, node, 'limits');
  }
}

async function podSums(
  ctx: GraphQLContext,
  node: Node,
  which: 'requests' | 'limits',
): Promise<ResourceTotals | null> {
  try {
    const pods = await listAll(ctx, node.clusterId, R.pods);
    return sumPods(
      pods.filter((p) => (p.spec as { nodeName?: string } | undefined)?.nodeName === node.name),
      which,
    );
  } catch {
    return null;
  }
}
