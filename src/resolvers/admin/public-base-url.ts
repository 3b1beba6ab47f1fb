/** Paddock's public URL from the `server-url` setting, without a trailing slash; '' if unset. */
import type { GraphQLContext } from '../context.js';

export const SERVER_URL_SETTING = 'server-url';

export async function publicBaseUrl(ctx: Pick<GraphQLContext, 'ports'>): Promise<string> {
  const setting = await ctx.ports.settings.get(SERVER_URL_SETTING);
  return (setting?.value ?? '').replace(/\/+$/, '');
}
