/** The `AlertingAdmin` port from the request context, with the caller it acts for. */
import type { AlertingAdmin } from '../../domain/alerting.js';
import type { Identity } from '../../domain/identity.js';
import { PaddockError } from '../../errors/index.js';
import { requireIdentity } from '../auth-checker.js';
import type { GraphQLContext } from '../context.js';

export function alertingAdmin(ctx: GraphQLContext): { admin: AlertingAdmin; caller: Identity } {
  const caller = requireIdentity(ctx);
  const admin = ctx.ports.alerting;
  if (admin === undefined) {
    throw new PaddockError('INTERNAL', 'alerting is not configured', { reason: 'not_configured' });
  }
  return { admin, caller };
}
