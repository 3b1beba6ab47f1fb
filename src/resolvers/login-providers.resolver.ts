/**
 * The login page's first question, asked before anyone is signed in: which providers are
 * enabled. Only names and kinds, never settings; Rancher's login page shows the same.
 */
import { Ctx, Extensions, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from './context.js';
import { LoginProvider, LoginProviderKind } from './login-provider.type.js';
import { ANONYMOUS_EXTENSION } from './plugins/anonymous-gate.js';
import { BEFORE_PASSWORD_CHANGE_EXTENSION } from './plugins/password-change-gate.js';

@Resolver()
export class LoginProvidersResolver {
  @Extensions({ [ANONYMOUS_EXTENSION]: true, [BEFORE_PASSWORD_CHANGE_EXTENSION]: true })
  @Query(() => [LoginProvider], {
    description: 'Enabled identity providers, for a login page (no sign-in needed).',
  })
  loginProviders(@Ctx() ctx: GraphQLContext): LoginProvider[] {
    return (ctx.ports.loginProviders?.list() ?? [{ name: 'local', kind: 'password' as const }]).map(
      (p) => ({
        name: p.name,
        kind: p.kind === 'redirect' ? LoginProviderKind.REDIRECT : LoginProviderKind.PASSWORD,
        startPath: p.kind === 'redirect' ? `/v1/auth/${p.name}/start` : null,
      }),
    );
  }
}
