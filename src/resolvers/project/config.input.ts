import { Field, ID, InputType, Int } from 'type-graphql';
import { JSONScalar } from '../cluster/json.scalar.js';

@InputType({ description: 'Names one namespaced object.' })
export class ObjectRefInput {
  @Field(() => ID)
  clusterId!: string;

  @Field()
  namespace!: string;

  @Field()
  name!: string;
}

@InputType()
export class ServicePortInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Int)
  port!: number;

  @Field(() => String, {
    nullable: true,
    description: 'A number or a named container port; default the port.',
  })
  targetPort?: string | null;

  @Field(() => String, { nullable: true })
  protocol?: string | null;

  @Field(() => Int, { nullable: true })
  nodePort?: number | null;
}

@InputType()
export class ServiceInput extends ObjectRefInput {
  @Field(() => String, {
    nullable: true,
    description: 'ClusterIP (default), NodePort, LoadBalancer.',
  })
  type?: string | null;

  @Field(() => [ServicePortInput])
  ports!: ServicePortInput[];

  @Field(() => JSONScalar, { nullable: true })
  selector?: unknown;

  @Field(() => JSONScalar, { nullable: true })
  labels?: unknown;
}

@InputType()
export class IngressPathInput {
  @Field(() => String, { nullable: true })
  path?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Prefix (default), Exact, ImplementationSpecific.',
  })
  pathType?: string | null;

  @Field()
  serviceName!: string;

  @Field({ description: 'Port number or name.' })
  servicePort!: string;
}

@InputType()
export class IngressRuleInput {
  @Field(() => String, { nullable: true })
  host?: string | null;

  @Field(() => [IngressPathInput])
  paths!: IngressPathInput[];
}

@InputType()
export class IngressTlsInput {
  @Field(() => [String])
  hosts!: string[];

  @Field(() => String, { nullable: true })
  secretName?: string | null;
}

@InputType()
export class IngressInput extends ObjectRefInput {
  @Field(() => String, { nullable: true })
  ingressClassName?: string | null;

  @Field(() => [IngressRuleInput])
  rules!: IngressRuleInput[];

  @Field(() => [IngressTlsInput], { nullable: true })
  tls?: IngressTlsInput[] | null;

  @Field(() => JSONScalar, { nullable: true })
  labels?: unknown;
}

@InputType()
export class PersistentVolumeClaimInput extends ObjectRefInput {
  @Field({ description: 'Requested size, e.g. `10Gi` (an update may only grow it).' })
  storage!: string;

  @Field(() => String, { nullable: true })
  storageClassName?: string | null;

  @Field(() => [String], { nullable: true, description: 'Default [ReadWriteOnce].' })
  accessModes?: string[] | null;
}

@InputType()
export class ConfigMapInput extends ObjectRefInput {
  @Field(() => JSONScalar, { description: 'Text values by key.' })
  data!: unknown;

  @Field(() => JSONScalar, { nullable: true })
  labels?: unknown;
}

@InputType()
export class SecretInput extends ObjectRefInput {
  @Field(() => String, { nullable: true, description: 'Default Opaque.' })
  type?: string | null;

  @Field(() => JSONScalar, { description: 'Plain text values by key (Paddock encodes them).' })
  data!: unknown;

  @Field(() => JSONScalar, { nullable: true })
  labels?: unknown;
}

@InputType()
export class RegistryLoginInput {
  @Field()
  server!: string;

  @Field()
  username!: string;

  @Field()
  password!: string;

  @Field(() => String, { nullable: true })
  email?: string | null;
}

@InputType()
export class RegistryCredentialInput extends ObjectRefInput {
  @Field(() => [RegistryLoginInput])
  registries!: RegistryLoginInput[];
}

@InputType()
export class CertificateInput extends ObjectRefInput {
  @Field({ description: 'PEM: the certificate, then its chain.' })
  certificatePem!: string;

  @Field({ description: 'PEM private key matching the certificate (stored, never returned).' })
  privateKeyPem!: string;
}
