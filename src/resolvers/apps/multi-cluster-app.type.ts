import { Field, ID, Int, ObjectType } from 'type-graphql';
import type {
  MultiClusterAppState,
  MultiClusterAppView,
  TargetState,
} from '../../domain/multi-cluster-apps.js';
import { JSONScalar } from '../cluster/json.scalar.js';
import { MultiClusterAppStateEnum, TargetStateEnum } from './apps-enums.js';
import { dateOf } from './apps-ports.js';

@ObjectType()
export class RolloutStrategy {
  @Field(() => Int, { description: 'Targets changed at once.' })
  batchSize!: number;

  @Field(() => Int, { description: 'Wait between batches.' })
  pauseSeconds!: number;

  @Field({ description: 'A failed target stops the rest of the rollout until the next attempt.' })
  stopOnFailure!: boolean;
}

@ObjectType({ description: 'One cluster/namespace a multi-cluster app runs in.' })
export class MultiClusterAppTarget {
  @Field(() => ID)
  clusterId!: string;

  @Field(() => ID)
  projectId!: string;

  @Field()
  namespace!: string;

  @Field(() => JSONScalar, { description: "Overrides merged over the app's values." })
  values!: unknown;

  @Field(() => TargetStateEnum)
  state!: TargetState;

  @Field(() => String, { nullable: true, description: 'Why it failed or drifted.' })
  message!: string | null;

  @Field(() => Int, { nullable: true })
  releaseRevision!: number | null;

  @Field(() => String, { nullable: true })
  chartVersion!: string | null;

  @Field(() => Int, { nullable: true, description: "The app's spec revision the target runs." })
  specRevision!: number | null;

  @Field(() => Date, { nullable: true })
  updatedAt!: Date | null;
}

@ObjectType()
export class MultiClusterAppTargetRef {
  @Field(() => ID)
  clusterId!: string;

  @Field()
  namespace!: string;
}

@ObjectType({ description: 'A past spec, for rolling every target back to it.' })
export class MultiClusterAppRevision {
  @Field(() => Int)
  revision!: number;

  @Field()
  version!: string;

  @Field(() => JSONScalar)
  values!: unknown;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => ID)
  createdBy!: string;
}

@ObjectType({ description: 'One chart deployed as the same release to several clusters.' })
export class MultiClusterApp {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Also the Helm release name in every target.' })
  name!: string;

  @Field(() => ID)
  catalogId!: string;

  @Field()
  chart!: string;

  @Field()
  version!: string;

  @Field(() => JSONScalar)
  values!: unknown;

  @Field(() => RolloutStrategy)
  rollout!: RolloutStrategy;

  @Field(() => [MultiClusterAppTarget])
  targets!: MultiClusterAppTarget[];

  @Field(() => [MultiClusterAppTargetRef], {
    description: 'Removed targets still being uninstalled.',
  })
  removing!: MultiClusterAppTargetRef[];

  @Field(() => ID, { description: 'The user whose current rights the controller acts with.' })
  ownerId!: string;

  @Field(() => MultiClusterAppStateEnum)
  state!: MultiClusterAppState;

  @Field(() => String, { nullable: true })
  stateMessage!: string | null;

  @Field(() => Int)
  specRevision!: number;

  @Field(() => [MultiClusterAppRevision])
  revisions!: MultiClusterAppRevision[];

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

export function toMultiClusterApp(v: MultiClusterAppView): MultiClusterApp {
  return {
    id: v.id,
    name: v.name,
    catalogId: v.catalogId,
    chart: v.chart,
    version: v.version,
    values: v.values,
    rollout: { ...v.rollout },
    targets: v.targets.map((t) => ({
      clusterId: t.clusterId,
      projectId: t.projectId,
      namespace: t.namespace,
      values: t.values,
      state: t.state,
      message: t.message ?? null,
      releaseRevision: t.releaseRevision ?? null,
      chartVersion: t.chartVersion ?? null,
      specRevision: t.specRevision ?? null,
      updatedAt: dateOf(t.updatedAt),
    })),
    removing: v.removing.map((t) => ({ clusterId: t.clusterId, namespace: t.namespace })),
    ownerId: v.ownerId,
    state: v.state,
    stateMessage: v.stateMessage ?? null,
    specRevision: v.specRevision,
    revisions: v.revisions.map((r) => ({ ...r, createdAt: new Date(r.createdAt) })),
    createdAt: new Date(v.createdAt),
    updatedAt: new Date(v.updatedAt),
  };
}
