/** Identity provider configuration: read, set, try before enabling, delete. */
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { ProviderName } from '../../domain/principal.js';
import { invalid } from '../cluster/validate-input.js';
import type { GraphQLContext } from '../context.js';
import { ProviderNameEnum } from '../enums.js';
import { toPrincipal } from '../principal.type.js';
import { adminPort } from './admin-ports.js';
import {
  AuthConfig,
  AuthConfigTestResult,
  SetAuthConfigInput,
  TestAuthConfigInput,
  toAuthConfig,
} from './auth-config.type.js';

const MAX_SETTINGS_BYTES = 64 * 1024;

@Resolver()
export class AuthConfigResolver {
  @Authorized('list:authconfigs')
  @Query(() => [AuthConfig], { description: 'Identity provider configurations, without secrets.' })
  async authConfigs(@Ctx() ctx: GraphQLContext): Promise<AuthConfig[]> {
    return (await adminPort(ctx, 'authConfigAdmin').list()).map(toAuthConfig);
  }

  @Authorized('update:authconfigs')
  @Mutation(() => AuthConfig, {
    description:
      "Creates or replaces a provider's configuration; it takes effect on every replica.",
  })
  async setAuthConfig(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => SetAuthConfigInput) input: SetAuthConfigInput,
  ): Promise<AuthConfig> {
    const settings = settingsObject(input.settings);
    if (input.groupRefreshMaxAgeSeconds != null && input.groupRefreshMaxAgeSeconds < 60) {
      throw invalid('groupRefreshMaxAgeSeconds', 'must be at least 60');
    }
    const saved = await adminPort(ctx, 'authConfigAdmin').put({
      provider: input.provider,
      settings,
      ...(input.enabled == null ? {} : { enabled: input.enabled }),
      ...(input.accessMode == null ? {} : { accessMode: input.accessMode }),
      ...(input.allowedPrincipalIds == null
        ? {}
        : { allowedPrincipalIds: input.allowedPrincipalIds }),
      ...(input.groupRefreshMaxAgeSeconds == null
        ? {}
        : { groupRefreshMaxAgeSeconds: input.groupRefreshMaxAgeSeconds }),
    });
    ctx.logger.info(
      { provider: saved.provider, enabled: saved.enabled, by: ctx.identity?.userId },
      'auth config set',
    );
    return toAuthConfig(saved);
  }

  @Authorized('update:authconfigs')
  @Mutation(() => AuthConfigTestResult, {
    description:
      'Builds the provider from the given settings without saving them and tries a login; a failure is data.',
  })
  async testAuthConfig(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => TestAuthConfigInput) input: TestAuthConfigInput,
  ): Promise<AuthConfigTestResult> {
    const result = await adminPort(ctx, 'authConfigAdmin').test({
      provider: input.provider,
      settings: settingsObject(input.settings),
      username: input.username,
      password: input.password,
    });
    ctx.logger.info(
      {
        provider: input.provider,
        ok: result.ok,
        by: ctx.identity?.userId,
        ...(!result.ok && result.detail !== undefined ? { detail: result.detail } : {}),
      },
      'auth config tested',
    );
    if (!result.ok) {
      return { ok: false, code: result.code, message: result.message, user: null, groups: [] };
    }
    return {
      ok: true,
      code: null,
      message: result.message,
      user: result.user === undefined ? null : toPrincipal(result.user),
      groups: result.groups.map(toPrincipal),
    };
  }

  @Authorized('delete:authconfigs')
  @Mutation(() => Boolean, {
    description: "Deletes a provider's configuration; false when it had none.",
  })
  async deleteAuthConfig(
    @Ctx() ctx: GraphQLContext,
    @Arg('provider', () => ProviderNameEnum) provider: ProviderName,
  ): Promise<boolean> {
    const deleted = await adminPort(ctx, 'authConfigAdmin').delete(provider);
    if (deleted) ctx.logger.info({ provider, by: ctx.identity?.userId }, 'auth config deleted');
    return deleted;
  }
}

function settingsObject(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('settings', 'must be a JSON object');
  }
  if (JSON.stringify(value).length > MAX_SETTINGS_BYTES) {
    throw invalid('settings', `must be at most ${MAX_SETTINGS_BYTES} bytes`);
  }
  return value as Record<string, unknown>;
}
