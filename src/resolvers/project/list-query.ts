/** The shared body of every typed cross-cluster list field. */
import type { KubeObject, KubeResource } from '../../domain/kube-api.js';
import { crossClusterList } from '../cluster/cross-cluster-list.js';
import type { KubeOrder } from '../cluster/fleet-list.type.js';
import type { KubeFilter } from '../cluster/kube-filter.input.js';
import type { KubeListShape } from '../cluster/kube-object.type.js';
import type { QueryDeadline } from '../cluster/query-deadline.js';
import type { GraphQLContext } from '../context.js';

export interface ListArgs {
  readonly filter: KubeFilter | null | undefined;
  readonly first: number | null | undefined;
  readonly after: string | null | undefined;
  readonly deadlineMs?: QueryDeadline;
  readonly orderBy?: KubeOrder | null | undefined;
}

export async function listOf<T>(
  ctx: GraphQLContext,
  resource: KubeResource,
  args: ListArgs,
  map: (clusterId: string, obj: KubeObject) => T,
  where?: (obj: KubeObject) => boolean,
): Promise<KubeListShape<T>> {
  const page = await crossClusterList(ctx, {
    resource,
    filter: args.filter,
    first: args.first,
    after: args.after,
    deadlineMs: args.deadlineMs,
    orderBy: args.orderBy ?? null,
    ...(where ? { where } : {}),
  });
  return { ...page, items: page.items.map((i) => map(i.clusterId, i.object)) };
}
