import { Field, ID, InputType } from 'type-graphql';
import type { ClusterTransportKind } from '../../domain/cluster.js';
import { ClusterTransportEnum } from '../enums.js';
import { KubeconfigCredentialsEnum } from './admin-enums.js';

@InputType({
  description:
    'Either `endpoint` with both tokens (direct import) or `kubeconfig` with an optional `context`.',
})
export class ImportClusterInput {
  @Field(() => ID, { nullable: true, description: 'Defaults to a random `c-xxxxx`.' })
  id?: string | null;

  @Field(() => String, { nullable: true, description: 'Defaults to the kubeconfig context name.' })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'https URL of the API server.' })
  endpoint?: string | null;

  @Field(() => String, { nullable: true, description: "PEM of the API server's CA." })
  caPem?: string | null;

  @Field(() => String, { nullable: true })
  tlsServerName?: string | null;

  @Field(() => Boolean, { nullable: true })
  dangerouslySkipTlsVerify?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Token of the impersonator account.' })
  impersonatorToken?: string | null;

  @Field(() => String, { nullable: true, description: 'Token of the manager account.' })
  managerToken?: string | null;

  @Field(() => String, { nullable: true, description: 'Kubeconfig text (not a path).' })
  kubeconfig?: string | null;

  @Field(() => String, { nullable: true, description: 'Context; default its current context.' })
  context?: string | null;

  @Field(() => KubeconfigCredentialsEnum, { nullable: true })
  kubeconfigCredentials?: 'install' | 'context' | null;
}

@InputType()
export class CreateClusterImportInput {
  @Field(() => ID, { nullable: true, description: 'Defaults to a random `c-xxxxx`.' })
  id?: string | null;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => ClusterTransportEnum, {
    nullable: true,
    description:
      'AGENT: the manifest also runs paddock agent in the cluster, which dials Paddock (for clusters Paddock cannot reach) and completes the import itself; needs the server-url setting. Default DIRECT.',
  })
  transport?: ClusterTransportKind | null;
}

@InputType({ description: 'The import manifest was applied; where the cluster is.' })
export class CompleteClusterImportInput {
  @Field({ description: 'https URL of the API server.' })
  endpoint!: string;

  @Field(() => String, { nullable: true })
  caPem?: string | null;

  @Field(() => String, { nullable: true })
  tlsServerName?: string | null;

  @Field(() => Boolean, { nullable: true })
  dangerouslySkipTlsVerify?: boolean | null;

  @Field({
    description: 'A one-time token able to read the paddock-system token Secrets; never stored.',
  })
  bootstrapToken!: string;
}

@InputType()
export class UpdateClusterInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@InputType({
  description:
    'A new endpoint, CA and credentials for an imported cluster: both account tokens, or a one-time `bootstrapToken` that reads them from `paddock-system` again.',
})
export class UpdateClusterConnectionInput {
  @Field({ description: 'https URL of the API server.' })
  endpoint!: string;

  @Field(() => String, { nullable: true })
  caPem?: string | null;

  @Field(() => String, { nullable: true })
  tlsServerName?: string | null;

  @Field(() => Boolean, { nullable: true })
  dangerouslySkipTlsVerify?: boolean | null;

  @Field(() => String, { nullable: true, description: 'A one-time token; never stored.' })
  bootstrapToken?: string | null;

  @Field(() => String, { nullable: true, description: 'Token of the impersonator account.' })
  impersonatorToken?: string | null;

  @Field(() => String, { nullable: true, description: 'Token of the manager account.' })
  managerToken?: string | null;
}
