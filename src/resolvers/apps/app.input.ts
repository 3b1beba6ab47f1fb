import { Field, ID, InputType, Int } from 'type-graphql';
import { JSONScalar } from '../cluster/json.scalar.js';

@InputType()
export class AppFilterInput {
  @Field(() => [ID], { nullable: true })
  clusterIds?: string[];

  @Field(() => [String], { nullable: true })
  namespaces?: string[];

  @Field(() => [ID], { nullable: true, description: '`<clusterId>:<projectId>` references.' })
  projectIds?: string[];
}

@InputType()
export class InstallAppInput {
  @Field(() => ID)
  clusterId!: string;

  @Field()
  namespace!: string;

  @Field({ description: 'The Helm release name.' })
  name!: string;

  @Field(() => ID)
  catalogId!: string;

  @Field()
  chart!: string;

  @Field(() => String, { nullable: true, description: 'The newest stable version when absent.' })
  version?: string;

  @Field(() => String, { nullable: true, description: 'Values as YAML (or give `values`).' })
  valuesYaml?: string;

  @Field(() => JSONScalar, {
    nullable: true,
    description: 'Values as JSON (or give `valuesYaml`).',
  })
  values?: unknown;

  @Field(() => Boolean, { nullable: true, description: 'Wait for readiness (default true).' })
  wait?: boolean;

  @Field(() => Int, { nullable: true })
  timeoutSeconds?: number;
}

@InputType()
export class UpgradeAppInput {
  @Field(() => ID)
  clusterId!: string;

  @Field()
  namespace!: string;

  @Field()
  name!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Defaults to the catalog it was installed from.',
  })
  catalogId?: string;

  @Field(() => String, { nullable: true })
  chart?: string;

  @Field(() => String, { nullable: true, description: 'Defaults to the current chart version.' })
  version?: string;

  @Field(() => String, { nullable: true, description: "Replaces the release's values." })
  valuesYaml?: string;

  @Field(() => JSONScalar, { nullable: true, description: "Replaces the release's values." })
  values?: unknown;

  @Field(() => Boolean, { nullable: true })
  wait?: boolean;

  @Field(() => Int, { nullable: true })
  timeoutSeconds?: number;
}

@InputType()
export class AppRefInput {
  @Field(() => ID)
  clusterId!: string;

  @Field()
  namespace!: string;

  @Field()
  name!: string;
}

/** The values of an input as the domain takes them. */
export function valuesOf(input: { valuesYaml?: string | null; values?: unknown }) {
  if (input.valuesYaml !== undefined && input.valuesYaml !== null) {
    return input.values === undefined || input.values === null
      ? { yaml: input.valuesYaml }
      : { yaml: input.valuesYaml, json: input.values };
  }
  if (input.values !== undefined && input.values !== null) return { json: input.values };
  return undefined;
}
