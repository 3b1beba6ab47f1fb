import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ClusterImportMethod, ClusterState, ClusterSummary } from '../domain/cluster.js';
import { ClusterError } from './cluster-error.type.js';
import { ClusterImportMethodEnum, ClusterStateEnum } from './enums.js';
import { PageInfo } from './page-info.type.js';

@ObjectType({
  description: "The last background health probe of a cluster, served from Paddock's memory.",
})
export class ClusterHealth {
  @Field(() => ClusterStateEnum)
  state!: ClusterState;

  @Field(() => Date, { nullable: true, description: 'When the probe ran; null before the first.' })
  checkedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Kubernetes `gitVersion`.' })
  kubernetesVersion!: string | null;

  @Field(() => Int, { nullable: true })
  nodeCount!: number | null;

  @Field(() => Int, { nullable: true })
  readyNodeCount!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the cluster is not active.' })
  message!: string | null;
}

@ObjectType({ description: 'A downstream Kubernetes cluster registered with Paddock.' })
export class Cluster {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  description!: string;

  @Field({ description: "The API server's base URL." })
  endpoint!: string;

  @Field(() => ClusterImportMethodEnum)
  importMethod!: ClusterImportMethod;

  @Field({ description: "Paddock does not verify the API server's certificate." })
  dangerouslySkipTlsVerify!: boolean;

  @Field(() => ClusterStateEnum)
  state!: ClusterState;

  @Field(() => ClusterHealth)
  health!: ClusterHealth;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType()
export class ClusterList {
  @Field(() => [Cluster])
  items!: Cluster[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;

  @Field(() => [ClusterError])
  clusterErrors!: ClusterError[];
}

export function toCluster(summary: ClusterSummary): Cluster {
  const h = summary.health;
  return {
    id: summary.id,
    name: summary.name,
    description: summary.description,
    endpoint: summary.endpoint,
    importMethod: summary.importMethod,
    dangerouslySkipTlsVerify: summary.dangerouslySkipTlsVerify,
    state: h.state,
    health: {
      state: h.state,
      checkedAt: h.checkedAt === undefined ? null : new Date(h.checkedAt),
      kubernetesVersion: h.version ?? null,
      nodeCount: h.nodesTotal ?? null,
      readyNodeCount: h.nodesReady ?? null,
      message: h.message ?? null,
    },
    createdAt: new Date(summary.createdAt),
    updatedAt: new Date(summary.updatedAt),
  };
}
