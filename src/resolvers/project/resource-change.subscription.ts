/**
 * `resourceChanges`: the changes of one kind in one cluster (optionally one namespace), from a
 * downstream watch made as the caller, so a subscriber sees exactly the events `kubectl get -w`
 * would show it. The watch resumes from the last resourceVersion when the server ends it and
 * relists when that version is gone.
 */
import {
  Arg,
  Field,
  ID,
  ObjectType,
  Resolver,
  Root,
  registerEnumType,
  Subscription,
} from 'type-graphql';
import type { KubeClient, KubeObject, KubeResource } from '../../domain/kube-api.js';
import { isKubeApiError } from '../../domain/kube-api.js';
import type { EventChannel } from '../cluster/event-channel.js';
import { JSONScalar } from '../cluster/json.scalar.js';
import { kubeClient, visibleCluster } from '../cluster/kube-access.js';
import { boundedStream } from '../cluster/subscription-limits.js';
import type { GraphQLContext } from '../context.js';

export const ChangeTypeEnum = { ADDED: 'ADDED', MODIFIED: 'MODIFIED', DELETED: 'DELETED' } as const;
export type ChangeType = (typeof ChangeTypeEnum)[keyof typeof ChangeTypeEnum];
registerEnumType(ChangeTypeEnum, { name: 'ChangeType' });

@ObjectType({
  description: 'One change of a Kubernetes object, as a downstream watch reported it.',
})
export class ResourceChange {
  @Field(() => ChangeTypeEnum)
  type!: ChangeType;

  @Field(() => ID)
  clusterId!: string;

  @Field()
  apiVersion!: string;

  @Field()
  kind!: string;

  @Field(() => String, { nullable: true })
  namespace!: string | null;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  resourceVersion!: string | null;

  @Field(() => JSONScalar, { description: 'The object after the change (before it, for DELETED).' })
  object!: unknown;
}

interface Target {
  readonly kube: KubeClient;
  readonly clusterId: string;
  readonly apiVersion: string;
  readonly resource: KubeResource;
  readonly namespace?: string;
  readonly labelSelector?: string;
}

function changeOf(t: Target, type: ChangeType, obj: KubeObject): ResourceChange {
  return {
    type,
    clusterId: t.clusterId,
    apiVersion: t.apiVersion,
    kind: t.resource.kind ?? '',
    namespace: obj.metadata.namespace ?? null,
    name: obj.metadata.name ?? '',
    resourceVersion: obj.metadata.resourceVersion ?? null,
    object: { apiVersion: t.apiVersion, kind: t.resource.kind, ...obj },
  };
}

async function listFrom(t: Target, signal?: AbortSignal, all = false) {
  const list = await t.kube.list(t.clusterId, t.resource, {
    ...(t.namespace ? { namespace: t.namespace } : {}),
    ...(t.labelSelector ? { labelSelector: t.labelSelector } : {}),
    ...(all ? {} : { limit: 1 }),
    ...(signal ? { signal } : {}),
  });
  return list;
}

async function pump(
  t: Target,
  rv: string,
  channel: EventChannel<ResourceChange>,
  signal: AbortSignal,
) {
  let version = rv;
  while (!signal.aborted) {
    try {
      for await (const event of t.kube.watch(t.clusterId, t.resource, {
        ...(t.namespace ? { namespace: t.namespace } : {}),
        ...(t.labelSelector ? { labelSelector: t.labelSelector } : {}),
        resourceVersion: version,
        signal,
      })) {
        version = event.object.metadata.resourceVersion ?? version;
        if (event.type !== 'BOOKMARK') channel.push(changeOf(t, event.type, event.object));
      }
    } catch (err) {
      if (signal.aborted) return;
      if (!(isKubeApiError(err) && err.kubeCode === 'GONE')) throw err;
      // Too old to resume: start again from now (changes in between are not replayed).
      version = (await listFrom(t, signal)).resourceVersion;
    }
  }
}

@Resolver()
export class ResourceChangeSubscriptionResolver {
  @Subscription(() => ResourceChange, {
    description:
      'Changes of one kind in one cluster (optionally one namespace and label selector), watched as the caller. With `sendInitial`, the current objects come first as ADDED.',
    subscribe: async ({ args, context }) => {
      const ctx = context as GraphQLContext;
      const clusterId = args.clusterId as string;
      await visibleCluster(ctx, clusterId);
      const kube = kubeClient(ctx);
      const apiVersion = args.apiVersion as string;
      const resource = await kube.resolveKind(clusterId, apiVersion, args.kind as string);
      const target: Target = {
        kube,
        clusterId,
        apiVersion,
        resource,
        ...(args.namespace ? { namespace: args.namespace as string } : {}),
        ...(args.labelSelector ? { labelSelector: args.labelSelector as string } : {}),
      };
      // Read before the stream opens, so a forbidden caller gets the error at subscribe time.
      const initial = await listFrom(target, undefined, args.sendInitial === true);
      return boundedStream<ResourceChange>(ctx, async (channel, signal) => {
        if (args.sendInitial === true) {
          for (const obj of initial.items) channel.push(changeOf(target, 'ADDED', obj));
        }
        await pump(target, initial.resourceVersion, channel, signal);
      });
    },
  })
  resourceChanges(
    @Root() change: ResourceChange,
    @Arg('clusterId', () => ID) _clusterId: string,
    @Arg('apiVersion') _apiVersion: string,
    @Arg('kind') _kind: string,
    @Arg('namespace', () => String, { nullable: true }) _namespace: string | null | undefined,
    @Arg('labelSelector', () => String, { nullable: true }) _labelSelector:
      | string
      | null
      | undefined,
    @Arg('sendInitial', () => Boolean, { nullable: true }) _sendInitial: boolean | null | undefined,
  ): ResourceChange {
    return change;
  }
}
