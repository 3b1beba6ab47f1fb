import { Arg, Authorized, Ctx, Extensions, Mutation, Resolver } from 'type-graphql';
import { SESSION_COOKIE_NAME } from '../domain/identity.js';
import { requireIdentity } from './auth-checker.js';
import type { GraphQLContext } from './context.js';
import { LoginInput } from './login.input.js';
import { LoginPayload } from './login-payload.type.js';
import { ANONYMOUS_EXTENSION } from './plugins/anonymous-gate.js';
import { BEFORE_PASSWORD_CHANGE_EXTENSION } from './plugins/password-change-gate.js';

@Resolver()
export class SessionResolver {
  @Extensions({ [ANONYMOUS_EXTENSION]: true, [BEFORE_PASSWORD_CHANGE_EXTENSION]: true })
  @Mutation(() => LoginPayload, {
    description:
      'Logs in at a password provider. Over HTTP the session is also set as the `paddock_session` cookie.',
  })
  async login(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => LoginInput) input: LoginInput,
  ): Promise<LoginPayload> {
    const result = await ctx.ports.login.login({
      provider: input.provider,
      username: input.username,
      password: input.password,
      ...(ctx.request.remoteAddress === undefined
        ? {}
        : { remoteAddress: ctx.request.remoteAddress }),
      ...(ctx.request.userAgent === undefined ? {} : { userAgent: ctx.request.userAgent }),
    });
    const maxAgeSeconds = Math.max(0, Math.floor((result.expiresAt - ctx.now()) / 1000));
    ctx.request.setCookie?.({ name: SESSION_COOKIE_NAME, value: result.token, maxAgeSeconds });
    return {
      token: result.token,
      userId: result.userId,
      username: result.username,
      expiresAt: new Date(result.expiresAt),
      mustChangePassword: result.mustChangePassword,
    };
  }

  @Authorized()
  @Extensions({ [BEFORE_PASSWORD_CHANGE_EXTENSION]: true })
  @Mutation(() => Boolean, {
    description:
      "Ends the caller's session everywhere; false when the request did not use a session (revoke API keys instead).",
  })
  async logout(@Ctx() ctx: GraphQLContext): Promise<boolean> {
    requireIdentity(ctx);
    const token = ctx.request.sessionToken;
    if (token === undefined) return false;
    const ended = await ctx.ports.login.logout(token);
    ctx.request.setCookie?.({ name: SESSION_COOKIE_NAME, value: '', maxAgeSeconds: 0 });
    return ended;
  }
}
