/** Changing a global setting; one fixed by configuration answers FORBIDDEN (`read_only`). */
import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { Setting } from '../setting.type.js';
import { adminPort } from './admin-ports.js';

@Resolver()
export class SettingAdminResolver {
  @Authorized('update:settings')
  @Mutation(() => Setting, {
    description: 'Sets a global setting; null resets it to its default.',
  })
  async updateSetting(
    @Ctx() ctx: GraphQLContext,
    @Arg('name') name: string,
    @Arg('value', () => String, { nullable: true }) value: string | null,
  ): Promise<Setting> {
    const saved = await adminPort(ctx, 'settingsAdmin').set(name, value ?? null);
    ctx.logger.info({ setting: name, by: ctx.identity?.userId }, 'setting updated');
    return { ...saved };
  }
}
