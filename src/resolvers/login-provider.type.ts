import { Field, ObjectType, registerEnumType } from 'type-graphql';

export enum LoginProviderKind {
  PASSWORD = 'password',
  REDIRECT = 'redirect',
}
registerEnumType(LoginProviderKind, {
  name: 'LoginProviderKind',
  valuesConfig: {
    PASSWORD: { description: 'Username and password, posted to `/v1/auth/login` or `login`.' },
    REDIRECT: { description: 'A browser redirect: GitHub or OpenID Connect.' },
  },
});

@ObjectType({ description: 'An enabled identity provider, as a login page offers it.' })
export class LoginProvider {
  @Field({ description: 'Provider config name, e.g. `local`, `openldap`, `oidc`.' })
  name!: string;

  @Field(() => LoginProviderKind)
  kind!: LoginProviderKind;

  @Field(() => String, {
    nullable: true,
    description: 'Where a browser starts a redirect login: `/v1/auth/<name>/start`.',
  })
  startPath!: string | null;
}
