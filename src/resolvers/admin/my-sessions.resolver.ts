/**
 * The caller's own sessions: list them, end one, or sign out everywhere (optionally with every
 * API key and kubeconfig token). A cluster-scoped key may do none of this: it must not reach
 * its owner's other credentials.
 */
import { Arg, Authorized, Ctx, Extensions, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Identity } from '../../domain/identity.js';
import { SESSION_COOKIE_NAME } from '../../domain/identity.js';
import { PaddockError } from '../../errors/index.js';
import { requireIdentity } from '../auth-checker.js';
import type { GraphQLContext } from '../context.js';
import { BEFORE_PASSWORD_CHANGE_EXTENSION } from '../plugins/password-change-gate.js';
import { adminPort } from './admin-ports.js';
import { current } from './user-admin.resolver.js';
import { Session, toSession } from './user-admin.type.js';

function unscoped(ctx: GraphQLContext): Identity {
  const identity = requireIdentity(ctx);
  if (identity.scope !== undefined) {
    throw new PaddockError(
      'FORBIDDEN',
      "a cluster-scoped key cannot see or end its owner's sessions",
      { reason: 'scoped_key' },
    );
  }
  return identity;
}

@Resolver()
export class MySessionsResolver {
  @Authorized()
  @Extensions({ [BEFORE_PASSWORD_CHANGE_EXTENSION]: true })
  @Query(() => [Session], { description: "The caller's live sessions, newest first." })
  async mySessions(@Ctx() ctx: GraphQLContext): Promise<Session[]> {
    const identity = unscoped(ctx);
    const sessions = await adminPort(ctx, 'sessions').listSessions(identity.userId);
    return sessions.map((s) => toSession(s, current(identity)));
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description: "Ends one of the caller's sessions; false when it has no such session.",
  })
  async revokeMySession(
    @Ctx() ctx: GraphQLContext,
    @Arg('sessionId', () => ID) sessionId: string,
  ): Promise<boolean> {
    const identity = unscoped(ctx);
    return adminPort(ctx, 'sessions').revokeSession(identity.userId, sessionId);
  }

  @Authorized()
  @Extensions({ [BEFORE_PASSWORD_CHANGE_EXTENSION]: true })
  @Mutation(() => Int, {
    description:
      'Ends every session of the caller, this one included; with revokeApiKeys also deletes every API key and kubeconfig token. Returns how many sessions ended.',
  })
  async signOutEverywhere(
    @Ctx() ctx: GraphQLContext,
    @Arg('revokeApiKeys', () => Boolean, { nullable: true, defaultValue: false })
    revokeApiKeys: boolean,
  ): Promise<number> {
    const identity = unscoped(ctx);
    const ended = await adminPort(ctx, 'sessions').revokeAllSessions(identity.userId, {
      revokeApiKeys,
    });
    ctx.request.setCookie?.({ name: SESSION_COOKIE_NAME, value: '', maxAgeSeconds: 0 });
    ctx.logger.info({ audit: 'user', action: 'sign-out-everywhere', revokeApiKeys }, 'signed out');
    return ended;
  }
}
