/**
 * The `AccessAdmin` port from the request context. It travels as `ports.accessAdmin`; until the
 * GraphQL layer declares it in `GraphQLPorts`, it is read here without widening that type.
 */
import type { AccessAdmin } from '../../domain/access-admin.js';
import type { Identity } from '../../domain/identity.js';
import { PaddockError } from '../../errors/index.js';
import { requireIdentity } from '../auth-checker.js';
import type { GraphQLContext } from '../context.js';

export function accessAdmin(ctx: GraphQLContext): { admin: AccessAdmin; caller: Identity } {
  const caller = requireIdentity(ctx);
  const admin = (ctx.ports as { accessAdmin?: AccessAdmin }).accessAdmin;
  if (admin === undefined) {
    throw new PaddockError('INTERNAL', 'authorization management is not configured', {
      reason: 'not_configured',
    });
  }
  return { admin, caller };
}
