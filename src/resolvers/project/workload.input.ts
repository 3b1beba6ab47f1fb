import { Field, ID, InputType, Int } from 'type-graphql';
import { JSONScalar } from '../cluster/json.scalar.js';
import { type WorkloadKind, WorkloadKindEnum } from './workload.type.js';

@InputType({ description: 'A key of a config map or secret.' })
export class KeyRefInput {
  @Field()
  name!: string;

  @Field()
  key!: string;
}

@InputType({ description: 'An environment variable: a value, or a key of a config map or secret.' })
export class EnvVarInput {
  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  value?: string | null;

  @Field(() => KeyRefInput, { nullable: true })
  configMapKey?: KeyRefInput | null;

  @Field(() => KeyRefInput, { nullable: true })
  secretKey?: KeyRefInput | null;
}

@InputType()
export class ContainerPortInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Int)
  containerPort!: number;

  @Field(() => String, { nullable: true, description: 'TCP (default), UDP or SCTP.' })
  protocol?: string | null;
}

@InputType({ description: 'Quantities such as `{ cpu: "250m", memory: "256Mi" }`.' })
export class ResourcesInput {
  @Field(() => JSONScalar, { nullable: true })
  requests?: unknown;

  @Field(() => JSONScalar, { nullable: true })
  limits?: unknown;
}

@InputType({ description: 'A volume mounted into the container: exactly one source.' })
export class VolumeInput {
  @Field()
  name!: string;

  @Field()
  mountPath!: string;

  @Field(() => Boolean, { nullable: true })
  readOnly?: boolean | null;

  @Field(() => String, { nullable: true, description: 'A config map of the namespace.' })
  configMap?: string | null;

  @Field(() => String, { nullable: true, description: 'A secret of the namespace.' })
  secret?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'A persistent volume claim of the namespace.',
  })
  persistentVolumeClaim?: string | null;
}

@InputType({ description: 'A one-container workload to create, or to update when it exists.' })
export class DeployWorkloadInput {
  @Field(() => ID)
  clusterId!: string;

  @Field()
  namespace!: string;

  @Field()
  name!: string;

  @Field(() => WorkloadKindEnum, { nullable: true, description: 'Default DEPLOYMENT.' })
  kind?: WorkloadKind | null;

  @Field()
  image!: string;

  @Field(() => Int, { nullable: true, description: 'Default 1 (not for daemon sets).' })
  replicas?: number | null;

  @Field(() => [String], { nullable: true })
  command?: string[] | null;

  @Field(() => [String], { nullable: true })
  args?: string[] | null;

  @Field(() => [EnvVarInput], { nullable: true })
  env?: EnvVarInput[] | null;

  @Field(() => [ContainerPortInput], { nullable: true })
  ports?: ContainerPortInput[] | null;

  @Field(() => ResourcesInput, { nullable: true })
  resources?: ResourcesInput | null;

  @Field(() => [VolumeInput], { nullable: true })
  volumes?: VolumeInput[] | null;

  @Field(() => JSONScalar, {
    nullable: true,
    description: 'Extra labels of the workload and pods.',
  })
  labels?: unknown;

  @Field(() => String, { nullable: true, description: 'Cron jobs: the schedule.' })
  schedule?: string | null;
}

@InputType({ description: 'Names one workload.' })
export class WorkloadRefInput {
  @Field(() => ID)
  clusterId!: string;

  @Field()
  namespace!: string;

  @Field(() => WorkloadKindEnum)
  kind!: WorkloadKind;

  @Field()
  name!: string;
}
