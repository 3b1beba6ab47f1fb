import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { UserView } from '../domain/user-directory.js';
import { requireIdentity } from './auth-checker.js';
import type { GraphQLContext } from './context.js';
import { paginate } from './cursor.js';
import { toUser, User, UserList } from './user.type.js';
import { UserFilter } from './user-filter.input.js';

@Resolver()
export class UserResolver {
  @Authorized('list:users')
  @Query(() => UserList, { description: 'Every Paddock user (needs `list users`).' })
  async users(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => UserFilter, { nullable: true }) filter: UserFilter | null | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
  ): Promise<UserList> {
    const all = await ctx.ports.users.list();
    const page = paginate(all.filter(matches(filter)), (u) => [u.username.toLowerCase(), u.id], {
      first,
      after,
    });
    return {
      items: page.items.map(toUser),
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
      totalCount: page.totalCount,
    };
  }

  @Authorized()
  @Query(() => User, {
    nullable: true,
    description: 'One user: the caller itself, or anyone to a caller allowed to `get users`.',
  })
  async user(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<User | null> {
    const identity = requireIdentity(ctx);
    if (id !== identity.userId) {
      // Answer null rather than FORBIDDEN so ids cannot be probed for existence.
      const allowed = await ctx.ports.authorizer.allows(identity, {
        verb: 'get',
        resource: 'users',
        name: id,
      });
      if (!allowed) return null;
    }
    const found = await ctx.loaders.userById.load(id);
    return found === undefined ? null : toUser(found);
  }
}

function matches(filter: UserFilter | null | undefined): (u: UserView) => boolean {
  if (filter == null) return () => true;
  const text = filter.nameContains?.toLowerCase();
  return (u) =>
    (text === undefined ||
      u.username.toLowerCase().includes(text) ||
      u.displayName.toLowerCase().includes(text)) &&
    (filter.provider == null || u.provider === filter.provider) &&
    (filter.enabled == null || u.enabled === filter.enabled);
}
