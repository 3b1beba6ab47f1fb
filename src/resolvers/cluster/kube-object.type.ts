/** Fields every Kubernetes object shows, and the list shape of every cross-cluster read. */
import type { ClassType } from 'type-graphql';
import { Field, ID, InterfaceType, ObjectType } from 'type-graphql';
import type { KubeObject } from '../../domain/kube-api.js';
import { ClusterError } from '../cluster-error.type.js';
import { PageInfo } from '../page-info.type.js';
import { ClusterSource, KubeFacets } from './fleet-list.type.js';
import { JSONScalar } from './json.scalar.js';

@InterfaceType('KubernetesObject', {
  description: 'What every Kubernetes object shows, whichever cluster it lives in.',
})
export abstract class KubeObjectBase {
  @Field(() => ID, { description: '`<clusterId>/<namespace>/<name>`, unique across clusters.' })
  id!: string;

  @Field(() => ID)
  clusterId!: string;

  @Field(() => String, { nullable: true })
  namespace!: string | null;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  uid!: string | null;

  @Field(() => JSONScalar)
  labels!: Record<string, string>;

  @Field(() => JSONScalar)
  annotations!: Record<string, string>;

  @Field(() => String, { nullable: true })
  resourceVersion!: string | null;

  @Field(() => Date, { nullable: true })
  createdAt!: Date | null;
}

/** The common fields of `obj` read from `clusterId`. */
export function baseOf(clusterId: string, obj: KubeObject): KubeBase {
  const m = obj.metadata ?? {};
  const name = m.name ?? '';
  const namespace = m.namespace ?? null;
  return {
    id: namespace === null ? `${clusterId}/${name}` : `${clusterId}/${namespace}/${name}`,
    clusterId,
    namespace,
    name,
    uid: m.uid ?? null,
    labels: m.labels ?? {},
    annotations: m.annotations ?? {},
    resourceVersion: m.resourceVersion ?? null,
    createdAt: m.creationTimestamp ? new Date(m.creationTimestamp) : null,
  };
}

/** The plain fields of `KubeObjectBase`. */
export type KubeBase = Pick<
  KubeObjectBase,
  | 'id'
  | 'clusterId'
  | 'namespace'
  | 'name'
  | 'uid'
  | 'labels'
  | 'annotations'
  | 'resourceVersion'
  | 'createdAt'
>;

export interface KubeListShape<T> {
  items: T[];
  pageInfo: PageInfo;
  clusterErrors: ClusterError[];
  /** Set when the fleet index answered (facets need every match the caller may see). */
  facets?: KubeFacets | null;
  sources?: ClusterSource[];
}

/** `<Name>List { items, pageInfo, clusterErrors }` for one item type. */
export function kubeListType<T extends object>(
  item: ClassType<T>,
  name: string,
): ClassType<KubeListShape<T>> {
  @ObjectType(name, {
    description: `A page of ${item.name} objects across clusters, with the clusters that could not answer.`,
  })
  class KubeListOf implements KubeListShape<T> {
    @Field(() => [item])
    items!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => [ClusterError])
    clusterErrors!: ClusterError[];

    @Field(() => KubeFacets, {
      nullable: true,
      description: 'Counts over all matches the caller may see; null when the list was read live.',
    })
    facets?: KubeFacets | null;

    @Field(() => [ClusterSource], {
      description:
        "Per cluster: whether the fleet index or a live read answered, and the index's age.",
    })
    sources?: ClusterSource[];
  }
  return KubeListOf;
}
