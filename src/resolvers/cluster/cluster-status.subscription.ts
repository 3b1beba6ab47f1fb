import { Arg, Field, ID, Int, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import type { ClusterState, ClusterSummary } from '../../domain/cluster.js';
import type { GraphQLContext } from '../context.js';
import { ClusterStateEnum } from '../enums.js';
import { boundedStream } from './subscription-limits.js';

@ObjectType({ description: "A change of a cluster's health as the background probe saw it." })
export class ClusterStatusChange {
  @Field(() => ID)
  clusterId!: string;

  @Field(() => ClusterStateEnum)
  state!: ClusterState;

  @Field(() => ClusterStateEnum, {
    nullable: true,
    description: 'Null in the first event of a cluster.',
  })
  previousState!: ClusterState | null;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => Int, { nullable: true })
  readyNodeCount!: number | null;

  @Field(() => Int, { nullable: true })
  nodeCount!: number | null;

  @Field(() => Date)
  at!: Date;
}

const POLL_MS = 1_000;
const fingerprint = (c: ClusterSummary) =>
  JSON.stringify([c.health.state, c.health.message, c.health.nodesReady, c.health.nodesTotal]);

@Resolver()
export class ClusterStatusSubscriptionResolver {
  @Subscription(() => ClusterStatusChange, {
    description:
      'Health changes of the clusters the caller may see (from memory, no downstream call); the current state of each comes first.',
    subscribe: ({ args, context }) => {
      const ctx = context as GraphQLContext;
      const wanted = args.clusterIds ? new Set(args.clusterIds as string[]) : undefined;
      return boundedStream<ClusterStatusChange>(ctx, async (channel, signal) => {
        const seen = new Map<string, { print: string; state: ClusterState }>();
        while (!signal.aborted) {
          // Visibility is read afresh each round, so a removed binding stops the events.
          const visible = await ctx.ports.authorizer.visibleClusterIds(ctx.identity!);
          const clusters = await ctx.ports.clusters.list();
          for (const c of clusters) {
            if (wanted && !wanted.has(c.id)) continue;
            if (visible !== 'all' && !visible.has(c.id)) continue;
            const print = fingerprint(c);
            const before = seen.get(c.id);
            if (before?.print === print) continue;
            seen.set(c.id, { print, state: c.health.state });
            channel.push({
              clusterId: c.id,
              state: c.health.state,
              previousState: before?.state ?? null,
              message: c.health.message ?? null,
              readyNodeCount: c.health.nodesReady ?? null,
              nodeCount: c.health.nodesTotal ?? null,
              at: new Date(ctx.now()),
            });
          }
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, POLL_MS);
            signal.addEventListener(
              'abort',
              () => {
                clearTimeout(t);
                resolve();
              },
              { once: true },
            );
          });
        }
      });
    },
  })
  clusterStatusChanges(
    @Root() change: ClusterStatusChange,
    @Arg('clusterIds', () => [ID], { nullable: true }) _clusterIds: string[] | null | undefined,
  ): ClusterStatusChange {
    return change;
  }
}
