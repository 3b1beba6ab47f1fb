import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { assertMayManageKeys, assertMayMintCredentials } from '../domain/api-key-manager.js';
import type { TokenKind } from '../domain/identity.js';
import { PaddockError } from '../errors/index.js';
import { ApiKey, CreatedApiKey, toApiKey } from './api-key.type.js';
import { accessRequestOf, forbidden, requireIdentity } from './auth-checker.js';
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
    assertMayManageKeys(identity);
    const keys = await ctx.ports.apiKeys.list(identity.userId, kind ?? undefined);
    return keys.map(toApiKey);
  }

  @Authorized()
  @Mutation(() => CreatedApiKey, {
    description: 'Makes an API key for the caller; the returned token is shown this once only.',
  })
  async createApiKey(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput,
  ): Promise<CreatedApiKey> {
    const identity = requireIdentity(ctx);
    // Checked before the global right, so a restricted key learns why it may not.
    assertMayMintCredentials(identity);
    const right = accessRequestOf('create:apikeys');
    if (!(await ctx.ports.authorizer.allows(identity, right))) throw forbidden(right);
    const clusterId = input.clusterId ?? undefined;
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
      // Made with an API key: it expires no later than that key and dies with it.
      ...(identity.tokenKind === 'api-key' ? { parentKeyId: identity.tokenId } : {}),
    });
    ctx.logger.info({ keyId: created.key.keyId, userId: identity.userId }, 'API key created');
    return { token: created.token, key: toApiKey(created.key) };
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description:
      "Deletes one of the caller's keys for good, with every key and kubeconfig token made with it; false when there is no such key.",
  })
  async revokeApiKey(
    @Ctx() ctx: GraphQLContext,
    @Arg('keyId', () => ID) keyId: string,
  ): Promise<boolean> {
    const identity = requireIdentity(ctx);
    // A cluster-scoped key may give itself up, but not touch its owner's other keys.
    if (keyId !== identity.tokenId) assertMayManageKeys(identity);
    const revoked = await ctx.ports.apiKeys.revoke(keyId, identity.userId);
    if (revoked) ctx.logger.info({ keyId, userId: identity.userId }, 'API key revoked');
    return revoked;
  }
}
