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
import { requireIdentity } from '../auth-checker.js';
import type { EventChannel } from '../cluster/event-channel.js';
import { JSONScalar } from '../cluster/json.scalar.js';
import { kubeClient, visibleCluster } from '../cluster/kube-access.js';
import { boundedStream } from '../cluster/subscription-limits.js';
import type { GraphQLContext } from '../context.js';
import { SharedWatchHub } from './shared-watch.js';

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

/** A one-object list: the cheapest question that tells whether the caller may list the kind. */
function listFrom(t: Target) {
  return t.kube.list(t.clusterId, t.resource, {
    ...(t.namespace ? { namespace: t.namespace } : {}),
    ...(t.labelSelector ? { labelSelector: t.labelSelector } : {}),
    limit: 1,
  });
}

/** Subscriptions with the same caller identity and target share one downstream watch. */
const hub = new SharedWatchHub();

function shareKey(ctx: GraphQLContext, t: Target): string {
  const identity = requireIdentity(ctx);
  // Exactly what the impersonation headers carry, so shared answers are the same answers.
  const who = [identity.userId, identity.username, ...[...identity.principalIds].sort()];
  const what = [t.clusterId, t.resource.group, t.resource.version, t.resource.resource];
  return JSON.stringify([who, what, t.namespace ?? '', t.labelSelector ?? '']);
}

async function follow(
  ctx: GraphQLContext,
  t: Target,
  sendInitial: boolean,
  channel: EventChannel<ResourceChange>,
  signal: AbortSignal,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const shared = hub.watch(shareKey(ctx, t), t);
    await shared.ready;
    if (shared.stopped && attempt < 3) continue;
    await new Promise<void>((resolve, reject) => {
      const { snapshot, leave } = shared.join({
        event: (type, obj) => channel.push(changeOf(t, type, obj)),
        failed: (err) => reject(err),
      });
      if (sendInitial) for (const obj of snapshot) channel.push(changeOf(t, 'ADDED', obj));
      const done = () => {
        leave();
        resolve();
      };
      if (signal.aborted) done();
      else signal.addEventListener('abort', done, { once: true });
    });
    return;
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
      // Asked of the downstream for every subscriber, even one joining a running shared
      // watch, so a caller who lost access gets the error at subscribe time.
      await listFrom(target);
      return boundedStream<ResourceChange>(ctx, (channel, signal) =>
        follow(ctx, target, args.sendInitial === true, channel, signal),
      );
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
