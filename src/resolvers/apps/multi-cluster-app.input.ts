import { Field, ID, InputType, Int } from 'type-graphql';
import { JSONScalar } from '../cluster/json.scalar.js';

@InputType()
export class RolloutInput {
  @Field(() => Int, { nullable: true })
  batchSize?: number;

  @Field(() => Int, { nullable: true })
  pauseSeconds?: number;

  @Field(() => Boolean, { nullable: true })
  stopOnFailure?: boolean;
}

@InputType()
export class MultiClusterAppTargetInput {
  @Field(() => ID)
  clusterId!: string;

  @Field(() => ID, {
    description: 'The project the namespace belongs to (`p-…` or `<cluster>:p-…`).',
  })
  projectId!: string;

  @Field()
  namespace!: string;

  @Field(() => String, { nullable: true })
  valuesYaml?: string;

  @Field(() => JSONScalar, { nullable: true })
  values?: unknown;
}

@InputType()
export class MultiClusterAppTargetRefInput {
  @Field(() => ID)
  clusterId!: string;

  @Field()
  namespace!: string;
}

@InputType()
export class CreateMultiClusterAppInput {
  @Field({ description: 'Also the Helm release name in every target.' })
  name!: string;

  @Field(() => ID)
  catalogId!: string;

  @Field()
  chart!: string;

  @Field(() => String, { nullable: true })
  version?: string;

  @Field(() => String, { nullable: true })
  valuesYaml?: string;

  @Field(() => JSONScalar, { nullable: true })
  values?: unknown;

  @Field(() => [MultiClusterAppTargetInput])
  targets!: MultiClusterAppTargetInput[];

  @Field(() => RolloutInput, { nullable: true })
  rollout?: RolloutInput;
}

@InputType({ description: 'An upgrade of every target: version and/or values, or the rollout.' })
export class UpdateMultiClusterAppInput {
  @Field(() => String, { nullable: true })
  version?: string;

  @Field(() => String, { nullable: true })
  valuesYaml?: string;

  @Field(() => JSONScalar, { nullable: true })
  values?: unknown;

  @Field(() => RolloutInput, { nullable: true })
  rollout?: RolloutInput;
}
