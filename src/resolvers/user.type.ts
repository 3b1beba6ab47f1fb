import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ProviderName } from '../domain/principal.js';
import type { UserView } from '../domain/user-directory.js';
import { ProviderNameEnum } from './enums.js';
import { PageInfo } from './page-info.type.js';
import { Principal, principalFromId, toPrincipal } from './principal.type.js';

@ObjectType({ description: 'A Paddock user.' })
export class User {
  @Field(() => ID, { description: 'Stable id `u-<random>`; the proxy impersonates it as `User`.' })
  id!: string;

  @Field()
  username!: string;

  @Field()
  displayName!: string;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => ProviderNameEnum, { description: 'The provider that created the user.' })
  provider!: ProviderName;

  @Field(() => [Principal], { description: "The user's own principals." })
  principals!: Principal[];

  @Field(() => [Principal], { description: 'Group principals as last reported by the provider.' })
  groups!: Principal[];

  @Field()
  enabled!: boolean;

  @Field(() => String, { nullable: true })
  disabledReason!: string | null;

  @Field()
  mustChangePassword!: boolean;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  @Field(() => Date, { nullable: true })
  lastLoginAt!: Date | null;
}

@ObjectType()
export class UserList {
  @Field(() => [User])
  items!: User[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

export function toUser(user: UserView): User {
  const own = new Map(
    user.principalIds.map((id) => [
      id,
      { ...principalFromId(id), name: user.username, displayName: user.displayName },
    ]),
  );
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    email: user.email ?? null,
    provider: user.provider,
    principals: [...own.values()],
    groups: user.groups.map(toPrincipal),
    enabled: user.enabled,
    disabledReason: user.disabledReason ?? null,
    mustChangePassword: user.mustChangePassword,
    createdAt: new Date(user.createdAt),
    updatedAt: new Date(user.updatedAt),
    lastLoginAt: user.lastLoginAt === undefined ? null : new Date(user.lastLoginAt),
  };
}
