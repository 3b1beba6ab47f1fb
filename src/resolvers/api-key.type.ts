import { Field, ID, ObjectType } from 'type-graphql';
import type { ApiKeySummary, TokenKind } from '../domain/identity.js';
import { ApiKeyKindEnum } from './enums.js';

@ObjectType({ description: 'An API key or kubeconfig token; its secret is never shown again.' })
export class ApiKey {
  @Field(() => ID)
  keyId!: string;

  @Field(() => ApiKeyKindEnum)
  kind!: Exclude<TokenKind, 'session'>;

  @Field()
  description!: string;

  @Field()
  enabled!: boolean;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The one cluster the key works for, if restricted.',
  })
  clusterId!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The API key this one was made with; it expires no later and is revoked with it.',
  })
  parentKeyId!: string | null;
}

@ObjectType()
export class CreatedApiKey {
  @Field({ description: 'The whole key, `pdk_<keyId>_<secret>`: shown this once only.' })
  token!: string;

  @Field(() => ApiKey)
  key!: ApiKey;
}

export function toApiKey(key: ApiKeySummary): ApiKey {
  return {
    keyId: key.keyId,
    kind: key.kind,
    description: key.description,
    enabled: key.enabled,
    createdAt: new Date(key.createdAt),
    expiresAt: key.expiresAt === undefined ? null : new Date(key.expiresAt),
    lastUsedAt: key.lastUsedAt === undefined ? null : new Date(key.lastUsedAt),
    clusterId: key.scope?.clusterId ?? null,
    parentKeyId: key.parentKeyId ?? null,
  };
}
