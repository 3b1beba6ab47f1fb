/**
 * `fleetChanges`: the changes of one kind across every visible cluster, fed by the fleet
 * index, so however many callers subscribe there is one watch per cluster and kind (the
 * index's). Each change is checked at the moment it happens against the caller's `watch`
 * rights in its cluster, from that cluster's own RBAC, and against the filter; an update that
 * moves an object into or out of what the caller sees arrives as ADDED or DELETED, as a
 * filtered watch reports it.
 */
import { Arg, Resolver, Root, Subscription } from 'type-graphql';
import type { FleetChange } from '../../domain/fleet-index.js';
import type { KubeResource } from '../../domain/kube-api.js';
import { PaddockError } from '../../errors/index.js';
import { requireIdentity } from '../auth-checker.js';
import type { GraphQLContext } from '../context.js';
import { ResourceChange } from '../project/resource-change.subscription.js';
import { fleetFilterOf } from './fleet-list.js';
import { targetClusters } from './kube-access.js';
import { KubeFilter } from './kube-filter.input.js';
import { R } from './kube-resources.js';
import { boundedStream } from './subscription-limits.js';

const apiVersionOf = (r: KubeResource) => (r.group === '' ? r.version : `${r.group}/${r.version}`);

function builtinKind(apiVersion: string, kind: string): KubeResource | undefined {
  return Object.values(R).find(
    (r: KubeResource) => r.kind === kind && apiVersionOf(r) === apiVersion,
  );
}

function changeOf(resource: KubeResource, change: FleetChange): ResourceChange {
  const apiVersion = apiVersionOf(resource);
  const o = change.object;
  return {
    type: change.type,
    clusterId: change.clusterId,
    apiVersion,
    kind: resource.kind ?? '',
    namespace: o.metadata.namespace ?? null,
    name: o.metadata.name ?? '',
    resourceVersion: o.metadata.resourceVersion ?? null,
    object: { apiVersion, kind: resource.kind, ...o },
  };
}

@Resolver()
export class FleetChangesSubscriptionResolver {
  @Subscription(() => ResourceChange, {
    description:
      'Changes of one kind across the fleet from the fleet index, each checked against the caller’s watch rights in its cluster. Clusters the index cannot decide for send nothing until it can.',
    subscribe: async ({ args, context }) => {
      const ctx = context as GraphQLContext;
      const identity = requireIdentity(ctx);
      const index = ctx.ports.fleetIndex;
      const resource = builtinKind(args.apiVersion as string, args.kind as string);
      if (index === undefined || resource === undefined || !index.serves(resource)) {
        throw new PaddockError(
          'VALIDATION_FAILED',
          `the fleet index does not follow ${args.kind} (${args.apiVersion})`,
          { reason: 'needs_fleet_index' },
        );
      }
      const filter = (args.filter ?? null) as KubeFilter | null;
      const targets = (await targetClusters(ctx, filter)).map((c) => c.id);
      const request = {
        resource,
        clusterIds: targets,
        filter: fleetFilterOf(filter, !resource.namespaced && resource.resource !== 'namespaces'),
      };
      return boundedStream<ResourceChange>(
        ctx,
        (channel, signal) =>
          new Promise<void>((resolve) => {
            const sub = index.changes(identity, request, (change) =>
              channel.push(changeOf(resource, change)),
            );
            const done = () => {
              sub.stop();
              resolve();
            };
            if (signal.aborted) done();
            else signal.addEventListener('abort', done, { once: true });
          }),
      );
    },
  })
  fleetChanges(
    @Root() change: ResourceChange,
    @Arg('apiVersion') _apiVersion: string,
    @Arg('kind') _kind: string,
    @Arg('filter', () => KubeFilter, { nullable: true }) _filter: KubeFilter | null | undefined,
  ): ResourceChange {
    return change;
  }
}
