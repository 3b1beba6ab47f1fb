/**
 * What the caller's global roles let it do with Paddock's own objects, asked of the same
 * authorizer that guards every mutation: a console hides the buttons of what would be
 * refused (importing clusters, granting roles) instead of offering them.
 */
import { Arg, Ctx, FieldResolver, Resolver } from 'type-graphql';
import { requireIdentity } from './auth-checker.js';
import { invalid } from './cluster/validate-input.js';
import type { GraphQLContext } from './context.js';
import { Me } from './me.type.js';

const WORD = /^[a-z*][a-z0-9*-]{0,62}$/;

@Resolver(() => Me)
export class MeAccessResolver {
  @FieldResolver(() => Boolean, {
    description:
      "Whether the caller's global roles allow `verb` on one of Paddock's own resources (`create clusters`, `list users`, `update settings`); only the caller, never anyone else.",
  })
  async can(
    @Ctx() ctx: GraphQLContext,
    @Arg('verb') verb: string,
    @Arg('resource', { description: 'A resource in `management.paddock.io`, e.g. `clusters`.' })
    resource: string,
  ): Promise<boolean> {
    if (!WORD.test(verb)) throw invalid('verb', `${JSON.stringify(verb)} is not a verb`);
    if (!WORD.test(resource)) {
      throw invalid('resource', `${JSON.stringify(resource)} is not a Paddock resource`);
    }
    return ctx.ports.authorizer.allows(requireIdentity(ctx), { verb, resource });
  }
}
