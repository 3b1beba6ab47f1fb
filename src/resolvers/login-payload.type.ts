import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A new session; a browser also receives it as the session cookie.' })
export class LoginPayload {
  @Field({ description: 'The session token, for `Authorization: Bearer`.' })
  token!: string;

  @Field(() => ID)
  userId!: string;

  @Field()
  username!: string;

  @Field(() => Date)
  expiresAt!: Date;

  @Field()
  mustChangePassword!: boolean;
}
