import { Field, InputType, Int, ObjectType } from 'type-graphql';
import type { AuthConfigSummary } from '../../domain/auth-config-admin.js';
import type { AccessMode, ProviderName } from '../../domain/principal.js';
import { JSONScalar } from '../cluster/json.scalar.js';
import { ProviderNameEnum } from '../enums.js';
import { Principal } from '../principal.type.js';
import { AccessModeEnum } from './admin-enums.js';

@ObjectType({ description: "An identity provider's configuration; secrets are never returned." })
export class AuthConfig {
  @Field(() => ProviderNameEnum)
  provider!: ProviderName;

  @Field()
  enabled!: boolean;

  @Field(() => AccessModeEnum)
  accessMode!: AccessMode;

  @Field(() => [String])
  allowedPrincipalIds!: string[];

  @Field(() => Int, { nullable: true })
  groupRefreshMaxAgeSeconds!: number | null;

  @Field(() => JSONScalar, { description: 'Provider settings without their secret fields.' })
  settings!: Record<string, unknown>;

  @Field(() => [String], {
    description: 'Paths of the secret fields that hold a value, e.g. `serviceAccount.password`.',
  })
  secretsSet!: string[];

  @Field(() => Date)
  updatedAt!: Date;
}

export function toAuthConfig(s: AuthConfigSummary): AuthConfig {
  return {
    provider: s.provider,
    enabled: s.enabled,
    accessMode: s.accessMode,
    allowedPrincipalIds: [...s.allowedPrincipalIds],
    groupRefreshMaxAgeSeconds: s.groupRefreshMaxAgeSeconds ?? null,
    settings: s.settings,
    secretsSet: [...s.secretsSet],
    updatedAt: new Date(s.updatedAt),
  };
}

@InputType()
export class SetAuthConfigInput {
  @Field(() => ProviderNameEnum)
  provider!: ProviderName;

  @Field(() => Boolean, { nullable: true, description: 'Unchanged when null.' })
  enabled?: boolean | null;

  @Field(() => AccessModeEnum, { nullable: true, description: 'Unchanged when null.' })
  accessMode?: AccessMode | null;

  @Field(() => [String], { nullable: true, description: 'Unchanged when null.' })
  allowedPrincipalIds?: string[] | null;

  @Field(() => Int, { nullable: true })
  groupRefreshMaxAgeSeconds?: number | null;

  @Field(() => JSONScalar, {
    description: 'Provider settings; a secret field left out keeps its stored value.',
  })
  settings!: unknown;
}

@InputType()
export class TestAuthConfigInput {
  @Field(() => ProviderNameEnum)
  provider!: ProviderName;

  @Field(() => JSONScalar, {
    description: 'Settings to try, not saved; secret fields left out come from the stored config.',
  })
  settings!: unknown;

  @Field()
  username!: string;

  @Field()
  password!: string;
}

@ObjectType({ description: 'What a trial login with unsaved settings found.' })
export class AuthConfigTestResult {
  @Field()
  ok!: boolean;

  @Field(() => String, { nullable: true, description: 'Error code when the test failed.' })
  code!: string | null;

  @Field()
  message!: string;

  @Field(() => Principal, { nullable: true })
  user!: Principal | null;

  @Field(() => [Principal])
  groups!: Principal[];
}
