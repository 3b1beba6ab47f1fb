import { Field, Int, ObjectType } from 'type-graphql';
import type { KubeObject } from '../../domain/kube-api.js';
import { Condition, conditionsOf } from '../cluster/common.type.js';
import { JSONScalar } from '../cluster/json.scalar.js';
import { baseOf, KubeObjectBase, kubeListType } from '../cluster/kube-object.type.js';

@ObjectType()
export class ContainerPort {
  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => Int)
  containerPort!: number;

  @Field()
  protocol!: string;
}

@ObjectType()
export class Container {
  @Field()
  name!: string;

  @Field()
  image!: string;

  @Field({ description: 'An init container.' })
  init!: boolean;

  @Field()
  ready!: boolean;

  @Field(() => Int)
  restartCount!: number;

  @Field({ description: '`running`, `waiting`, `terminated` or `unknown`.' })
  state!: string;

  @Field(() => String, { nullable: true, description: 'Why it waits or terminated.' })
  reason!: string | null;

  @Field(() => [ContainerPort])
  ports!: ContainerPort[];

  @Field(() => JSONScalar)
  requests!: Record<string, string>;

  @Field(() => JSONScalar)
  limits!: Record<string, string>;
}

@ObjectType({ implements: KubeObjectBase })
export class Pod extends KubeObjectBase {
  @Field(() => String, { nullable: true })
  phase!: string | null;

  @Field({ description: 'The Ready condition is True.' })
  ready!: boolean;

  @Field(() => Int, { description: 'Restarts of all its containers.' })
  restarts!: number;

  @Field(() => String, { nullable: true })
  nodeName!: string | null;

  @Field(() => String, { nullable: true })
  podIP!: string | null;

  @Field(() => String, { nullable: true })
  hostIP!: string | null;

  @Field(() => Date, { nullable: true })
  startTime!: Date | null;

  @Field(() => String, { nullable: true })
  qosClass!: string | null;

  @Field(() => String, { nullable: true, description: 'Kind of its controller.' })
  ownerKind!: string | null;

  @Field(() => String, { nullable: true })
  ownerName!: string | null;

  @Field(() => [Container])
  containers!: Container[];

  @Field(() => [Condition])
  conditions!: Condition[];
}

export const PodList = kubeListType(Pod, 'PodList');

interface SpecContainer {
  name?: string;
  image?: string;
  ports?: { name?: string; containerPort?: number; protocol?: string }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface ContainerStatus {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  state?: Record<string, { reason?: string } | undefined>;
}

export function toPod(clusterId: string, obj: KubeObject): Pod {
  const spec = (obj.spec ?? {}) as {
    containers?: SpecContainer[];
    initContainers?: SpecContainer[];
    nodeName?: string;
  };
  const status = (obj.status ?? {}) as {
    phase?: string;
    podIP?: string;
    hostIP?: string;
    startTime?: string;
    qosClass?: string;
    conditions?: unknown;
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
  const statuses = new Map(
    [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? [])].map((s) => [
      s.name,
      s,
    ]),
  );
  const container = (c: SpecContainer, init: boolean): Container => {
    const s = statuses.get(c.name);
    const stateName = s?.state ? (Object.keys(s.state)[0] ?? 'unknown') : 'unknown';
    return {
      name: c.name ?? '',
      image: c.image ?? '',
      init,
      ready: s?.ready === true,
      restartCount: s?.restartCount ?? 0,
      state: stateName,
      reason: s?.state?.[stateName]?.reason ?? null,
      ports: (c.ports ?? []).map((p) => ({
        name: p.name ?? null,
        containerPort: p.containerPort ?? 0,
        protocol: p.protocol ?? 'TCP',
      })),
      requests: c.resources?.requests ?? {},
      limits: c.resources?.limits ?? {},
    };
  };
  const containers = [
    ...(spec.initContainers ?? []).map((c) => container(c, true)),
    ...(spec.containers ?? []).map((c) => container(c, false)),
  ];
  const conditions = conditionsOf(status.conditions);
  const owner = obj.metadata.ownerReferences?.[0];
  return Object.assign(new Pod(), {
    ...baseOf(clusterId, obj),
    phase: status.phase ?? null,
    ready: conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
    restarts: containers.reduce((n, c) => n + c.restartCount, 0),
    nodeName: spec.nodeName ?? null,
    podIP: status.podIP ?? null,
    hostIP: status.hostIP ?? null,
    startTime: status.startTime ? new Date(status.startTime) : null,
    qosClass: status.qosClass ?? null,
    ownerKind: owner?.kind ?? null,
    ownerName: owner?.name ?? null,
    containers,
    conditions,
  });
}
