import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { SettingView } from '../domain/settings.js';
import type { GraphQLContext } from './context.js';
import { Setting } from './setting.type.js';

@Resolver()
export class SettingResolver {
  @Authorized('list:settings')
  @Query(() => [Setting], { description: 'Global settings, sorted by name.' })
  async settings(@Ctx() ctx: GraphQLContext): Promise<Setting[]> {
    const all = await ctx.ports.settings.list();
    return [...all].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(toSetting);
  }

  @Authorized('get:settings')
  @Query(() => Setting, { nullable: true })
  async setting(@Ctx() ctx: GraphQLContext, @Arg('name') name: string): Promise<Setting | null> {
    const found = await ctx.ports.settings.get(name);
    return found === undefined ? null : toSetting(found);
  }
}

function toSetting(s: SettingView): Setting {
  return {
    name: s.name,
    value: s.value,
    defaultValue: s.defaultValue,
    description: s.description,
    source: s.source,
    readOnly: s.readOnly,
  };
}
