import { Field, ID, ObjectType } from 'type-graphql';
import type { TokenKind } from '../domain/identity.js';
import type { ProviderName } from '../domain/principal.js';
import { ProviderNameEnum, TokenKindEnum } from './enums.js';
import { Principal } from './principal.type.js';

@ObjectType({ description: 'The caller, as the credential of this request identifies it.' })
export class Me {
  @Field(() => ID)
  id!: string;

  @Field()
  username!: string;

  @Field()
  displayName!: string;

  @Field(() => ProviderNameEnum, { description: 'The provider that vouched for this credential.' })
  provider!: ProviderName;

  @Field(() => [Principal], { description: "The caller's own principals followed by its groups." })
  principals!: Principal[];

  @Field(() => [Principal], { description: 'Only the group principals.' })
  groups!: Principal[];

  @Field(() => TokenKindEnum)
  tokenKind!: TokenKind;

  @Field(() => ID, { nullable: true, description: 'The cluster an API key is restricted to.' })
  scopeClusterId!: string | null;

  @Field(() => Date, { nullable: true, description: 'When this credential stops working.' })
  expiresAt!: Date | null;

  @Field({ description: 'A local user who must change the password before anything else.' })
  mustChangePassword!: boolean;
}
