import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { TokenKind } from '../domain/identity.js';
import { PaddockError } from '../errors/index.js';
import { ApiKey, CreatedApiKey, toApiKey } from './api-key.type.js';
import { requireIdentity } from './auth-checker.js';
import type { GraphQLContext } from './context.js';
import { CreateApiKeyInput } from './create-api-key.input.js';
import { ApiKeyKindEnum } from './enums.js';

@Resolver()
export class ApiKeyResolver {
  @Authorized()
  @Query(() => [ApiKey], { description: "The caller's own API keys and kubeconfig tokens." })
  async apiKeys(
    @Ctx() ctx: GraphQLContext,
    @Arg('kind', () => ApiKeyKindEnum, { nullable: true }) kind: Exclude<
      TokenKind,
      'session'
    > | null,
  ): Promise<ApiKey[]> {
    const identity = requireIdentity(ctx);
    const keys = await ctx.ports.apiKeys.list(identity.userId, kind ?? undefined);
    return keys.map(toApiKey);
  }

  @Authorized('create:apikeys')
  @Mutation(() => CreatedApiKey, {
    description: 'Makes an API key for the caller; the returned token is shown this once only.',
  })
  async createApiKey(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput,
  ): Promise<CreatedApiKey> {
    const identity = requireIdentity(ctx);
    // A key restricted to one cluster must not mint a key that reaches further.
    const scope = identity.scope?.clusterId;
    const clusterId = input.clusterId ?? scope;
    if (scope !== undefined && clusterId !== scope) {
      throw new PaddockError('FORBIDDEN', `this key may only create keys for cluster ${scope}`, {
        reason: 'scope_escalation',
      });
    }
    if (clusterId !== undefined) {
      const visible = await ctx.loaders.visibleClusters();
      if (!visible.some((c) => c.id === clusterId)) {
        throw new PaddockError('NOT_FOUND', `cluster ${clusterId} not found`, {
          reason: 'cluster_not_found',
        });
      }
    }
    const created = await ctx.ports.apiKeys.create({
      userId: identity.userId,
      kind: 'api-key',
      ...(input.description == null ? {} : { description: input.description }),
      ...(input.expiresAt == null ? {} : { expiresAt: input.expiresAt.getTime() }),
      ...(clusterId === undefined ? {} : { clusterId }),
    });
    ctx.logger.info({ keyId: created.key.keyId, userId: identity.userId }, 'API key created');
    return { token: created.token, key: toApiKey(created.key) };
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description: "Deletes one of the caller's keys for good; false when there is no such key.",
  })
  async revokeApiKey(
    @Ctx() ctx: GraphQLContext,
    @Arg('keyId', () => ID) keyId: string,
  ): Promise<boolean> {
    const identity = requireIdentity(ctx);
    const revoked = await ctx.ports.apiKeys.revoke(keyId, identity.userId);
    if (revoked) ctx.logger.info({ keyId, userId: identity.userId }, 'API key revoked');
    return revoked;
  }
}
