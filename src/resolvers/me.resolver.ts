import { Authorized, Ctx, Extensions, Query, Resolver } from 'type-graphql';
import type { Principal as DomainPrincipal } from '../domain/principal.js';
import { requireIdentity } from './auth-checker.js';
import type { GraphQLContext } from './context.js';
import { Me } from './me.type.js';
import { BEFORE_PASSWORD_CHANGE_EXTENSION } from './plugins/password-change-gate.js';
import { principalFromId } from './principal.type.js';

@Resolver()
export class MeResolver {
  @Authorized()
  @Extensions({ [BEFORE_PASSWORD_CHANGE_EXTENSION]: true })
  @Query(() => Me, { description: 'The caller.' })
  async me(@Ctx() ctx: GraphQLContext): Promise<Me> {
    const identity = requireIdentity(ctx);
    const user = await ctx.loaders.userById.load(identity.userId);
    // Groups carry names only in the user record; the token has just their ids.
    const known = new Map<string, DomainPrincipal>(user?.groups.map((g) => [g.id, g]) ?? []);
    const groupIds = new Set(identity.groupPrincipalIds);
    const principals = identity.principalIds.map((id) =>
      groupIds.has(id)
        ? principalFromId(id, known)
        : { ...principalFromId(id), name: identity.username, displayName: identity.displayName },
    );
    return {
      id: identity.userId,
      username: identity.username,
      displayName: identity.displayName,
      provider: identity.provider,
      principals,
      groups: principals.filter((p) => groupIds.has(p.id)),
      tokenKind: identity.tokenKind,
      scopeClusterId: identity.scope?.clusterId ?? null,
      expiresAt: identity.expiresAt === undefined ? null : new Date(identity.expiresAt),
      mustChangePassword: identity.mustChangePassword === true,
    };
  }
}
