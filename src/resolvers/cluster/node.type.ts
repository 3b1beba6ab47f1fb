import { Field, ObjectType } from 'type-graphql';
import type { KubeObject } from '../../domain/kube-api.js';
import { totalsOf } from '../../rbac/resource-totals.js';
import { Condition, conditionsOf, ResourceTotals } from './common.type.js';
import { baseOf, KubeObjectBase, kubeListType } from './kube-object.type.js';

@ObjectType()
export class Taint {
  @Field()
  key!: string;

  @Field(() => String, { nullable: true })
  value!: string | null;

  @Field()
  effect!: string;
}

@ObjectType()
export class NodeAddress {
  @Field()
  type!: string;

  @Field()
  address!: string;
}

@ObjectType({ implements: KubeObjectBase, description: 'A node of a downstream cluster.' })
export class Node extends KubeObjectBase {
  @Field(() => [String], { description: 'From `node-role.kubernetes.io/<role>` labels.' })
  roles!: string[];

  @Field({ description: 'The Ready condition is True.' })
  ready!: boolean;

  @Field()
  unschedulable!: boolean;

  @Field(() => [Condition])
  conditions!: Condition[];

  @Field(() => [Taint])
  taints!: Taint[];

  @Field(() => [NodeAddress])
  addresses!: NodeAddress[];

  @Field(() => String, { nullable: true })
  kubeletVersion!: string | null;

  @Field(() => String, { nullable: true })
  osImage!: string | null;

  @Field(() => String, { nullable: true })
  containerRuntimeVersion!: string | null;

  @Field(() => String, { nullable: true })
  architecture!: string | null;

  @Field(() => ResourceTotals)
  capacity!: ResourceTotals;

  @Field(() => ResourceTotals)
  allocatable!: ResourceTotals;
}

export const NodeList = kubeListType(Node, 'NodeList');

interface NodeStatus {
  conditions?: unknown;
  addresses?: { type?: string; address?: string }[];
  nodeInfo?: {
    kubeletVersion?: string;
    osImage?: string;
    containerRuntimeVersion?: string;
    architecture?: string;
  };
  capacity?: unknown;
  allocatable?: unknown;
}

export function toNode(clusterId: string, obj: KubeObject): Node {
  const spec = (obj.spec ?? {}) as {
    unschedulable?: boolean;
    taints?: { key?: string; value?: string; effect?: string }[];
  };
  const status = (obj.status ?? {}) as NodeStatus;
  const labels = obj.metadata.labels ?? {};
  const roles = Object.keys(labels)
    .filter((l) => l.startsWith('node-role.kubernetes.io/'))
    .map((l) => l.slice('node-role.kubernetes.io/'.length))
    .filter((r) => r !== '');
  if (labels['kubernetes.io/role'] && !roles.includes(labels['kubernetes.io/role'])) {
    roles.push(labels['kubernetes.io/role']);
  }
  const conditions = conditionsOf(status.conditions);
  return Object.assign(new Node(), {
    ...baseOf(clusterId, obj),
    roles: roles.sort(),
    ready: conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
    unschedulable: spec.unschedulable === true,
    conditions,
    taints: (spec.taints ?? []).map((t) => ({
      key: t.key ?? '',
      value: t.value ?? null,
      effect: t.effect ?? '',
    })),
    addresses: (status.addresses ?? []).map((a) => ({
      type: a.type ?? '',
      address: a.address ?? '',
    })),
    kubeletVersion: status.nodeInfo?.kubeletVersion ?? null,
    osImage: status.nodeInfo?.osImage ?? null,
    containerRuntimeVersion: status.nodeInfo?.containerRuntimeVersion ?? null,
    architecture: status.nodeInfo?.architecture ?? null,
    capacity: totalsOf(status.capacity),
    allocatable: totalsOf(status.allocatable),
  });
}
