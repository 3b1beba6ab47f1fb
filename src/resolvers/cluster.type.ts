import { Field, ID, Int, ObjectType } from 'type-graphql';
import type {
  ClusterImportMethod,
  ClusterState,
  ClusterSummary,
  ClusterTransportKind,
} from '../domain/cluster.js';
import { ClusterError } from './cluster-error.type.js';
import { ClusterImportMethodEnum, ClusterStateEnum, ClusterTransportEnum } from './enums.js';
import { PageInfo } from './page-info.type.js';

@ObjectType({
  description:
    'The agent of a cluster reached through one, as the Paddock replica answering sees it.',
})
export class AgentHealth {
  @Field({ description: 'At least one agent tunnel can carry requests now.' })
  connected!: boolean;

  @Field(() => Int, { description: 'Agent tunnels open to this replica (one per agent replica).' })
  sessions!: number;

  @Field(() => Date, { nullable: true, description: 'Last sign of life from an agent.' })
  lastSeenAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The agent's version." })
  version!: string | null;
}

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

  @Field(() => AgentHealth, {
    nullable: true,
    description: 'Only for clusters reached by an agent.',
  })
  agent!: AgentHealth | null;
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

  @Field(() => ClusterTransportEnum)
  transport!: ClusterTransportKind;

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
    transport: summary.transport ?? 'direct',
    dangerouslySkipTlsVerify: summary.dangerouslySkipTlsVerify,
    state: h.state,
    health: {
      state: h.state,
      checkedAt: h.checkedAt === undefined ? null : new Date(h.checkedAt),
      kubernetesVersion: h.version ?? null,
      nodeCount: h.nodesTotal ?? null,
      readyNodeCount: h.nodesReady ?? null,
      message: h.message ?? null,
      agent:
        h.agent === undefined
          ? null
          : {
              connected: h.agent.connected,
              sessions: h.agent.sessions,
              lastSeenAt: h.agent.lastSeenAt === undefined ? null : new Date(h.agent.lastSeenAt),
              version: h.agent.version ?? null,
            },
    },
    createdAt: new Date(summary.createdAt),
    updatedAt: new Date(summary.updatedAt),
  };
}
