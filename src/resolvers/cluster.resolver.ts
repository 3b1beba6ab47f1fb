import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { ClusterSummary } from '../domain/cluster.js';
import { Cluster, ClusterList, toCluster } from './cluster.type.js';
import { ClusterFilter } from './cluster-filter.input.js';
import type { GraphQLContext } from './context.js';
import { paginate } from './cursor.js';

@Resolver()
export class ClusterResolver {
  @Authorized()
  @Query(() => ClusterList, {
    description:
      "Clusters the caller may see, with health from Paddock's background probes (no downstream call).",
  })
  async clusters(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => ClusterFilter, { nullable: true }) filter:
      | ClusterFilter
      | null
      | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
  ): Promise<ClusterList> {
    const visible = await ctx.loaders.visibleClusters();
    const page = paginate(visible.filter(matches(filter)), (c) => [c.name, c.id], {
      first,
      after,
    });
    return {
      items: page.items.map(toCluster),
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
      totalCount: page.totalCount,
      // Health comes from memory, so listing clusters cannot fail per cluster; fields that
      // call downstream clusters fill this.
      clusterErrors: [],
    };
  }

  @Authorized()
  @Query(() => Cluster, {
    nullable: true,
    description: 'One cluster; null when it does not exist or the caller may not see it.',
  })
  async cluster(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
  ): Promise<Cluster | null> {
    const visible = await ctx.loaders.visibleClusters();
    const found = visible.find((c) => c.id === id);
    return found === undefined ? null : toCluster(found);
  }
}

function matches(filter: ClusterFilter | null | undefined): (c: ClusterSummary) => boolean {
  if (filter == null) return () => true;
  const ids = filter.clusterIds ? new Set(filter.clusterIds) : undefined;
  const states = filter.states ? new Set(filter.states) : undefined;
  const text = filter.nameContains?.toLowerCase();
  return (c) =>
    (ids === undefined || ids.has(c.id)) &&
    (states === undefined || states.has(c.health.state)) &&
    (text === undefined || c.name.toLowerCase().includes(text));
}
