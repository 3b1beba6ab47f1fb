import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import { PaddockError } from '../errors/index.js';
import { requireIdentity } from './auth-checker.js';
import type { GraphQLContext } from './context.js';
import { Principal, toPrincipal } from './principal.type.js';

const MAX_SEARCH_LENGTH = 256;
const MAX_RESULTS = 100;

@Resolver()
export class PrincipalResolver {
  @Authorized('list:principals')
  @Query(() => [Principal], {
    description: 'Users and groups whose name matches, across the enabled providers.',
  })
  async principals(
    @Ctx() ctx: GraphQLContext,
    @Arg('search') search: string,
    @Arg('limit', () => Int, { defaultValue: 20 }) limit: number,
  ): Promise<Principal[]> {
    const caller = requireIdentity(ctx);
    const text = search.trim();
    if (text.length === 0 || text.length > MAX_SEARCH_LENGTH) {
      throw new PaddockError(
        'VALIDATION_FAILED',
        `search must be 1 to ${MAX_SEARCH_LENGTH} characters`,
        { reason: 'invalid_search' },
      );
    }
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RESULTS) {
      throw new PaddockError('VALIDATION_FAILED', `limit must be between 1 and ${MAX_RESULTS}`, {
        reason: 'invalid_limit',
      });
    }
    const found = await ctx.ports.principals.search(text, { caller, limit });
    return found.slice(0, limit).map(toPrincipal);
  }
}
