/**
 * Administrators' user management. The verb is checked here (`create users`, `update users`,
 * `delete users`; `list`/`delete apikeys` for other users' keys); the `UserAdmin` port then
 * refuses acting on a user who holds rights the caller lacks, on oneself, or on the last admin.
 * Every change is logged with who made it.
 */
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { TokenKind } from '../../domain/identity.js';
import { ApiKey, toApiKey } from '../api-key.type.js';
import { requireIdentity } from '../auth-checker.js';
import type { GraphQLContext } from '../context.js';
import { ApiKeyKindEnum } from '../enums.js';
import { toUser, User } from '../user.type.js';
import { adminPort } from './admin-ports.js';
import {
  CreateLocalUserInput,
  ResetUserPasswordInput,
  Session,
  toSession,
  UpdateUserInput,
  UserWithPassword,
} from './user-admin.type.js';

@Resolver()
export class UserAdminResolver {
  @Authorized('create:users')
  @Mutation(() => UserWithPassword, {
    description:
      'Creates a local user. Without a password one is generated and returned this once.',
  })
  async createLocalUser(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => CreateLocalUserInput) input: CreateLocalUserInput,
  ): Promise<UserWithPassword> {
    const caller = requireIdentity(ctx);
    const made = await adminPort(ctx, 'userAdmin').createLocalUser(caller, {
      username: input.username,
      ...(input.password == null ? {} : { password: input.password }),
      ...(input.displayName == null ? {} : { displayName: input.displayName }),
      ...(input.email == null ? {} : { email: input.email }),
      ...(input.mustChangePassword == null ? {} : { mustChangePassword: input.mustChangePassword }),
    });
    ctx.logger.info({ audit: 'user', action: 'create', target: made.user.id }, 'user created');
    return { user: toUser(made.user), generatedPassword: made.generatedPassword ?? null };
  }

  @Authorized('update:users')
  @Mutation(() => User, { description: "Changes a user's display name or email." })
  async updateUser(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateUserInput) input: UpdateUserInput,
  ): Promise<User> {
    const caller = requireIdentity(ctx);
    const user = await adminPort(ctx, 'userAdmin').updateUser(caller, id, {
      ...(input.displayName == null ? {} : { displayName: input.displayName }),
      ...(input.email == null ? {} : { email: input.email }),
    });
    ctx.logger.info({ audit: 'user', action: 'update', target: id }, 'user updated');
    return toUser(user);
  }

  @Authorized('update:users')
  @Mutation(() => User, {
    description:
      "Disables a user on every provider: its sessions end and its API keys and kubeconfig tokens are refused at once (they work again after enableUser; sessions don't come back).",
  })
  async disableUser(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<User> {
    const caller = requireIdentity(ctx);
    const user = await adminPort(ctx, 'userAdmin').setEnabled(caller, id, false);
    ctx.logger.info({ audit: 'user', action: 'disable', target: id }, 'user disabled');
    return toUser(user);
  }

  @Authorized('update:users')
  @Mutation(() => User, { description: 'Lets a disabled user log in again.' })
  async enableUser(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<User> {
    const caller = requireIdentity(ctx);
    const user = await adminPort(ctx, 'userAdmin').setEnabled(caller, id, true);
    ctx.logger.info({ audit: 'user', action: 'enable', target: id }, 'user enabled');
    return toUser(user);
  }

  @Authorized('delete:users')
  @Mutation(() => Boolean, {
    description:
      'Deletes a user with its bindings (downstream RoleBindings follow), sessions, API keys, kubeconfig tokens and preferences; false when there is no such user.',
  })
  async deleteUser(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<boolean> {
    const caller = requireIdentity(ctx);
    const deleted = await adminPort(ctx, 'userAdmin').deleteUser(caller, id);
    if (deleted) ctx.logger.info({ audit: 'user', action: 'delete', target: id }, 'user deleted');
    return deleted;
  }

  @Authorized('update:users')
  @Mutation(() => UserWithPassword, {
    description:
      "Sets a local user's password (generated and returned once when none is given) and ends its sessions.",
  })
  async resetUserPassword(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ResetUserPasswordInput, { nullable: true })
    input: ResetUserPasswordInput | null,
  ): Promise<UserWithPassword> {
    const caller = requireIdentity(ctx);
    const reset = await adminPort(ctx, 'userAdmin').resetPassword(caller, id, {
      ...(input?.newPassword == null ? {} : { newPassword: input.newPassword }),
      ...(input?.mustChangePassword == null
        ? {}
        : { mustChangePassword: input.mustChangePassword }),
    });
    ctx.logger.info({ audit: 'user', action: 'reset-password', target: id }, 'password reset');
    return { user: toUser(reset.user), generatedPassword: reset.generatedPassword ?? null };
  }

  @Authorized('get:users')
  @Query(() => [Session], { description: "A user's live sessions, newest first." })
  async userSessions(
    @Ctx() ctx: GraphQLContext,
    @Arg('userId', () => ID) userId: string,
  ): Promise<Session[]> {
    const caller = requireIdentity(ctx);
    const sessions = await adminPort(ctx, 'sessions').listSessions(userId);
    return sessions.map((s) => toSession(s, current(caller)));
  }

  @Authorized('update:users')
  @Mutation(() => Boolean, {
    description: "Ends one of a user's sessions; false when it has no such session.",
  })
  async revokeUserSession(
    @Ctx() ctx: GraphQLContext,
    @Arg('userId', () => ID) userId: string,
    @Arg('sessionId', () => ID) sessionId: string,
  ): Promise<boolean> {
    const caller = requireIdentity(ctx);
    const ended = await adminPort(ctx, 'userAdmin').revokeSession(caller, userId, sessionId);
    if (ended) {
      ctx.logger.info({ audit: 'user', action: 'end-session', target: userId }, 'session ended');
    }
    return ended;
  }

  @Authorized('update:users')
  @Mutation(() => Int, { description: 'Ends every session of a user; returns how many.' })
  async revokeUserSessions(
    @Ctx() ctx: GraphQLContext,
    @Arg('userId', () => ID) userId: string,
  ): Promise<number> {
    const caller = requireIdentity(ctx);
    const ended = await adminPort(ctx, 'userAdmin').revokeAllSessions(caller, userId);
    ctx.logger.info({ audit: 'user', action: 'end-sessions', target: userId }, 'sessions ended');
    return ended;
  }

  @Authorized('list:apikeys')
  @Query(() => [ApiKey], { description: "Another user's API keys and kubeconfig tokens." })
  async userApiKeys(
    @Ctx() ctx: GraphQLContext,
    @Arg('userId', () => ID) userId: string,
    @Arg('kind', () => ApiKeyKindEnum, { nullable: true })
    kind: Exclude<TokenKind, 'session'> | null,
  ): Promise<ApiKey[]> {
    const keys = await ctx.ports.apiKeys.list(userId, kind ?? undefined);
    return keys.map(toApiKey);
  }

  @Authorized('delete:apikeys')
  @Mutation(() => Boolean, {
    description: "Deletes another user's API key or kubeconfig token; false when it has none.",
  })
  async revokeUserApiKey(
    @Ctx() ctx: GraphQLContext,
    @Arg('userId', () => ID) userId: string,
    @Arg('keyId', () => ID) keyId: string,
  ): Promise<boolean> {
    requireIdentity(ctx);
    const revoked = await ctx.ports.apiKeys.revoke(keyId, userId);
    if (revoked) {
      ctx.logger.info({ audit: 'apikey', action: 'revoke', target: userId, keyId }, 'key revoked');
    }
    return revoked;
  }
}

/** The session id of the caller's request, if it came with a session. */
export function current(caller: { tokenKind: string; tokenId: string }): string | undefined {
  return caller.tokenKind === 'session' ? caller.tokenId : undefined;
}
