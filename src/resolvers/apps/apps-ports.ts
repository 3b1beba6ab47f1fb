/** The apps ports of the request context, and the caller, or a clear error without them. */
import type { Identity } from '../../domain/identity.js';
import { PaddockError } from '../../errors/index.js';
import { requireIdentity } from '../auth-checker.js';
import type { AppsPorts, GraphQLContext } from '../context.js';

export function appsOf(ctx: GraphQLContext): { apps: AppsPorts; caller: Identity } {
  const caller = requireIdentity(ctx);
  const apps = ctx.ports.apps;
  if (apps === undefined) {
    throw new PaddockError('UPSTREAM_UNAVAILABLE', 'apps are not configured', {
      reason: 'apps_missing',
    });
  }
  return { apps, caller };
}

export function dateOf(ms: number | undefined): Date | null {
  return ms === undefined ? null : new Date(ms);
}
