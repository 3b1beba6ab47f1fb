import { Field, InputType } from 'type-graphql';

@InputType({ description: 'A password login at one of the password providers.' })
export class LoginInput {
  @Field({ description: 'Provider config name, e.g. `local`, `openldap`, `activedirectory`.' })
  provider!: string;

  @Field()
  username!: string;

  @Field()
  password!: string;
}
