/** Paddock's public URL from the `server-url` setting, without a trailing slash; '' if unset. */
import { SETTING_SERVER_URL } from '../../domain/settings-admin.js';
import type { GraphQLContext } from '../context.js';

export async function publicBaseUrl(ctx: Pick<GraphQLContext, 'ports'>): Promise<string> {
  const setting = await ctx.ports.settings.get(SETTING_SERVER_URL);
  return (setting?.value ?? '').replace(/\/+$/, '');
}
