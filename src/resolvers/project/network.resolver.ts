import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { isKubeApiError } from '../../domain/kube-api.js';
import { listAll } from '../cluster/cluster-reads.js';
import { KubeOrder } from '../cluster/fleet-list.type.js';
import { kubeClient } from '../cluster/kube-access.js';
import { KubeFilter } from '../cluster/kube-filter.input.js';
import type { KubeListShape } from '../cluster/kube-object.type.js';
import { R } from '../cluster/kube-resources.js';
import { deadlineArg, type QueryDeadline } from '../cluster/query-deadline.js';
import { memo } from '../cluster/request-memo.js';
import type { GraphQLContext } from '../context.js';
import { listOf } from './list-query.js';
import {
  Endpoint,
  endpointsFromPods,
  endpointsOf,
  type Ingress,
  IngressList,
  Service,
  ServiceList,
  toIngress,
  toService,
} from './network.type.js';

@Resolver(() => Service)
export class ServiceResolver {
  @Authorized()
  @Query(() => ServiceList, { description: 'Services across clusters.' })
  services(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => KubeFilter, { nullable: true }) filter: KubeFilter | null | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @deadlineArg() deadlineMs: QueryDeadline,
    @Arg('orderBy', () => KubeOrder, { nullable: true }) orderBy: KubeOrder | null | undefined,
  ): Promise<KubeListShape<Service>> {
    return listOf(ctx, R.services, { filter, first, after, deadlineMs, orderBy }, toService);
  }

  @Authorized()
  @Query(() => IngressList, { description: 'Ingresses across clusters.' })
  ingresses(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => KubeFilter, { nullable: true }) filter: KubeFilter | null | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @deadlineArg() deadlineMs: QueryDeadline,
    @Arg('orderBy', () => KubeOrder, { nullable: true }) orderBy: KubeOrder | null | undefined,
  ): Promise<KubeListShape<Ingress>> {
    return listOf(ctx, R.ingresses, { filter, first, after, deadlineMs, orderBy }, toIngress);
  }

  @FieldResolver(() => [Endpoint], {
    nullable: true,
    description: 'Addresses behind the service; null when the caller may not read its Endpoints.',
  })
  async endpoints(@Root() svc: Service, @Ctx() ctx: GraphQLContext): Promise<Endpoint[] | null> {
    const key = `endpoints:${svc.clusterId}:${svc.namespace}:${svc.name}`;
    return memo(ctx, key, async () => {
      try {
        const obj = await kubeClient(ctx).get(
          svc.clusterId,
          R.endpoints,
          svc.namespace ?? '',
          svc.name,
        );
        return endpointsOf(obj);
      } catch (err) {
        if (!(isKubeApiError(err) && err.kubeCode === 'NOT_FOUND')) return null;
      }
      // No Endpoints object (yet, or no endpoints controller): the pods the selector picks.
      if (Object.keys(svc.selector).length === 0) return [];
      try {
        const pods = await listAll(ctx, svc.clusterId, R.pods, { namespace: svc.namespace ?? '' });
        return endpointsFromPods(pods, svc.selector);
      } catch {
        return null;
      }
    });
  }
}
