import { Arg, Authorized, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { crossClusterList } from '../cluster/cross-cluster-list.js';
import { JSONScalar } from '../cluster/json.scalar.js';
import { kubeClient, visibleCluster } from '../cluster/kube-access.js';
import { deadlineArg, type QueryDeadline } from '../cluster/query-deadline.js';
import { ClusterError } from '../cluster-error.type.js';
import type { GraphQLContext } from '../context.js';
import { PageInfo } from '../page-info.type.js';

@ObjectType({ description: 'Raw objects of any kind (custom resources included) of one cluster.' })
export class KubernetesObjectList {
  @Field(() => [JSONScalar])
  items!: unknown[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => [ClusterError])
  clusterErrors!: ClusterError[];
}

@Resolver()
export class KubernetesObjectsResolver {
  @Authorized()
  @Query(() => KubernetesObjectList, {
    description: 'Objects of any `apiVersion`/`kind` in one cluster, as JSON, read as the caller.',
  })
  async kubernetesObjects(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('apiVersion') apiVersion: string,
    @Arg('kind') kind: string,
    @Arg('namespace', () => String, { nullable: true }) namespace: string | null | undefined,
    @Arg('labelSelector', () => String, { nullable: true }) labelSelector:
      | string
      | null
      | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @deadlineArg() deadlineMs: QueryDeadline,
  ): Promise<KubernetesObjectList> {
    await visibleCluster(ctx, clusterId);
    const resource = await kubeClient(ctx).resolveKind(clusterId, apiVersion, kind);
    const page = await crossClusterList(ctx, {
      resource,
      filter: {
        clusterIds: [clusterId],
        ...(namespace ? { namespaces: [namespace] } : {}),
        ...(labelSelector ? { labelSelector } : {}),
      },
      first,
      after,
      deadlineMs,
    });
    // List items carry no kind; put it back so each item stands alone.
    return {
      ...page,
      items: page.items.map((i) => ({ apiVersion, kind: resource.kind ?? kind, ...i.object })),
    };
  }
}
