/** The `AccessAdmin` port from the request context, with the caller it acts for. */
import type { AccessAdmin } from '../../domain/access-admin.js';
import type { Identity } from '../../domain/identity.js';
import { PaddockError } from '../../errors/index.js';
import { requireIdentity } from '../auth-checker.js';
import type { GraphQLContext } from '../context.js';

export function accessAdmin(ctx: GraphQLContext): { admin: AccessAdmin; caller: Identity } {
  const caller = requireIdentity(ctx);
  const admin = ctx.ports.accessAdmin;
  if (admin === undefined) {
    throw new PaddockError('INTERNAL', 'authorization management is not configured', {
      reason: 'not_configured',
    });
  }
  return { admin, caller };
}
