import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class CreateApiKeyInput {
  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the key stops working; never if null.' })
  expiresAt?: Date | null;

  @Field(() => ID, { nullable: true, description: 'Restrict the key to this one cluster.' })
  clusterId?: string | null;
}
