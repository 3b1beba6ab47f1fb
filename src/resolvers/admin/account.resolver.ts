/** The caller's own account: password change, UI preferences and a kubeconfig. */
import {
  Arg,
  Authorized,
  Ctx,
  Extensions,
  FieldResolver,
  ID,
  Mutation,
  Resolver,
  Root,
} from 'type-graphql';
import { SESSION_COOKIE_NAME } from '../../domain/identity.js';
import type { UserPreferences } from '../../domain/preferences.js';
import { PaddockError } from '../../errors/index.js';
import { requireIdentity } from '../auth-checker.js';
import { invalid } from '../cluster/validate-input.js';
import type { GraphQLContext } from '../context.js';
import { LoginPayload } from '../login-payload.type.js';
import { Me } from '../me.type.js';
import { BEFORE_PASSWORD_CHANGE_EXTENSION } from '../plugins/password-change-gate.js';
import { Preferences, UpdatePreferencesInput } from './account.type.js';
import { adminPort } from './admin-ports.js';

const LANGUAGE_TAG = /^$|^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

@Resolver(() => Me)
export class AccountResolver {
  @FieldResolver(() => Preferences, { description: "The caller's UI preferences." })
  async preferences(@Root() me: Me, @Ctx() ctx: GraphQLContext): Promise<Preferences> {
    return { ...(await adminPort(ctx, 'preferences').get(me.id)) };
  }

  @Authorized()
  @Extensions({ [BEFORE_PASSWORD_CHANGE_EXTENSION]: true })
  @Mutation(() => LoginPayload, {
    description:
      "Changes the caller's local password; every session of the caller ends (with revokeApiKeys also every API key and kubeconfig token) and a fresh session is returned (and set as the cookie over HTTP).",
  })
  async changePassword(
    @Ctx() ctx: GraphQLContext,
    @Arg('currentPassword') currentPassword: string,
    @Arg('newPassword') newPassword: string,
    @Arg('revokeApiKeys', () => Boolean, {
      nullable: true,
      defaultValue: false,
      description: 'Also delete every API key and kubeconfig token of the caller.',
    })
    revokeApiKeys: boolean,
  ): Promise<LoginPayload> {
    const identity = requireIdentity(ctx);
    if (identity.provider !== 'local' || identity.tokenKind !== 'session') {
      throw new PaddockError(
        'BAD_REQUEST',
        'only a local user signed in with a session can change the password',
        { reason: 'not_local_session' },
      );
    }
    const result = await adminPort(ctx, 'passwordChange').changePassword({
      userId: identity.userId,
      currentPassword,
      newPassword,
      revokeApiKeys,
      ...(ctx.request.remoteAddress === undefined
        ? {}
        : { remoteAddress: ctx.request.remoteAddress }),
      ...(ctx.request.userAgent === undefined ? {} : { userAgent: ctx.request.userAgent }),
    });
    const maxAgeSeconds = Math.max(0, Math.floor((result.expiresAt - ctx.now()) / 1000));
    ctx.request.setCookie?.({ name: SESSION_COOKIE_NAME, value: result.token, maxAgeSeconds });
    ctx.logger.info({ userId: identity.userId, revokeApiKeys }, 'password changed');
    return {
      token: result.token,
      userId: result.userId,
      username: result.username,
      expiresAt: new Date(result.expiresAt),
      mustChangePassword: result.mustChangePassword,
    };
  }

  @Authorized('update:preferences')
  @Mutation(() => Preferences, { description: "Changes the caller's UI preferences." })
  async updatePreferences(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => UpdatePreferencesInput) input: UpdatePreferencesInput,
  ): Promise<Preferences> {
    const identity = requireIdentity(ctx);
    const changes: { -readonly [K in keyof UserPreferences]?: UserPreferences[K] } = {};
    if (input.theme != null) changes.theme = input.theme;
    if (input.language != null) {
      if (!LANGUAGE_TAG.test(input.language) || input.language.length > 35) {
        throw invalid('language', 'must be a BCP 47 language tag');
      }
      changes.language = input.language;
    }
    if (input.pageSize != null) {
      if (input.pageSize < 10 || input.pageSize > 500) {
        throw invalid('pageSize', 'must be between 10 and 500');
      }
      changes.pageSize = input.pageSize;
    }
    if (input.defaultClusterId != null) {
      const visible = await ctx.loaders.visibleClusters();
      if (input.defaultClusterId !== '' && !visible.some((c) => c.id === input.defaultClusterId)) {
        throw invalid('defaultClusterId', 'is not a cluster you may see');
      }
      changes.defaultClusterId = input.defaultClusterId;
    }
    return { ...(await adminPort(ctx, 'preferences').update(identity.userId, changes)) };
  }

  @Authorized()
  @Mutation(() => String, {
    description:
      'A kubeconfig (YAML) for the caller with one context per cluster it may see (or the given ones) and a new kubeconfig token.',
  })
  async kubeconfig(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterIds', () => [ID], { nullable: true }) clusterIds: string[] | null,
  ): Promise<string> {
    const identity = requireIdentity(ctx);
    const yaml = await adminPort(ctx, 'kubeconfig').issue({
      identity,
      ...(clusterIds == null ? {} : { clusterIds }),
    });
    ctx.logger.info({ userId: identity.userId }, 'kubeconfig issued');
    return yaml;
  }
}
