import { Field, InputType } from 'type-graphql';
import type { ProviderName } from '../domain/principal.js';
import { ProviderNameEnum } from './enums.js';

@InputType({ description: 'Narrows a user list; every given condition must hold.' })
export class UserFilter {
  @Field(() => String, {
    nullable: true,
    description: 'Case-insensitive part of the username or display name.',
  })
  nameContains?: string | null;

  @Field(() => ProviderNameEnum, { nullable: true })
  provider?: ProviderName | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;
}
